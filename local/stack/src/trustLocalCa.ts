import { Agent } from 'node:https';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

/**
 * A pipeline policy for Azure SDK clients and credentials that sends their requests through an
 * agent trusting the local platform's CA, for this process only (NODE_EXTRA_CA_CERTS is read at
 * process start, before the stack has made its CA).
 *
 * @example
 * new ResourceManagementClient(credential, subscriptionId, {
 *   endpoint, additionalPolicies: [{ policy: trustLocalCa(ca), position: 'perCall' }],
 * });
 */
export function trustLocalCa(ca: Buffer): PipelinePolicy {
  const agent = new Agent({ ca, keepAlive: true });
  return {
    name: 'trustLocalCa',
    sendRequest: (request, next) => {
      request.agent ??= agent;
      return next(request);
    },
  };
}
