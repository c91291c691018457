/**
 * The failures of the `azureEvents` function, each a subclass of the semantic base that says what
 * it means (and so whether the queue retries it).
 */
import { ValidationError } from '../../shared/apiErrors.js';

/**
 * A message on `azure-events` that is not an Azure Resource Manager event in the Event Grid (or
 * CloudEvents 1.0) schema. Permanent: delivering it again gives the same answer.
 *
 * @example
 * throw new InvalidAzureEventError('data.resourceUri: expected string, received undefined');
 */
export class InvalidAzureEventError extends ValidationError {
  constructor(readonly detail: string) {
    super([{ rule: 'event', message: detail }], {
      code: 'InvalidAzureEvent',
      title: 'Invalid Azure event',
      message: `Not an Azure Resource Manager event: ${detail}`,
    });
  }
}
