/**
 * The composition root of the provisioning functions: the real ports over the app's settings and
 * managed identity, built once per process on first use. Every SDK-backed module is imported
 * lazily, so loading the app (a cold start) and answering a health probe never pay for them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { InvocationContext } from '@azure/functions';
import { blueprints } from '../../services/provisioning/blueprints/index.js';
import type { ProvisioningDeps } from '../../services/provisioning/ProvisioningDeps.js';
import type { ProvisionMessage } from '../../services/provisioning/ProvisionMessage.js';
import { getConfig } from '../../shared/config.js';
import { createLogger, type LogBindings } from '../../shared/logging/logger.js';
import { queueNames } from '../../shared/queues/queueNames.js';

type ProcessDeps = Omit<ProvisioningDeps, 'logger'>;

let shared: Promise<ProcessDeps> | undefined;

/**
 * The provisioning ports for one invocation: the process's clients, with a logger bound to the
 * invocation (and to `bindings`, for example the operation id).
 *
 * @example
 * const deps = await provisioningDeps(context, { operationId });
 */
export async function provisioningDeps(
  context: InvocationContext,
  bindings: LogBindings = {},
): Promise<ProvisioningDeps> {
  if (!shared) {
    shared = build();
    shared.catch(() => {
      shared = undefined;
    });
  }
  return { ...(await shared), logger: createLogger(context, bindings) };
}

async function build(): Promise<ProcessDeps> {
  const config = getConfig();
  const [
    { BlobRecordStore },
    { StorageWorkQueue },
    { ArmResourceGroups },
    { createArmClients },
    { createCredential },
    { ArmSandboxResources },
  ] = await Promise.all([
    import('../../shared/records/BlobRecordStore.js'),
    import('../../shared/queues/StorageWorkQueue.js'),
    import('../../shared/arm/ArmResourceGroups.js'),
    import('../../shared/arm/armClients.js'),
    import('../../shared/credentials.js'),
    import('../../services/provisioning/ArmSandboxResources.js'),
  ]);
  const processLogger = createLogger(undefined, { component: 'provisioning' });
  const lroTimeoutMs = config.lroTimeoutMinutes * 60_000;
  const [records, queue, groups, clients] = await Promise.all([
    BlobRecordStore.fromConfig(config),
    StorageWorkQueue.fromConfig<ProvisionMessage>(config, queueNames.provisionRequests),
    ArmResourceGroups.fromConfig(config, { logger: processLogger }),
    createCredential(config).then((credential) => createArmClients(config, credential)),
  ]);
  return {
    settings: {
      subscriptionId: config.subscriptionId,
      appName: config.appName,
      adminPrincipals: config.adminPrincipals,
      policy: config.policy,
    },
    records,
    queue,
    groups,
    resources: new ArmSandboxResources(clients, {
      timeoutMs: lroTimeoutMs,
      ...(config.lroPollIntervalMs === undefined
        ? {}
        : { pollIntervalMs: config.lroPollIntervalMs }),
      logger: processLogger,
    }),
    blueprints,
    now: () => new Date(),
    newId: randomUUID,
    // 24 random bytes, base64url, plus the character classes MySQL's password rule asks for.
    secret: () => `${randomBytes(24).toString('base64url')}aA1!`,
  };
}
