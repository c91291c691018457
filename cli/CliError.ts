import type { ExitCode } from './exitCodes.js';

/**
 * An error the CLI ends with on purpose: its message is for the person at the terminal, and it
 * carries the exit status.
 *
 * @example
 * throw new CliError('Name a test user with --user.', EXIT.usage);
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}
