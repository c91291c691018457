import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTimeSpan } from './parseTimeSpan.js';

export interface QueueOptions {
  maxPollingInterval: number;
  visibilityTimeout: number;
  batchSize: number;
  newBatchThreshold: number;
  maxDequeueCount: number;
  messageEncoding: 'base64' | 'none';
}

export interface HostConfig {
  routePrefix: string;
  queues: QueueOptions;
  /** Bound on one invocation, in ms; undefined when unbounded. */
  functionTimeout?: number;
  /** `logging.logLevel` from host.json, keys as written. */
  logLevels: Record<string, string>;
  /** host.json `functions`: when present, only these functions are loaded. */
  functions?: string[];
  json: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function setCaseInsensitive(target: Json, path: string[], value: string): void {
  let current = target;
  for (const [index, part] of path.entries()) {
    const existing = Object.keys(current).find((k) => k.toLowerCase() === part.toLowerCase());
    const key = existing ?? part;
    if (index === path.length - 1) {
      current[key] = value;
      return;
    }
    if (typeof current[key] !== 'object' || current[key] === null) current[key] = {};
    current = current[key] as Json;
  }
}

function getCaseInsensitive(source: unknown, ...path: string[]): unknown {
  let current = source;
  for (const part of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    const record = current as Json;
    const key = Object.keys(record).find((k) => k.toLowerCase() === part.toLowerCase());
    current = key === undefined ? undefined : record[key];
  }
  return current;
}

/**
 * Applies the host's environment overrides of host.json: a setting named
 * `AzureFunctionsJobHost__extensions__queues__batchSize` replaces `extensions.queues.batchSize`.
 *
 * @example
 * applyJobHostOverrides({}, { AzureFunctionsJobHost__logging__logLevel__default: 'Debug' });
 */
export function applyJobHostOverrides(json: Json, env: Record<string, string | undefined>): Json {
  const result = structuredClone(json);
  const prefix = 'azurefunctionsjobhost__';
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !name.toLowerCase().startsWith(prefix)) continue;
    setCaseInsensitive(result, name.slice(prefix.length).split('__'), value);
  }
  return result;
}

function numberOr(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new RangeError(`"${String(value)}" is not a number in host.json.`);
  return n;
}

function durationOr(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  return parseTimeSpan(value as string | number);
}

/**
 * Turns host.json (after overrides) into the options the host runs with, applying the
 * documented defaults: `api` route prefix; queues polling up to 1 minute, batch 16, threshold
 * batchSize/2 × processors, 5 dequeues, base64.
 */
export function toHostConfig(json: Json, processorCount: number): HostConfig {
  const queues = (name: string) => getCaseInsensitive(json, 'extensions', 'queues', name);
  const batchSize = Math.min(32, Math.max(1, numberOr(queues('batchSize'), 16)));
  const encoding = String(queues('messageEncoding') ?? 'base64').toLowerCase();
  if (encoding !== 'base64' && encoding !== 'none') {
    throw new RangeError(
      `extensions.queues.messageEncoding must be "base64" or "none", not "${encoding}".`,
    );
  }
  const routePrefix = getCaseInsensitive(json, 'extensions', 'http', 'routePrefix');
  const timeout = getCaseInsensitive(json, 'functionTimeout');
  const functions = getCaseInsensitive(json, 'functions');
  return {
    routePrefix: (typeof routePrefix === 'string' ? routePrefix : 'api').replace(/^\/+|\/+$/g, ''),
    queues: {
      maxPollingInterval: durationOr(queues('maxPollingInterval'), 60_000),
      visibilityTimeout: durationOr(queues('visibilityTimeout'), 0),
      batchSize,
      newBatchThreshold: numberOr(
        queues('newBatchThreshold'),
        Math.floor(batchSize / 2) * Math.max(1, processorCount),
      ),
      maxDequeueCount: numberOr(queues('maxDequeueCount'), 5),
      messageEncoding: encoding,
    },
    functionTimeout:
      timeout === undefined || timeout === null || timeout === '-1' || timeout === -1
        ? undefined
        : durationOr(timeout, 0),
    logLevels: (getCaseInsensitive(json, 'logging', 'logLevel') as Record<string, string>) ?? {},
    functions: Array.isArray(functions) ? functions.map(String) : undefined,
    json,
  };
}

/** Reads `<appDir>/host.json`, applies environment overrides and defaults. */
export async function readHostConfig(
  appDir: string,
  env: Record<string, string | undefined>,
  processorCount: number,
): Promise<HostConfig> {
  let json: Json = {};
  try {
    json = JSON.parse(await readFile(join(appDir, 'host.json'), 'utf8')) as Json;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return toHostConfig(applyJobHostOverrides(json, env), processorCount);
}
