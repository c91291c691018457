/**
 * Provisioning on the local stack (ARM's default throttling): many `empty` sandboxes requested at
 * once, timed until every one has succeeded, against ARM's bound for the requests they needed;
 * and the app's own time per operation, one at a time.
 */
import { type BenchStack, startBenchStack } from './benchStack.js';
import type { Figure } from './figure.js';

interface OperationView {
  id: string;
  status: string;
}

/** ARM's buckets: what a burst can take at once, and the refill after it. */
const BUCKETS = {
  reads: { capacity: 250, refill: 25 },
  writes: { capacity: 200, refill: 10 },
};

async function requestSandbox(stack: BenchStack, i: number, prefix: string) {
  const answer = await stack.client.host<{ operationId: string }>('POST', '/api/sandboxes', {
    name: `${prefix}-${i}`,
    owner: `owner-${prefix}-${i}@contoso.com`,
    location: 'westeurope',
    blueprint: 'empty',
    ttlHours: 1,
  });
  if (answer.status !== 202) throw new Error(`POST /api/sandboxes answered ${answer.status}`);
  return answer.json.operationId;
}

async function waitForOperations(stack: BenchStack, ids: readonly string[], pollMs: number) {
  const pending = new Set(ids);
  const failed: string[] = [];
  while (pending.size > 0) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    for (const id of [...pending]) {
      const { json } = await stack.client.host<OperationView>('GET', `/api/operations/${id}`);
      if (json.status === 'succeeded' || json.status === 'failed') pending.delete(id);
      if (json.status === 'failed') failed.push(id);
    }
  }
  return failed;
}

/** The times the app logged an operation starting and succeeding in the worker, by id. */
function workerTimes(lines: readonly string[]): Map<string, { started?: number; ended?: number }> {
  const times = new Map<string, { started?: number; ended?: number }>();
  for (const line of lines) {
    if (!line.includes('operation s')) continue;
    try {
      const outer = JSON.parse(line) as { message?: string };
      const inner = JSON.parse(outer.message ?? '') as {
        time: string;
        message: string;
        operationId?: string;
      };
      if (!inner.operationId) continue;
      const entry = times.get(inner.operationId) ?? {};
      if (inner.message === 'operation started') entry.started = Date.parse(inner.time);
      if (inner.message === 'operation succeeded') entry.ended = Date.parse(inner.time);
      times.set(inner.operationId, entry);
    } catch {
      // Not one of the app's JSON lines.
    }
  }
  return times;
}

function percentile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/**
 * @example
 * for (const figure of await provisioningFigures()) console.log(formatFigure(figure));
 */
export async function provisioningFigures(concurrent = 200, oneByOne = 60): Promise<Figure[]> {
  // One pipeline sends every request: lift the per-caller pacing, which would answer 429 to it.
  const stack = await startBenchStack({
    RATE_LIMIT_BURST: '10000',
    RATE_LIMIT_PER_MINUTE: '600000',
  });
  try {
    // Warm up the app's code paths and clients first.
    await waitForOperations(stack, [await requestSandbox(stack, 0, 'warm')], 100);

    // Throughput: every request at once.
    await stack.client.emulator('DELETE', 'requests');
    const started = performance.now();
    const ids = await Promise.all(
      Array.from({ length: concurrent }, (_, i) => requestSandbox(stack, i, 'burst')),
    );
    const failed = await waitForOperations(stack, ids, 500);
    const allSeconds = (performance.now() - started) / 1000;
    const stats = await stack.client.stats();
    const reads = stats.byMethod.GET ?? 0;
    const writes = (stats.byMethod.PUT ?? 0) + (stats.byMethod.PATCH ?? 0);
    const bound = (n: number, b: { capacity: number; refill: number }) =>
      Math.max(0, (n - b.capacity) / b.refill);
    const writeBound = bound(writes, BUCKETS.writes);
    const readBound = bound(reads, BUCKETS.reads);

    // The app's own time: one request at a time, accepted (the POST's answer) plus the worker's
    // time from start to success; an `empty` sandbox waits for no long-running operation.
    const accepted = new Map<string, number>();
    const answeredAt = new Map<string, number>();
    for (let i = 0; i < oneByOne; i++) {
      const t0 = performance.now();
      const id = await requestSandbox(stack, i, 'one');
      accepted.set(id, performance.now() - t0);
      answeredAt.set(id, Date.now());
      await waitForOperations(stack, [id], 20);
    }
    // The floor: a function that does nothing, through the same host, one call at a time.
    const health: number[] = [];
    for (let i = 0; i < oneByOne; i++) {
      const t0 = performance.now();
      const response = await fetch(`${stack.client.runtime.host.url}/api/health`);
      await response.arrayBuffer();
      health.push(performance.now() - t0);
    }
    const times = workerTimes(stack.lines());
    const own: number[] = [];
    const posts: number[] = [];
    const worker: number[] = [];
    const pickup: number[] = [];
    for (const [id, acceptMs] of accepted) {
      const t = times.get(id);
      if (t?.started === undefined || t.ended === undefined) continue;
      own.push(acceptMs + (t.ended - t.started));
      posts.push(acceptMs);
      worker.push(t.ended - t.started);
      pickup.push(t.started - (answeredAt.get(id) ?? t.started));
    }
    return [
      {
        name: `provisioning: ${concurrent} concurrent empty sandboxes, until all have succeeded`,
        value: allSeconds,
        unit: 's',
        detail: `${failed.length} failed; ARM: ${writes} writes (write bound ${writeBound.toFixed(1)} s), ${reads} reads, ${stats.throttled} 429s`,
        baseline: {
          name: "ARM's bound for those requests, (reads - 250) / 25 s or (writes - 200) / 10 s",
          value: Math.max(writeBound, readBound),
        },
      },
      {
        name: `provisioning: the app's own time per empty sandbox, p50 of ${own.length}`,
        value: percentile(own, 0.5),
        unit: 'ms',
        detail: `p99 ${percentile(own, 0.99).toFixed(0)} ms; of which the POST p50 ${percentile(posts, 0.5).toFixed(0)} ms and the worker p50 ${percentile(worker, 0.5).toFixed(0)} ms; the host's queue pickup, not counted, p50 ${percentile(pickup, 0.5).toFixed(0)} ms; the goal is 50 ms`,
        baseline: {
          name: 'GET /api/health through the same host, p50',
          value: percentile(health, 0.5),
        },
      },
    ];
  } finally {
    await stack.stop();
  }
}
