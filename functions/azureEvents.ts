import { azureEventsPorts } from '../services/azureEvents/AzureEventsPorts.js';
import { correlateAzureEvent } from '../services/azureEvents/AzureResourceEvent.js';
import { handleAzureEvent } from '../services/azureEvents/handleAzureEvent.js';
import { queueFunction, registerQueueFunction } from '../shared/functions/queueFunction.js';
import { queueNames } from '../shared/queues/queueNames.js';

/**
 * Queue `azure-events`: one Azure Resource Manager event, from the subscription's Event Grid
 * system topic. Tags new groups with their creator, adopts them when adoption is on, and notes
 * sandboxes changed or deleted outside the app.
 */
export const azureEvents = queueFunction('azureEvents', {
  queueName: queueNames.azureEvents,
  ports: azureEventsPorts,
  correlate: correlateAzureEvent,
  async handle(message, ports) {
    await handleAzureEvent(message, ports);
  },
});

registerQueueFunction(azureEvents);
