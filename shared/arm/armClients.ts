/**
 * The one factory for ARM SDK clients. It points them at `ARM_ENDPOINT` (the local emulator, or
 * Azure by default), asks for tokens for that endpoint, sets the pipeline's retry options and adds
 * the app's policies:
 *
 * - `x-ms-client-request-id` carries the current operation id and invocation id (see
 *   `runWithCorrelation`), so ARM's request logs tie back to the operation that caused them;
 * - listing resource groups asks for `$expand=createdTime` (see `resourceGroupsExpandPolicy`);
 * - every request waits for its token in ARM's per-subscription buckets, as ARM's
 *   `x-ms-ratelimit-remaining-subscription-*` headers report them (see `armPacingPolicy`), so
 *   every feature stays under ARM's limits instead of drawing 429s, and cleanup leaves a part
 *   of each bucket to provisioning and teardowns (see `BACKGROUND_FLOOR_FRACTIONS`).
 *
 * The SDK packages are imported lazily, on first use, to keep them off the cold-start path.
 */

import type { ComputeManagementClient } from '@azure/arm-compute';
import type { ManagementLockClient } from '@azure/arm-locks';
import type { ResourceManagementClient } from '@azure/arm-resources';
import type {
  PipelinePolicy,
  PipelineRequest,
  PipelineRetryOptions,
  SendRequest,
} from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type { AppConfig } from '../config.js';
import { type Correlation, currentCorrelation } from '../correlation.js';
import { readRetryAfterMs } from '../errors.js';
import { memoizeAsync } from '../memoizeAsync.js';
import { ArmRequestPacer, type ArmRequestShare, armRequestKind } from './ArmRequestPacer.js';

export interface ArmClients {
  resources: ResourceManagementClient;
  compute: ComputeManagementClient;
  locks: ManagementLockClient;
  subscriptionId: string;
  /** The endpoint the clients talk to, without a trailing slash. */
  endpoint: string;
}

export interface ArmClientOptions {
  /** The subscription the clients act on. Default `config.subscriptionId`. */
  subscriptionId?: string;
  /** Overrides the pipeline's retry options (tests use small delays). */
  retryOptions?: PipelineRetryOptions;
}

/**
 * Single requests are retried by the SDK pipeline (429 with `Retry-After`, 5xx, network); whole
 * steps are retried by `withRetry`. Keep the pipeline's share short so the two do not multiply.
 */
export const defaultArmRetryOptions: PipelineRetryOptions = {
  maxRetries: 3,
  retryDelayInMs: 1_000,
  maxRetryDelayInMs: 30_000,
};

interface ClientsKey {
  endpoint: string;
  subscriptionId: string;
  credential: TokenCredential;
  retryOptions: PipelineRetryOptions | undefined;
}

/**
 * One pacer per ARM endpoint for the whole process: every client of every feature draws from the
 * same estimate of each subscription's buckets.
 */
const pacers = new Map<string, ArmRequestPacer>();

/**
 * The process's pacer for an ARM endpoint.
 *
 * @example
 * armRequestPacer('https://management.azure.com');
 */
export function armRequestPacer(endpoint: string): ArmRequestPacer {
  const key = endpoint.replace(/\/+$/, '').toLowerCase();
  let pacer = pacers.get(key);
  if (!pacer) {
    pacer = new ArmRequestPacer();
    pacers.set(key, pacer);
  }
  return pacer;
}

/** The clients of each credential, endpoint, subscription and retry policy, made once. */
const clientsByCredential = new WeakMap<
  TokenCredential,
  (key: ClientsKey) => Promise<ArmClients>
>();

function clientsOf(credential: TokenCredential): (key: ClientsKey) => Promise<ArmClients> {
  let clients = clientsByCredential.get(credential);
  if (!clients) {
    clients = memoizeAsync(
      (k: ClientsKey) => build(k.endpoint, k.subscriptionId, k.credential, k.retryOptions),
      (k) => `${k.endpoint}|${k.subscriptionId}|${JSON.stringify(k.retryOptions ?? null)}`,
    );
    clientsByCredential.set(credential, clients);
  }
  return clients;
}

/**
 * The ARM clients for one subscription, created on first use and shared afterwards.
 *
 * @example
 * const { resources } = await createArmClients(config, await createCredential(config));
 * const group = await resources.resourceGroups.get('rg-demo');
 */
export function createArmClients(
  config: Pick<AppConfig, 'armEndpoint' | 'subscriptionId'>,
  credential: TokenCredential,
  options: ArmClientOptions = {},
): Promise<ArmClients> {
  return clientsOf(credential)({
    endpoint: config.armEndpoint.replace(/\/+$/, ''),
    subscriptionId: options.subscriptionId ?? config.subscriptionId,
    credential,
    retryOptions: options.retryOptions,
  });
}

async function build(
  endpoint: string,
  subscriptionId: string,
  credential: TokenCredential,
  retryOptions: PipelineRetryOptions = defaultArmRetryOptions,
): Promise<ArmClients> {
  const [{ ResourceManagementClient }, { ComputeManagementClient }, { ManagementLockClient }] =
    await Promise.all([
      import('@azure/arm-resources'),
      import('@azure/arm-compute'),
      import('@azure/arm-locks'),
    ]);
  // The SDKs disagree on how they derive the token scope: the core-client ones (resources, locks)
  // use `${endpoint}/.default`, but arm-compute 24 always asks for management.azure.com. Say it
  // once, explicitly, for all three. They also build URLs from `$host`, not from `endpoint`.
  const scope = `${endpoint}/.default`;
  const additionalPolicies = [
    { policy: correlationPolicy(), position: 'perCall' as const },
    { policy: resourceGroupsExpandPolicy(), position: 'perCall' as const },
    // Per retry: a retried request waits for a token of its own, and every answer is read.
    { policy: armPacingPolicy(armRequestPacer(endpoint)), position: 'perRetry' as const },
  ];
  const common = { endpoint, $host: endpoint, retryOptions, additionalPolicies };
  return {
    resources: new ResourceManagementClient(credential, subscriptionId, {
      ...common,
      credentialScopes: [scope],
    }),
    compute: new ComputeManagementClient(credential, subscriptionId, {
      endpoint,
      retryOptions,
      additionalPolicies,
      credentials: { scopes: [scope] },
    }),
    locks: new ManagementLockClient(credential, subscriptionId, {
      ...common,
      credentialScopes: [scope],
    }),
    subscriptionId,
    endpoint,
  };
}

