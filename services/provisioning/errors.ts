/**
 * The failures of provisioning, each a subclass of the semantic base that says what it means
 * (and so which status and problem type it answers with).
 */
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TransientError,
  ValidationError,
} from '../../shared/apiErrors.js';

/** A blueprint's resources do not form a valid plan: a cycle, a duplicate or an unknown dependency. */
export class BlueprintPlanError extends ValidationError {
  constructor(
    readonly blueprint: string,
    message: string,
  ) {
    super([{ rule: 'blueprint', message }], {
      code: 'InvalidBlueprint',
      title: 'Invalid blueprint',
      message: `Blueprint '${blueprint}': ${message}`,
    });
  }
}

/** A sandbox (resource group) with this name exists, or is being created right now. */
export class SandboxExistsError extends ConflictError {
  constructor(readonly sandbox: string) {
    super(`A sandbox named '${sandbox}' already exists or is being created.`, {
      code: 'SandboxExists',
      title: 'Sandbox exists',
    });
  }
}

/** The same `Idempotency-Key` was sent before with a different request body. */
export class IdempotencyKeyReuseError extends ValidationError {
  override readonly status = 422;
  constructor(readonly operationId: string) {
    const message = `This Idempotency-Key was used for a different request (operation ${operationId}).`;
    super([{ rule: 'Idempotency-Key', message }], {
      code: 'IdempotencyKeyReuse',
      title: 'Idempotency-Key reused',
      message,
    });
  }
}

/** The caller may not act on this sandbox: only its owner or an admin may. */
export class NotSandboxOwnerError extends ForbiddenError {
  constructor(
    readonly sandbox: string,
    readonly caller: string,
  ) {
    super(`'${caller}' is neither the owner of sandbox '${sandbox}' nor an admin.`);
  }
}

/** No sandbox has this name. */
export class SandboxNotFoundError extends NotFoundError {
  constructor(readonly sandbox: string) {
    super(`No sandbox named '${sandbox}'.`, {
      code: 'SandboxNotFound',
      title: 'Sandbox not found',
    });
  }
}

/** The sandbox's group is being deleted: nothing but the deletion may happen to it now. */
export class SandboxBeingDeletedError extends ConflictError {
  constructor(
    readonly sandbox: string,
    readonly operationId?: string,
  ) {
    super(
      operationId === undefined
        ? `Sandbox '${sandbox}' is being deleted.`
        : `Sandbox '${sandbox}' is being deleted (operation ${operationId}).`,
      {
        code: 'SandboxBeingDeleted',
        title: 'Sandbox being deleted',
        ...(operationId === undefined ? {} : { extensions: { operationId } }),
      },
    );
  }
}

/**
 * The sandbox is what a failed provisioning left, kept for inspection until its short lease ends:
 * its lease cannot be extended (it does not count against the owner's quota).
 *
 * @example
 * throw new SandboxFailedError('ana-1', '2026-01-02T10:00:00.000Z'); // → 409
 */
export class SandboxFailedError extends ConflictError {
  constructor(
    readonly sandbox: string,
    readonly expiresAt: string,
  ) {
    super(
      `Sandbox '${sandbox}' failed to provision and is kept for inspection until ${expiresAt}; its lease cannot be extended. Delete it, or request a new sandbox.`,
      { code: 'SandboxFailed', title: 'Sandbox failed' },
    );
  }
}

/** No operation has this id. */
export class OperationNotFoundError extends NotFoundError {
  constructor(readonly operationId: string) {
    super(`No operation with id '${operationId}'.`, {
      code: 'OperationNotFound',
      title: 'Operation not found',
    });
  }
}

/**
 * The request was accepted but could not be queued; its operation was marked failed so nothing
 * is left stranded, and the caller may retry.
 */
export class EnqueueFailedError extends TransientError {
  constructor(
    readonly operationId: string,
    cause: unknown,
  ) {
    super(`The request could not be queued; retry later (operation ${operationId}).`, {
      code: 'EnqueueFailed',
      cause,
      retryAfterMs: 5_000,
    });
  }
}

/** An illegal status change, for example a re-delivered message reviving a finished operation. */
export class OperationTransitionError extends ConflictError {
  constructor(
    readonly operationId: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`Operation ${operationId} cannot go from ${from} to ${to}.`, {
      code: 'OperationTransition',
    });
  }
}
