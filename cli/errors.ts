// Errors a CLI reports as one clear message and an exit code, without a stack trace.
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'CliError';
  }
}
