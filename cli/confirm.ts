import { createInterface } from 'node:readline/promises';
import { CliError } from './CliError.js';
import type { CliIo } from './CommandContext.js';
import { EXIT } from './exitCodes.js';

/**
 * Asks the person to confirm something that cannot be undone; `--yes` answers for them. Without a
 * terminal to ask on, only `--yes` goes ahead.
 *
 * @example
 * if (!(await confirm(io, 'Delete ana-1 and everything in it?', options.yes))) return EXIT.ok;
 */
export async function confirm(
  io: CliIo,
  question: string,
  yes: boolean | undefined,
): Promise<boolean> {
  if (yes) return true;
  if (!io.stdin.isTTY) {
    throw new CliError(`${question} Not asked without a terminal: add --yes.`, EXIT.usage);
  }
  const prompt = createInterface({ input: io.stdin, output: io.stderr });
  // Ctrl-C at the question is a no (readline takes it from the terminal before any signal does).
  const cancel = new AbortController();
  prompt.on('SIGINT', () => cancel.abort());
  try {
    const answer = await prompt.question(`${question} [y/N] `, { signal: cancel.signal });
    return /^y(es)?$/i.test(answer.trim());
  } catch (error) {
    if (!cancel.signal.aborted) throw error;
    io.stderr.write('\n');
    return false;
  } finally {
    prompt.close();
  }
}
