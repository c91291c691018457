/**
 * The failures of cleanup, each a subclass of the semantic base that says what it means (and so
 * which status and problem type it answers with, and whether the queue retries it).
 */
import {
  ConflictError,
  NotFoundError,
  TransientError,
  ValidationError,
} from '../../shared/apiErrors.js';

/**
 * No cleanup run has this id.
 *
 * @example
 * throw new CleanupRunNotFoundError('20260101T000000Z-ab12cd'); // → 404
 */
export class CleanupRunNotFoundError extends NotFoundError {
  constructor(readonly runId: string) {
    super(`No cleanup run with id '${runId}'.`, {
      code: 'CleanupRunNotFound',
      title: 'Cleanup run not found',
    });
  }
}

/**
 * The run cannot be approved: only a blocked run, or a finished dry run, can be, and only once.
 *
 * @example
 * throw new CleanupRunNotApprovableError('2026…', 'applying'); // → 409
 */
export class CleanupRunNotApprovableError extends ConflictError {
  constructor(
    readonly runId: string,
    readonly runStatus: string,
  ) {
    super(
      `Cleanup run '${runId}' is ${runStatus}; only a blocked run or a completed dry run can be approved.`,
      { code: 'CleanupRunNotApprovable', title: 'Cleanup run not approvable' },
    );
  }
}

/**
 * Another run is active on the same subscriptions (queued, blocked awaiting approval, or
 * applying): one run at a time. The problem names it (`runId`), so the caller can follow it.
 *
 * @example
 * throw new CleanupRunActiveError('20260101T000000Z-ab12cd'); // → 409, { runId: '2026…' }
 */
export class CleanupRunActiveError extends ConflictError {
  constructor(readonly activeRunId: string) {
    super(
      `Cleanup run '${activeRunId}' is still active on these subscriptions; one run at a time: follow it, or start another once it has ended.`,
      {
        code: 'CleanupRunActive',
        title: 'Cleanup run active',
        extensions: { runId: activeRunId },
      },
    );
  }
}

/**
 * A `cleanup-requests` message that cannot be understood. Permanent: redelivery cannot fix it.
 *
 * @example
 * throw new InvalidCleanupMessageError('kind: Invalid input');
 */
export class InvalidCleanupMessageError extends ValidationError {
  constructor(detail: string) {
    super([{ rule: 'message', message: detail }], {
      code: 'InvalidCleanupMessage',
      message: `Invalid cleanup message: ${detail}`,
    });
  }
}

/**
 * The run's plan, or this group's item in it, is missing: the message does not belong to an
 * approved plan, so nothing is done.
 *
 * @example
 * throw new CleanupPlanItemNotFoundError('2026…', 'sub', 'sbx-ana');
 */
export class CleanupPlanItemNotFoundError extends NotFoundError {
  constructor(
    readonly runId: string,
    readonly subscriptionId: string,
    readonly group: string,
  ) {
    super(
      `Run '${runId}' has no planned action for '${group}' in subscription '${subscriptionId}'.`,
      { code: 'CleanupPlanItemNotFound' },
    );
  }
}

/**
 * A delete was started by an earlier delivery and ARM still reports the group `Deleting`: try again
 * later rather than send a second DELETE. Transient.
 *
 * @example
 * throw new CleanupDeleteInProgressError('sbx-ana');
 */
export class CleanupDeleteInProgressError extends TransientError {
  constructor(readonly group: string) {
    super(`The delete of '${group}' is still in progress.`, { code: 'CleanupDeleteInProgress' });
  }
}
