import { NotFoundError, TransientError } from '../../shared/apiErrors.js';
import { AppError } from '../../shared/errors.js';

/** No power run has this id. */
export class PowerRunNotFoundError extends NotFoundError {
  constructor(readonly runId: string) {
    super(`No power run '${runId}'.`, { code: 'PowerRunNotFound', title: 'Power run not found' });
  }
}

/** A `power-requests` message that cannot be read. Permanent. */
export class InvalidPowerMessageError extends AppError {
  constructor(detail: string) {
    super(`Invalid power message: ${detail}`, { kind: 'permanent', code: 'InvalidPowerMessage' });
    this.name = 'InvalidPowerMessageError';
  }
}

/** A VM message names a VM its run's plan does not act on. Permanent. */
export class PowerPlanItemNotFoundError extends AppError {
  constructor(runId: string, resourceGroup: string, vm: string) {
    super(`Power run ${runId} does not act on ${resourceGroup}/${vm}.`, {
      kind: 'permanent',
      code: 'PowerPlanItemNotFound',
    });
    this.name = 'PowerPlanItemNotFoundError';
  }
}

/**
 * An earlier delivery sent this VM's action and the VM is still on its way to the state it leads
 * to: the delivery is tried again later, to record the action once it is done. Transient.
 *
 * @example
 * throw new PowerActionInProgressError('vm-ana', 'deallocating');
 */
export class PowerActionInProgressError extends TransientError {
  constructor(
    readonly vm: string,
    readonly powerState: string,
  ) {
    super(`The VM '${vm}' is still ${powerState} after the action an earlier delivery sent.`, {
      code: 'PowerActionInProgress',
    });
  }
}
