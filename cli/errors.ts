// Errors a CLI reports as one clear message and an exit code, without a stack trace.
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'CliError';
  }
}

/** Entry point of a script: CliError → its message and exit code; anything else → the stack and exit 1. */
export function runMain(run: (argv: string[]) => Promise<number>): void {
  run(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      if (e instanceof CliError) {
        console.error(e.message);
        process.exitCode = e.exitCode;
      } else {
        console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
        process.exitCode = 1;
      }
    },
  );
}