/**
 * The `x-ms-client-request-id` for a request made on behalf of `correlation`:
 * `{operationId or runId}:{invocationId}:{requestId}` with `-` for a missing id, at most 200
 * characters.
 *
 * @example
 * clientRequestId({ operationId: 'op-1', invocationId: 'inv-9' }, 'a1b2'); // 'op-1:inv-9:a1b2'
 */
export function clientRequestId(correlation: Correlation, requestId: string): string {
  const part = (s: string | undefined) => (s ? s.slice(0, 64) : '-');
  return `${part(correlation.operationId ?? correlation.runId)}:${part(correlation.invocationId)}:${requestId}`.slice(
    0,
    200,
  );
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Stamps each request with the current correlation ids. It runs after the SDK's own
 * `setClientRequestIdPolicy`, so it overwrites the random id that policy sets. When the operation
 * id is a GUID it also becomes `x-ms-correlation-request-id`, which ARM propagates to the
 * resource providers and shows in the activity log.
 */
export function correlationPolicy(): PipelinePolicy {
  return {
    name: 'sandboxCorrelationPolicy',
    sendRequest(request: PipelineRequest, next: SendRequest) {
      const correlation = currentCorrelation();
      if (correlation.operationId || correlation.runId || correlation.invocationId) {
        request.headers.set(
          'x-ms-client-request-id',
          clientRequestId(correlation, request.requestId),
        );
        if (correlation.operationId && guid.test(correlation.operationId)) {
          request.headers.set('x-ms-correlation-request-id', correlation.operationId);
        }
      }
      return next(request);
    },
  };
}

/**
 * Adds `$expand=createdTime` to resource-group reads: the list (and its `nextLink` pages) and a
 * group's GET. ARM answers it with the groups' creation time, which the cleanup's orphan policy
 * and the creator tags of Azure's events need, but the SDK exposes no `expand` option there and
 * core-client's `requestOptions` cannot add a query parameter; a policy scoped to exactly those
 * URL shapes is the narrowest way in.
 */
export function resourceGroupsExpandPolicy(): PipelinePolicy {
  return {
    name: 'sandboxResourceGroupsExpandPolicy',
    sendRequest(request: PipelineRequest, next: SendRequest) {
      if (request.method === 'GET') {
        const url = new URL(request.url);
        if (/^\/subscriptions\/[^/]+\/resourcegroups(\/[^/]+)?\/?$/i.test(url.pathname)) {
          if (!url.searchParams.has('$expand')) {
            url.searchParams.set('$expand', 'createdTime');
            request.url = url.toString();
          }
        }
      }
      return next(request);
    },
  };
}

/**
 * Whose share of ARM's budget the work under way spends: a scheduled run's (a cleanup run, a power
 * schedule run) is background, anything a person or pipeline waits for (a sandbox operation, a
 * request) is foreground. See `ArmRequestShare`.
 *
 * @example
 * armRequestShare({ runId: '20260101T000000Z-ab12cd' }); // 'background'
 */
export function armRequestShare(correlation: Correlation): ArmRequestShare {
  return correlation.runId !== undefined && correlation.operationId === undefined
    ? 'background'
    : 'foreground';
}

/**
 * Makes each request to a subscription wait for its token (see `ArmRequestPacer`), then tells the
 * pacer what ARM's answer said about the bucket: the `x-ms-ratelimit-remaining-subscription-*`
 * headers, or a 429's `Retry-After`. Requests outside a subscription are not paced. Requests of a
 * cleanup run wait for the background share (`armRequestShare`).
 *
 * @example
 * new ResourceManagementClient(credential, sub, {
 *   additionalPolicies: [{ policy: armPacingPolicy(pacer), position: 'perRetry' }] });
 */
export function armPacingPolicy(pacer: ArmRequestPacer): PipelinePolicy {
  return {
    name: 'sandboxArmPacingPolicy',
    async sendRequest(request: PipelineRequest, next: SendRequest) {
      const subscription = /^\/subscriptions\/([^/?#]+)/i.exec(new URL(request.url).pathname)?.[1];
      if (!subscription) return next(request);
      const kind = armRequestKind(request.method);
      // The SDKs hand Node's own AbortSignal through as an `AbortSignalLike`.
      const signal = request.abortSignal as AbortSignal | undefined;
      const ticket = await pacer.acquire(
        decodeURIComponent(subscription),
        kind,
        signal,
        armRequestShare(currentCorrelation()),
      );
      let response: Awaited<ReturnType<SendRequest>>;
      try {
        response = await next(request);
      } catch (error) {
        ticket.abandon();
        throw error;
      }
      const header = (name: string) => {
        const value = response.headers.get(name);
        return value === undefined || value.trim() === '' ? undefined : Number(value);
      };
      ticket.settle({
        status: response.status,
        remaining: header(`x-ms-ratelimit-remaining-subscription-${kind}`),
        globalRemaining: header(`x-ms-ratelimit-remaining-subscription-global-${kind}`),
        retryAfterMs: readRetryAfterMs(response.headers),
      });
      return response;
    },
  };
}
