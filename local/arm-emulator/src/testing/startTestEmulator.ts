/**
 * Starts the ARM + managed-identity emulator in-process for a test file: ephemeral ports, a fast
 * time scale (operations finish in tens of milliseconds), throttling off unless asked for, and a
 * typed client for the control API that goes over real HTTPS.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import {
  type EmulatorOptions,
  type EventDeliverySettings,
  type EventDeliverySettingsInput,
  type EventGridEvent,
  type FaultSettings,
  type FaultSettingsInput,
  type LocalEntra,
  type RequestLogEntry,
  type RequestStats,
  type RunningEmulator,
  type SeedPayload,
  startEmulator,
  type ThrottlingLimits,
} from '../index.js';
import { testCertDir } from './testCertificates.js';

export interface EmulatorStats extends RequestStats {
  resourceGroups: number;
  resources: number;
  locks: number;
  pendingOperations: number;
  clockOffsetMs: number;
  /** Event Grid deliveries not yet delivered, dead-lettered or dropped. */
  eventDeliveriesPending: number;
}

/** An event the emulator published, and what became of it at each matching event subscription. */
export interface PublishedEventEntry {
  event: EventGridEvent;
  deliveries: Array<{
    eventSubscription: string;
    /** `{account}/{queue}` */
    destination: string;
    status: 'pending' | 'held' | 'delivered' | 'deadLettered' | 'dropped';
    attempts: number;
    /** 2 when the delivery was duplicated. */
    copies: number;
    heldBack: boolean;
    lastOutcome?: string;
    lastError?: string;
  }>;
}

export interface EmulatorControl {
  reset(): Promise<void>;
  faults(): Promise<FaultSettings>;
  setFaults(faults: FaultSettingsInput): Promise<FaultSettings>;
  requests(filter?: { limit?: number; method?: string; path?: string }): Promise<RequestLogEntry[]>;
  clearRequests(): Promise<void>;
  stats(): Promise<EmulatorStats>;
  seed(payload: SeedPayload): Promise<{ resourceGroups: number; resources: number; locks: number }>;
  advanceClock(seconds: number): Promise<void>;
  setThrottling(limits: false | Partial<ThrottlingLimits>): Promise<void>;
  /** The local Entra ID, with its users' passwords and service principals' secrets. */
  entra(): Promise<LocalEntra>;
  /** The published signing keys' ids, oldest first, and the one tokens are signed with. */
  signingKeys(): Promise<{ kids: string[]; active: string }>;
  /** Signs with a new key from now on; the previous one stays published. */
  rotateSigningKeys(): Promise<{ kids: string[]; active: string }>;
  /** The events published most recently (ARM's, to system topics), oldest first. */
  events(limit?: number): Promise<PublishedEventEntry[]>;
  eventDelivery(): Promise<EventDeliverySettings>;
  /** Duplicated and reordered deliveries, seeded; `{}` puts everything back in order. */
  setEventDelivery(settings: EventDeliverySettingsInput): Promise<EventDeliverySettings>;
  /**
   * Resolves once no Event Grid delivery is pending: every event published so far is in its queue,
   * dead-lettered or dropped. Rejects after `timeoutMs` (default 30 s).
   */
  eventDeliveriesSettled(timeoutMs?: number): Promise<void>;
}

export type TestEmulator = RunningEmulator & { control: EmulatorControl };

/**
 * @example
 * const arm = await startTestEmulator();
 * await arm.control.seed({ resourceGroups: [{ name: 'rg1', location: 'westeurope' }] });
 * afterAll(() => arm.close());
 */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const defaults: EmulatorOptions = {
    port: 0,
    identityPort: processIdentity?.port ?? 0,
    identityHeader: processIdentity?.header,
    entraPort: 0,
    timeScale: 0.001,
    throttling: false,
    certDir: testCertDir(),
  };
  let running: RunningEmulator;
  try {
    running = await startEmulator({ ...defaults, ...options });
  } catch (error) {
    // The identity port is still held by another emulator in this process: take a free one.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || options.identityPort) throw error;
    running = await startEmulator({ ...defaults, identityPort: 0, ...options });
  }
  processIdentity ??= {
    port: Number(new URL(running.identityEndpoint).port),
    header: running.identityHeader,
  };
  return Object.assign(running, { control: controlClient(running.endpoint, running.caCertPath) });
}

/**
 * MSAL keeps the managed-identity endpoint and header it first saw for the whole process, as on
 * App Service where they never change. So every test emulator in a process serves identity on
 * the same port with the same header when it can; emulators share the token signing key, so a
 * token from one is accepted by the others, like one tenant in front of many ARM endpoints.
 */
let processIdentity: { port: number; header: string } | undefined;

/** A typed client for `/_emulator/…`, usable against any running emulator. */
export function controlClient(endpoint: string, caCertPath: string): EmulatorControl {
  const ca = readFileSync(caCertPath);
  const call = <T>(method: string, path: string, body?: unknown) =>
    new Promise<T>((resolve, reject) => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        `${endpoint}/_emulator/${path}`,
        {
          method,
          ca,
          headers: text
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }
            : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            const parsed = raw ? JSON.parse(raw) : undefined;
            if ((res.statusCode ?? 500) >= 400) {
              reject(new Error(`${method} /_emulator/${path} answered ${res.statusCode}: ${raw}`));
            } else {
              resolve(parsed as T);
            }
          });
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  return {
    reset: () => call('POST', 'reset'),
    faults: () => call('GET', 'faults'),
    setFaults: (faults) => call('PUT', 'faults', faults),
    requests: async (filter = {}) => {
      const query = new URLSearchParams();
      if (filter.limit) query.set('limit', String(filter.limit));
      if (filter.method) query.set('method', filter.method);
      if (filter.path) query.set('path', filter.path);
      const answer = await call<{ value: RequestLogEntry[] }>('GET', `requests?${query}`);
      return answer.value;
    },
    clearRequests: () => call('DELETE', 'requests'),
    stats: () => call('GET', 'stats'),
    seed: (payload) => call('POST', 'seed', payload),
    advanceClock: async (seconds) => {
      await call('POST', 'clock', { advanceSeconds: seconds });
    },
    setThrottling: async (limits) => {
      await call('PUT', 'throttling', limits);
    },
    entra: () => call('GET', 'entra'),
    signingKeys: () => call('GET', 'entra/keys'),
    rotateSigningKeys: () => call('POST', 'entra/keys/rotate'),
    events: async (limit) => {
      const answer = await call<{ value: PublishedEventEntry[] }>(
        'GET',
        `events${limit ? `?limit=${limit}` : ''}`,
      );
      return answer.value;
    },
    eventDelivery: () => call('GET', 'event-delivery'),
    setEventDelivery: (settings) => call('PUT', 'event-delivery', settings),
    eventDeliveriesSettled: async (timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const stats = await call<EmulatorStats>('GET', 'stats');
        if (stats.eventDeliveriesPending === 0) return;
        if (Date.now() > deadline) {
          throw new Error(
            `${stats.eventDeliveriesPending} event deliveries still pending after ${timeoutMs} ms.`,
          );
        }
        await delay(20);
      }
    },
  };
}
