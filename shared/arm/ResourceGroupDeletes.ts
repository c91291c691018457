/**
 * Deleting resource groups at ARM's pace. A group delete is a long-running operation: ARM answers
 * the DELETE with 202, a `Location` to poll and a `Retry-After`, and the group shows
 * `provisioningState: Deleting` until it is gone. Polling each operation is one read per group per
 * look; when many deletes run in a subscription, one listing of its groups (a thousand per page)
 * answers them all at once. So each look chooses: a listing of the subscription shared by every
 * delete that is due (when the deletes looked at per listing outnumber its pages), or a poll of
 * the operation spaced by `Retry-After` (a lone delete in a large subscription). A poll is still
 * what tells how a delete failed: a group that is back from `Deleting` is polled for ARM's error.
 *
 * The DELETE goes out as a plain request through the clients' pipeline (token, retries, pacing),
 * not through the SDK's `beginDelete`, which polls once at once, before ARM could have finished.
 * The resume token is the SDK's own shape (`{ state: { config: { operationLocation } } }`), so
 * tokens saved by either can be resumed by either.
 */
import type { PipelineResponse } from '@azure/core-rest-pipeline';
import type { Clock } from '../clock.js';
import {
  classifyError,
  type ErrorClassification,
  LroFailedError,
  readRetryAfterMs,
} from '../errors.js';
import type { ArmClients } from './armClients.js';
import type { ResourceGroupInfo } from './ResourceGroups.js';
import { SharedListings } from './SharedListings.js';

/** A delete ARM has accepted, as its resume token holds it. */
export interface DeleteOperation {
  /** ARM's `Location` to poll; none when this delete joined one someone else started. */
  location?: string;
  /** When ARM accepted the DELETE (ms since the epoch); 0 when unknown. */
  acceptedAt: number;
  /** ARM's `Retry-After` when it accepted it (ms). */
  retryAfterMs: number;
}

/** What the DELETE itself answered. */
export type DeleteStart =
  | { kind: 'not-found' }
  /** 200 or 204: deleted at once. */
  | { kind: 'deleted' }
  | { kind: 'accepted'; operation: DeleteOperation };

/** What one look at a running delete found. */
export type DeleteLook =
  | { kind: 'deleted' }
  | { kind: 'running'; retryAfterMs: number }
  /** ARM has no record of the operation and the group is there, not deleting: start again. */
  | { kind: 'lost' };

/** ARM's default wait between looks at a group delete when it gives none. */
const DEFAULT_RETRY_AFTER_MS = 15_000;
/** How far back the looks are counted that decide between a listing and polls. */
const LOOK_WINDOW_MS = 10_000;

/**
 * The resume token of an accepted delete: the shape `@azure/core-lro` serializes a Location-mode
 * poller to, plus when ARM accepted it and its `Retry-After`.
 *
 * @example
 * deleteResumeToken({ location: 'https://…/operationresults/x', acceptedAt: 0, retryAfterMs: 15000 });
 */
export function deleteResumeToken(operation: DeleteOperation): string {
  return JSON.stringify({
    state: {
      status: 'running',
      config: {
        metadata: { mode: 'ResourceLocation' },
        operationLocation: operation.location,
      },
    },
    acceptedAt: new Date(operation.acceptedAt).toISOString(),
    retryAfterMs: operation.retryAfterMs,
  });
}

/**
 * The delete a resume token describes (one of ours or the SDK's), or `undefined` when it cannot
 * be read.
 *
 * @example
 * readDeleteResumeToken(token)?.location; // 'https://…/operationresults/x'
 */
