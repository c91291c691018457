// `npm start`'s runner: Azurite, the ARM emulator and the Functions host around one app.
export { assertPortsFree, type PortClaim, PortInUseError } from './assertPortsFree.js';
export { type RunLocalStackOptions, runLocalStack } from './runLocalStack.js';
export {
  type LocalPorts,
  type LocalStack,
  type LocalStackOptions,
  localPorts,
  portClaims,
  type RuntimeInfo,
  startLocalStack,
} from './startLocalStack.js';
