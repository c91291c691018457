import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { CliEnvironment } from './cliEnvironment.js';
import { type Connection, connect, type GlobalOptions } from './connect.js';
import type { Clock } from './describe.js';
import type { ExitCode } from './exitCodes.js';
import { Output } from './Output.js';

/** What every command runs with: the environment, the terminal and the time. */
export interface CliIo {
  env: CliEnvironment;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** The time, and the locale and zone instants are written in. */
  clock: () => Clock;
  /** Ctrl-C: aborts a wait (the work goes on). */
  interrupted: AbortSignal;
}

/** One command's run: its options with the global ones, its output, and its API client. */
export interface CommandRun<O> {
  options: O & GlobalOptions;
  out: Output;
  io: CliIo;
  connect(): Promise<Connection>;
}

/** What a command's action answers: its exit status (0 when it says nothing). */
export type CommandResult = ExitCode | undefined;

/**
 * Wraps a command's action: its options merged with the global ones, and the exit status it
 * answers kept for `main`.
 *
 * @example
 * program.command('list').action(commandAction(io, setExit, async ({ out, connect }) => { … }));
 */
export function commandAction<O, A extends unknown[]>(
  io: CliIo,
  setExit: (code: ExitCode) => void,
  run: (command: CommandRun<O>, ...args: A) => Promise<CommandResult>,
) {
  return async (...received: unknown[]) => {
    const command = received.at(-1) as Command;
    const args = received.slice(0, -2) as A;
    const options = command.optsWithGlobals() as O & GlobalOptions;
    const out = new Output(io.stdout, io.stderr, options.json === true, options.quiet === true);
    const code = await run({ options, out, io, connect: () => connect(io.env, options) }, ...args);
    setExit(code ?? 0);
  };
}
