/**
 * The errors the cleanup services throw. Each carries the shared `kind` (transient or permanent)
 * and a stable `code`; the HTTP adapter maps each class to a status, and the queue adapter retries
 * only the transient ones.
 */
import { AppError } from '../../shared/errors.js';

/** Base class of every cleanup error. */
export class CleanupError extends AppError {
  constructor(
    message: string,
    options: { kind?: 'transient' | 'permanent'; code: string; cause?: unknown },
  ) {
    super(message, { kind: options.kind ?? 'permanent', code: options.code, cause: options.cause });
    this.name = 'CleanupError';
  }
}

/**
 * No cleanup run has this id.
 *
 * @example
 * throw new CleanupRunNotFoundError('20260101T000000Z-ab12cd'); // → 404
 */
export class CleanupRunNotFoundError extends CleanupError {
  constructor(readonly runId: string) {
    super(`No cleanup run with id '${runId}'.`, { code: 'CleanupRunNotFound' });
    this.name = 'CleanupRunNotFoundError';
  }
}

/**
 * The run cannot be approved: only a blocked run, or a finished dry run, can be, and only once.
 *
 * @example
 * throw new CleanupRunNotApprovableError('2026…', 'applying'); // → 409
 */
export class CleanupRunNotApprovableError extends CleanupError {
  constructor(
    readonly runId: string,
    readonly status: string,
  ) {
    super(
      `Cleanup run '${runId}' is ${status}; only a blocked run or a completed dry run can be approved.`,
      { code: 'CleanupRunNotApprovable' },
    );
    this.name = 'CleanupRunNotApprovableError';
  }
}

/**
 * The request to start or approve a run is malformed.
 *
 * @example
 * throw new InvalidCleanupRequestError('dryRun must be a boolean'); // → 400
 */
export class InvalidCleanupRequestError extends CleanupError {
  constructor(message: string) {
    super(`Invalid request: ${message}`, { code: 'InvalidRequest' });
    this.name = 'InvalidCleanupRequestError';
  }
}

/**
 * The caller is authenticated but is not one of `ADMIN_PRINCIPALS`.
 *
 * @example
 * throw new NotCleanupAdminError('ana@contoso.com'); // → 403
 */
export class NotCleanupAdminError extends CleanupError {
  constructor(readonly caller: string | undefined) {
    super(
      caller
        ? `'${caller}' is not an admin; cleanup runs need an admin principal or the admin key.`
        : 'Cleanup runs need an admin principal (x-ms-client-principal) or the admin key.',
      { code: 'Forbidden' },
    );
    this.name = 'NotCleanupAdminError';
  }
}

/**
 * A `cleanup-requests` message that cannot be understood. Permanent: redelivery cannot fix it.
 *
 * @example
 * throw new InvalidCleanupMessageError('kind: Invalid input');
 */
export class InvalidCleanupMessageError extends CleanupError {
  constructor(message: string) {
    super(`Invalid cleanup message: ${message}`, { code: 'InvalidCleanupMessage' });
    this.name = 'InvalidCleanupMessageError';
  }
}

/**
 * The run's plan, or this group's item in it, is missing: the message does not belong to an
 * approved plan, so nothing is done.
 *
 * @example
 * throw new CleanupPlanItemNotFoundError('2026…', 'sub', 'sbx-ana');
 */
export class CleanupPlanItemNotFoundError extends CleanupError {
  constructor(
    readonly runId: string,
    readonly subscriptionId: string,
    readonly group: string,
  ) {
    super(
      `Run '${runId}' has no planned action for '${group}' in subscription '${subscriptionId}'.`,
      {
        code: 'CleanupPlanItemNotFound',
      },
    );
    this.name = 'CleanupPlanItemNotFoundError';
  }
}

/**
 * A delete was started by an earlier delivery and ARM still reports the group `Deleting`: try again
 * later rather than send a second DELETE. Transient.
 *
 * @example
 * throw new CleanupDeleteInProgressError('sbx-ana');
 */
export class CleanupDeleteInProgressError extends CleanupError {
  constructor(readonly group: string) {
    super(`The delete of '${group}' is still in progress.`, {
      kind: 'transient',
      code: 'CleanupDeleteInProgress',
    });
    this.name = 'CleanupDeleteInProgressError';
  }
}
