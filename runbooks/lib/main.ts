// Entry-point wrapper for drill scripts: CliError → message + its exit code (2),
// anything else → message + exit 1.
import { CliError } from '../../cli/errors.ts';

export function runMain(run: (argv: string[]) => Promise<number>): void {
  run(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      if (e instanceof CliError) {
        console.error(e.message);
        process.exitCode = e.exitCode;
      } else {
        console.error(e instanceof Error ? e.message : String(e));
        process.exitCode = 1;
      }
    },
  );
}
