// What every cleanup function needs for one invocation: the parsed settings, a logger bound to
// the invocation, the real ports (created once per process) and the cleanup policy.
import type { InvocationContext } from '@azure/functions';
import { cleanupPolicyFromConfig } from '../../services/cleanup/cleanupPolicyFromConfig.js';
import { createCleanupPorts } from '../../services/cleanup/createCleanupPorts.js';
import { getConfig } from '../../shared/config.js';
import { createLogger, type LogBindings } from '../../shared/logging/logger.js';

export async function cleanupInvocation(context: InvocationContext, bindings: LogBindings = {}) {
  const config = getConfig();
  const logger = createLogger(context, bindings);
  const ports = await createCleanupPorts(config, logger);
  return { config, logger, ports, policy: cleanupPolicyFromConfig(config) };
}
