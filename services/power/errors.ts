import { NotFoundError } from '../../shared/apiErrors.js';
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
