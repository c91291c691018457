import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../../cli/CliError.js';
import type { CliIo } from '../../../cli/CommandContext.js';
import { confirm } from '../../../cli/confirm.js';
import { EXIT } from '../../../cli/exitCodes.js';

/** A terminal (or not) whose person types `typed`. */
function terminal(typed: string | undefined, isTTY = true) {
  const stdin = Object.assign(new PassThrough(), { isTTY });
  const stderr = new PassThrough();
  let asked = '';
  stderr.on('data', (chunk: Buffer) => {
    asked += chunk.toString();
  });
  if (typed !== undefined) setImmediate(() => stdin.write(typed));
  return { io: { stdin, stderr } as unknown as CliIo, asked: () => asked };
}

describe('confirm', () => {
  it.each([
    ['y\n', true],
    ['Yes\n', true],
    ['n\n', false],
    ['\n', false],
  ])('takes %j as %s', async (typed, answer) => {
    // Prepare
    const { io, asked } = terminal(typed);

    // Act and assess
    expect(await confirm(io, 'Delete ana-1?', false)).toBe(answer);
    expect(asked()).toContain('Delete ana-1? [y/N] ');
  });

  it('goes ahead without asking with --yes', async () => {
    expect(await confirm(terminal(undefined, false).io, 'Delete ana-1?', true)).toBe(true);
  });

  it('refuses to go ahead when there is no terminal to ask on', async () => {
    // Act
    const error = await confirm(terminal(undefined, false).io, 'Delete ana-1?', false).catch(
      (e: unknown) => e,
    );

    // Assess
    expect(error).toEqual(
      new CliError('Delete ana-1? Not asked without a terminal: add --yes.', EXIT.usage),
    );
    expect((error as CliError).exitCode).toBe(EXIT.usage);
  });
});
