import { classifyError } from '../../shared/errors.js';
import { applyCleanupItem } from './applyCleanupItem.js';
import { type CleanupMessage, parseCleanupMessage } from './CleanupMessage.js';
import type { CleanupPolicy } from './CleanupPolicy.js';
import type { CleanupPorts } from './CleanupPorts.js';
import type { DispatchOptions } from './dispatchCleanupPlan.js';
import { failCleanupRun } from './failCleanupRun.js';
import { planCleanupRun } from './planCleanupRun.js';

/** What became of a message that did not throw. */
export type CleanupMessageResult = { handled: true } | { handled: false; reason: string };

/**
 * The `cleanup-requests` worker: plans a run (or sends its next wave of items), or applies one
 * item of it. Transient failures are thrown, for the queue to deliver the message again (and to
 * poison it in the end). A permanent failure to plan ends the run `failed` with the reason. One
 * that has no item to record it on (a malformed message, a run or plan item that does not exist)
 * is logged and dropped: delivering it again would give the same answer.
 *
 * @example
 * await handleCleanupMessage(queueEntry, policy, ports); // { handled: true }
 */
export async function handleCleanupMessage(
  body: unknown,
  policy: CleanupPolicy,
  ports: CleanupPorts,
  options: { signal?: AbortSignal } & DispatchOptions = {},
): Promise<CleanupMessageResult> {
  let message: CleanupMessage | undefined;
  try {
    message = parseCleanupMessage(body);
    if (message.kind === 'plan') {
      await planCleanupRun(message.runId, policy, ports, {
        ...(message.wave ? { wave: message.wave } : {}),
        ...(options.queueAhead ? { queueAhead: options.queueAhead } : {}),
      });
    } else {
      await applyCleanupItem(message, ports, {
        ...(options.signal ? { signal: options.signal } : {}),
        policy,
      });
    }
    return { handled: true };
  } catch (error) {
    const c = classifyError(error);
    if (c.kind === 'transient') throw error;
    const reason = `${c.code}: ${c.message}`;
    if (message?.kind === 'plan') await failCleanupRun(message.runId, reason, ports);
    else ports.logger.error('cleanup message dropped', { code: c.code, error: c.message });
    return { handled: false, reason };
  }
}
