/**
 * The errors the provisioning services throw. The HTTP adapter maps each class to a status and a
 * problem+json type; all are permanent (`AppError.kind`), except `EnqueueFailedError`.
 */
import { AppError, type ErrorKind } from '../../shared/errors.js';

/** One failed check, named so the caller knows which rule to satisfy. */
export interface Violation {
  /** The rule or field that failed, for example `location-allowed` or `parameters.adminUsername`. */
  rule: string;
  message: string;
}

/** Base class: a stable `code` for machines and a message for people. */
export class ProvisioningError extends AppError {
  constructor(code: string, message: string, options: { cause?: unknown; kind?: ErrorKind } = {}) {
    super(message, { kind: options.kind ?? 'permanent', code, cause: options.cause });
    this.name = 'ProvisioningError';
  }
}

/**
 * The request is malformed: not JSON, wrong shape, unknown blueprint or bad parameters.
 *
 * @example
 * throw new InvalidRequestError([{ rule: 'name', message: 'Required' }]);
 */
export class InvalidRequestError extends ProvisioningError {
  constructor(
    readonly violations: readonly Violation[],
    cause?: unknown,
  ) {
    super('InvalidRequest', `Invalid request: ${describe(violations)}`, { cause });
    this.name = 'InvalidRequestError';
  }
}

/** The request is well formed but a policy forbids it; each violation names its rule. */
export class PolicyViolationError extends ProvisioningError {
  constructor(readonly violations: readonly Violation[]) {
    super('PolicyViolation', `Policy violated: ${describe(violations)}`);
    this.name = 'PolicyViolationError';
  }
}

/** A sandbox (resource group) with this name exists, or is being created right now. */
export class SandboxExistsError extends ProvisioningError {
  constructor(readonly sandbox: string) {
    super('SandboxExists', `A sandbox named '${sandbox}' already exists or is being created.`);
    this.name = 'SandboxExistsError';
  }
}

/** The same `Idempotency-Key` was sent before with a different request body. */
export class IdempotencyKeyReuseError extends ProvisioningError {
  constructor(readonly operationId: string) {
    super(
      'IdempotencyKeyReuse',
      `This Idempotency-Key was used for a different request (operation ${operationId}).`,
    );
    this.name = 'IdempotencyKeyReuseError';
  }
}

/** The caller may not act on this sandbox: only its owner or an admin may. */
export class NotSandboxOwnerError extends ProvisioningError {
  constructor(
    readonly sandbox: string,
    readonly caller: string,
  ) {
    super('Forbidden', `'${caller}' is neither the owner of sandbox '${sandbox}' nor an admin.`);
    this.name = 'NotSandboxOwnerError';
  }
}

/** No managed sandbox has this name. */
export class SandboxNotFoundError extends ProvisioningError {
  constructor(readonly sandbox: string) {
    super('SandboxNotFound', `No sandbox named '${sandbox}'.`);
    this.name = 'SandboxNotFoundError';
  }
}

/** No operation has this id. */
export class OperationNotFoundError extends ProvisioningError {
  constructor(readonly operationId: string) {
    super('OperationNotFound', `No operation with id '${operationId}'.`);
    this.name = 'OperationNotFoundError';
  }
}

/** A blueprint's resources do not form a valid plan: a cycle, a duplicate or an unknown dependency. */
export class BlueprintPlanError extends ProvisioningError {
  constructor(
    readonly blueprint: string,
    message: string,
  ) {
    super('InvalidBlueprint', `Blueprint '${blueprint}': ${message}`);
    this.name = 'BlueprintPlanError';
  }
}

/**
 * The request was accepted but could not be queued; its operation was marked failed so nothing is
 * left stranded, and the caller may retry.
 */
export class EnqueueFailedError extends ProvisioningError {
  constructor(
    readonly operationId: string,
    cause: unknown,
  ) {
    super('EnqueueFailed', 'The request could not be queued; retry later.', {
      cause,
      kind: 'transient',
    });
    this.name = 'EnqueueFailedError';
  }
}

function describe(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.rule}: ${v.message}`).join('; ');
}
