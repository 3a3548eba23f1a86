// Entry-point wrapper for drill scripts: CliError → message + its exit code (2), anything
// else → message + exit 1. An aborted drill (130/143) exits once its output is flushed:
// the work it abandoned may still hold timers or sockets open.
import { runMain as base } from '../../cli/errors.ts';
import { ABORT_EXIT_CODES } from './abort.ts';

export function runMain(run: (argv: string[]) => Promise<number>): void {
  base(async (argv) => {
    const code = await run(argv);
    if (Object.values(ABORT_EXIT_CODES).includes(code)) process.stdout.write('', () => process.exit(code));
    return code;
  });
}
