// `npm start`'s runner: Azurite, the ARM emulator and the Functions host around one app.
export { assertPortsFree, type PortClaim, PortInUseError } from './assertPortsFree.js';
export { requestToken, type TokenRequest, TokenRequestError } from './requestToken.js';
export { type RunLocalStackOptions, runLocalStack } from './runLocalStack.js';
export {
  type LocalPorts,
  type LocalStack,
  type LocalStackOptions,
  localPorts,
  portClaims,
  type RuntimeInfo,
  type StackAzureEvents,
  type StackRoleAssignment,
  startLocalStack,
} from './startLocalStack.js';
export {
  type SinkRequest,
  type SinkResponse,
  startWebhookSink,
  type WebhookSink,
  type WebhookSinkOptions,
} from './startWebhookSink.js';
export {
  type AzureEventsRequest,
  type AzureEventsSubscription,
  SUCCESS_EVENT_TYPES,
  subscribeToAzureEvents,
} from './subscribeToAzureEvents.js';
export { trustLocalCa } from './trustLocalCa.js';