export function readDeleteResumeToken(token: string): DeleteOperation | undefined {
  try {
    const parsed = JSON.parse(token) as {
      state?: { config?: { operationLocation?: unknown } };
      acceptedAt?: unknown;
      retryAfterMs?: unknown;
    };
    const location = parsed.state?.config?.operationLocation;
    if (typeof location !== 'string' || !/^https:\/\//i.test(location)) return undefined;
    const acceptedAt = typeof parsed.acceptedAt === 'string' ? Date.parse(parsed.acceptedAt) : 0;
    return {
      location,
      acceptedAt: Number.isFinite(acceptedAt) ? acceptedAt : 0,
      retryAfterMs: typeof parsed.retryAfterMs === 'number' ? parsed.retryAfterMs : 0,
    };
  } catch {
    return undefined;
  }
}

export interface ResourceGroupDeletesDeps {
  clientsFor(subscriptionId: string): Promise<ArmClients>;
  list(subscriptionId: string): AsyncIterable<ResourceGroupInfo>;
  get(subscriptionId: string, name: string): Promise<ResourceGroupInfo | undefined>;
  clock: Clock;
}

/** A subscription's groups by lower-case name, with their provisioning state. */
interface GroupStates {
  states: Map<string, string>;
  pages: number;
}

/**
 * Starts group deletes and looks at them, per subscription, choosing the cheaper look.
 *
 * @example
 * const deletes = new ResourceGroupDeletes({ clientsFor, list, get, clock });
 * const start = await deletes.start(sub, 'sbx-1');
 * if (start.kind === 'accepted') await deletes.look(sub, 'sbx-1', start.operation);
 */
export class ResourceGroupDeletes {
  private readonly listings: SharedListings<GroupStates>;
  private readonly looks = new Map<string, number[]>();
  private readonly pages = new Map<string, number>();

  constructor(private readonly deps: ResourceGroupDeletesDeps) {
    this.listings = new SharedListings(async (subscriptionId) => {
      const states = new Map<string, string>();
      for await (const group of deps.list(subscriptionId)) {
        states.set(group.name.toLowerCase(), group.provisioningState);
      }
      const pages = Math.max(1, Math.ceil(states.size / 1000));
      this.pages.set(subscriptionId.toLowerCase(), pages);
      return { states, pages };
    }, deps.clock);
  }

  /** Sends the DELETE. Throws `LroFailedError` with ARM's code when ARM refuses it. */
  async start(subscriptionId: string, name: string, signal?: AbortSignal): Promise<DeleteStart> {
    const clients = await this.deps.clientsFor(subscriptionId);
    const url = `${clients.endpoint}/subscriptions/${encodeURIComponent(subscriptionId)}/resourcegroups/${encodeURIComponent(name)}?api-version=${clients.resources.apiVersion}`;
    const response = await send(clients, 'DELETE', url, signal);
    const now = this.deps.clock.now().getTime();
    if (response.status === 404) return { kind: 'not-found' };
    if (response.status === 200 || response.status === 204) return { kind: 'deleted' };
    if (response.status === 202) {
      const location = response.headers.get('location');
      return {
        kind: 'accepted',
        operation: {
          ...(location ? { location } : {}),
          acceptedAt: now,
          retryAfterMs: retryAfterOf(response),
        },
      };
    }
    const failure = classifyResponse(response);
    if (failure.code === 'ResourceGroupBeingDeleted') {
      // Someone else's delete (or ours, whose token a crash lost) is running: follow that one.
      return {
        kind: 'accepted',
        operation: { acceptedAt: now, retryAfterMs: failure.retryAfterMs ?? 0 },
      };
    }
    throw new LroFailedError(operationName(name), failure);
  }

  /**
   * One look at a running delete: from a listing of the subscription that started after ARM's
   * `Retry-After` had passed (and at most one listing interval ago), or by polling its operation.
   * Throws `LroFailedError` (permanent) when the delete failed, with ARM's code.
   */
  async look(
    subscriptionId: string,
    name: string,
    operation: DeleteOperation,
    signal?: AbortSignal,
  ): Promise<DeleteLook> {
    const key = subscriptionId.toLowerCase();
    const now = this.deps.clock.now().getTime();
    const recent = (this.looks.get(key) ?? []).filter((t) => t > now - LOOK_WINDOW_MS);
    recent.push(now);
    this.looks.set(key, recent);
    const pages = this.pages.get(key) ?? 1;
    const interval = listingIntervalMs(pages);
    const perListing = (recent.length / LOOK_WINDOW_MS) * interval;
    if (perListing < pages && operation.location) {
      return this.poll(subscriptionId, name, operation.location, signal);
    }
    const dueAt = operation.acceptedAt + operation.retryAfterMs;
    const notBefore = Math.min(now, Math.max(dueAt, now - interval));
    const last = this.listings.lastStartedAt(key);
    if ((last === undefined || last < notBefore) && last !== undefined && now - last < interval) {
      // A newer listing is needed but the last one is too recent: look again once one is due.
      return { kind: 'running', retryAfterMs: Math.max(250, last + interval - now) };
    }
    const { value } = await this.listings.startedSince(key, notBefore);
    const state = value.states.get(name.toLowerCase());
    if (state === undefined) return { kind: 'deleted' };
    if (state.toLowerCase() === 'deleting') {
      return { kind: 'running', retryAfterMs: Math.max(interval, operation.retryAfterMs || 0) };
    }
    // Back from Deleting: the delete ended without removing the group. ARM's poll says how.
    if (!operation.location) throw abandoned(name, state);
    return this.poll(subscriptionId, name, operation.location, signal);
  }

  private async poll(
    subscriptionId: string,
    name: string,
    location: string,
    signal?: AbortSignal,
  ): Promise<DeleteLook> {
    const clients = await this.deps.clientsFor(subscriptionId);
    const response = await send(clients, 'GET', location, signal);
    if (response.status === 202) return { kind: 'running', retryAfterMs: retryAfterOf(response) };
    if (response.status === 200 || response.status === 204) return { kind: 'deleted' };
    // Not a clear answer: a forgotten operation (404), a failure, or a passing hiccup. The group
    // itself tells which.
    const failure = classifyResponse(response);
    const group = await this.deps.get(subscriptionId, name);
    if (!group) return { kind: 'deleted' };
    if (group.provisioningState.toLowerCase() === 'deleting') {
      return { kind: 'running', retryAfterMs: failure.retryAfterMs ?? 1_000 };
    }
    if (response.status === 404) return { kind: 'lost' };
    throw new LroFailedError(operationName(name), { ...failure, kind: 'permanent' });
  }
}

/** Listings of a subscription are spaced by half a second per page, and at least a second. */
function listingIntervalMs(pages: number): number {
  return Math.max(1_000, pages * 500);
}

function operationName(name: string): string {
  return `delete resource group ${name}`;
}

function abandoned(name: string, state: string): LroFailedError {
  return new LroFailedError(operationName(name), {
    kind: 'transient',
    code: 'ResourceGroupDeleteAbandoned',
    message: `the group is ${state} again; the other delete did not finish`,
  });
}

function retryAfterOf(response: PipelineResponse): number {
  return readRetryAfterMs(response.headers) ?? DEFAULT_RETRY_AFTER_MS;
}

async function send(
  clients: ArmClients,
  method: 'GET' | 'DELETE',
  url: string,
  signal?: AbortSignal,
): Promise<PipelineResponse> {
  const { createPipelineRequest } = await import('@azure/core-rest-pipeline');
  return clients.resources.sendRequest(
    createPipelineRequest({ url, method, ...(signal ? { abortSignal: signal } : {}) }),
  );
}

/** ARM's error answer, classified as the SDKs' errors are (code, message, Retry-After, kind). */
function classifyResponse(response: PipelineResponse): ErrorClassification {
  const error = Object.assign(new Error(`ARM answered ${response.status}`), {
    name: 'RestError',
    statusCode: response.status,
    response: {
      status: response.status,
      headers: response.headers,
      bodyAsText: response.bodyAsText,
    },
  });
  return classifyError(error);
}
