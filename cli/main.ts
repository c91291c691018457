/**
 * `sandbox`, the command line of sandbox-automation: builds the commander program, runs one
 * command, and turns how it ended into a message and an exit status (`exitCodes.ts`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ProblemError } from '../web/src/api.js';
import { fieldOf } from '../web/src/problems.js';
import { CliError } from './CliError.js';
import type { CliIo } from './CommandContext.js';
import { readCliEnvironment } from './cliEnvironment.js';
import { registerCleanupCommands } from './commands/cleanupCommands.js';
import { registerLogin } from './commands/login.js';
import { registerSandboxCommands } from './commands/sandboxCommands.js';
import { EXIT, EXIT_CODES_HELP, type ExitCode, exitCodeForStatus } from './exitCodes.js';
import { FollowInterruptedError, FollowTimeoutError } from './follow.js';

const { version } = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'),
) as { version: string };

/**
 * The program, its commands registered, writing through `io`.
 *
 * @example
 * const program = createProgram(io, (code) => { exit = code; });
 */
export function createProgram(io: CliIo, setExit: (code: ExitCode) => void): Command {
  const program = new Command('sandbox')
    .description(
      'Leased Azure sandboxes from the command line: request, follow, extend and delete them; plan, apply and approve cleanup runs.',
    )
    .version(version)
    .option(
      '--endpoint <url>',
      'the API (default: SANDBOX_ENDPOINT, the signed-in API, or the local stack)',
    )
    .option('--json', 'print the result as JSON on stdout (progress and errors stay on stderr)')
    .option('-q, --quiet', 'no progress or notes on stderr')
    .showHelpAfterError('(sandbox --help lists the commands)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n`)
    .exitOverride();
  registerLogin(program, io, setExit);
  registerSandboxCommands(program, io, setExit);
  registerCleanupCommands(program, io, setExit);
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}

/** Request fields as the command line names them: `/ttlHours` is `--ttl`. */
const OPTIONS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^\/name$/, () => '<name>'],
  [/^\/location$/, () => '--location'],
  [/^\/ttlHours$/, () => '--ttl'],
  [/^\/blueprint$/, () => '--blueprint'],
  [/^\/owner$/, () => '--owner'],
  [/^\/powerSchedule$/, () => '--power-schedule'],
  [/^\/webhook$/, () => '--webhook'],
  [/^\/parameters\/([^/]+)/, (m) => `--param ${m[1]}`],
  [/^\/tags(?:\/([^/]+))?/, (m) => (m[1] ? `--tag ${m[1]}` : '--tag')],
];

/**
 * The option a request field comes from, for an error's line.
 *
 * @example
 * optionOf('/parameters/vmSize'); // '--param vmSize'
 */
export function optionOf(pointer: string): string {
  for (const [pattern, name] of OPTIONS) {
    const match = pattern.exec(pointer);
    if (match) return name(match);
  }
  return pointer === '/' ? 'request' : pointer;
}

/** The message and exit status for how a command ended. */
function ending(
  error: unknown,
  endpoint: () => string | undefined,
): { message?: string; code: ExitCode } {
  if (error instanceof CommanderError) {
    // Help and --version end well; commander has already written its own message otherwise.
    return { code: error.exitCode === 0 ? EXIT.ok : EXIT.usage };
  }
  if (error instanceof CliError) return { message: error.message, code: error.exitCode };
  if (error instanceof ProblemError) {
    const { problem } = error;
    if (problem.status === 0) {
      return {
        message: `The API cannot be reached${endpoint() ? ` at ${endpoint()}` : ''}: ${problem.detail}`,
        code: EXIT.unavailable,
      };
    }
    const errors = problem.errors ?? [];
    const lines =
      errors.length > 0
        ? [`${problem.title}:`, ...errors.map((e) => `  ${optionOf(fieldOf(e))}: ${e.detail}`)]
        : [`${problem.title}: ${problem.detail}`];
    const operationId = (problem as { operationId?: unknown }).operationId;
    if (typeof operationId === 'string')
      lines.push(`  follow it with: sandbox wait ${operationId}`);
    return { message: lines.join('\n'), code: exitCodeForStatus(problem.status) };
  }
  if (error instanceof FollowTimeoutError) {
    return {
      message: `${error.message} It goes on; follow it again with sandbox wait.`,
      code: EXIT.timeout,
    };
  }
  if (error instanceof FollowInterruptedError) {
    return { message: 'Stopped waiting; the work goes on.', code: EXIT.interrupted };
  }
  return { message: `unexpected: ${(error as Error)?.stack ?? String(error)}`, code: EXIT.failed };
}

/**
 * Runs the CLI on `argv` (as `process.argv`) and answers its exit status.
 *
 * @example
 * process.exitCode = await main(process.argv);
 */
export async function main(argv: string[], partial: Partial<CliIo> = {}): Promise<number> {
  const interrupt = new AbortController();
  const onSigint = () => {
    // A second Ctrl-C ends at once.
    if (interrupt.signal.aborted) process.exit(EXIT.interrupted);
    interrupt.abort();
  };
  process.on('SIGINT', onSigint);
  const io: CliIo = {
    env: readCliEnvironment(),
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    clock: () => ({ now: Date.now() }),
    interrupted: interrupt.signal,
    ...partial,
  };
  let code: ExitCode = EXIT.ok;
  const program = createProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const { message, code: failed } = ending(
      error,
      () => (program.opts() as { endpoint?: string }).endpoint ?? io.env.endpoint,
    );
    if (message) io.stderr.write(`error: ${message}\n`);
    code = failed;
  } finally {
    process.off('SIGINT', onSigint);
  }
  return code;
}
