/**
 * Cleanup apply, end to end, on the local stack: N expired sandboxes seeded in the ARM emulator
 * (ARM's default throttling), one apply run started through the API, timed until every group is
 * gone and until the run reads `completed`. Reported against ARM's delete bound, with ARM's
 * requests by kind, 429s and failed items.
 *
 * Also a command of its own, against a stack `npm start` runs (the check from outside):
 * `npx tsx bench/cleanupApply.ts --groups 1000` (reads `.local/runtime.json`).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startBenchStack } from './benchStack.js';
import type { Figure } from './figure.js';
import { type EmulatorRequest, LocalStackClient, type StackRuntime } from './localStackClient.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');

/** ARM's delete bucket: 200, refilled at 10 a second. */
const DELETE_BUCKET = 200;
const DELETE_REFILL_PER_SECOND = 10;

export interface CleanupApplyResult {
  groups: number;
  runId: string;
  /** From the request that started the run to the last group gone. */
  goneSeconds: number;
  /** From the request that started the run to the run reading `completed`. */
  completedSeconds: number;
  /** ARM's bound for deleting `groups` groups: (N - 200) / 10 s. */
  boundSeconds: number;
  reads: number;
  readsByKind: Record<string, number>;
  deletes: number;
  writes: number;
  throttled: number;
  outcomes: Record<string, number>;
  status: string;
}

/** What kind of read a GET of ARM is, by its URL. */
export function readKind(url: string): string {
  const path = url.split('?')[0]!.toLowerCase();
  if (/\/providers\/microsoft\.authorization\/locks$/.test(path)) return 'lock listings';
  if (/\/resourcegroups$/.test(path)) return 'group listings';
  if (/\/operationresults\//.test(path)) return 'operation polls';
  if (/\/resourcegroups\/[^/]+$/.test(path)) return 'group reads';
  return 'other';
}

/**
 * Seeds `groups` expired sandboxes, starts one apply run and follows it to the end.
 *
 * @example
 * const result = await measureCleanupApply(new LocalStackClient(runtime), 1000);
 */
export async function measureCleanupApply(
  stack: LocalStackClient,
  groups: number,
  log: (line: string) => void = () => {},
): Promise<CleanupApplyResult> {
  const expired = new Date(Date.now() - 3_600_000).toISOString();
  // Groups the stack already holds (`npm start` seeds a few of its own) are not the run's; names
  // of the run's own, so that an earlier run's leftovers are never seeded over. Expired groups
  // the stack holds are deleted by the run too, so measure on a fresh stack.
  const others = (await stack.stats()).resourceGroups;
  const tag = Date.now().toString(36);
  await stack.emulator('POST', 'seed', {
    resourceGroups: Array.from({ length: groups }, (_, i) => ({
      name: `sbx-bench-${tag}-${String(i).padStart(5, '0')}`,
      location: 'westeurope',
      tags: {
        'managed-by': 'sandbox-automation',
        'sandbox-owner': `user${i % 97}@contoso.com`,
        'sandbox-expires-at': expired,
        'sandbox-blueprint': 'empty',
        'sandbox-operation-id': `op-bench-${i}`,
      },
    })),
  });
  await stack.emulator('DELETE', 'requests');
  const gets = new Map<string, EmulatorRequest>();
  const collectGets = async () => {
    for (const r of await stack.requests('GET')) gets.set(r.requestId, r);
  };

  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const answer = await stack.host<{ runId: string }>('POST', '/api/cleanup/runs', {
    dryRun: false,
  });
  if (answer.status !== 202) throw new Error(`POST /api/cleanup/runs answered ${answer.status}`);
  const { runId } = answer.json;
  let goneSeconds: number | undefined;
  let lastCollect = 0;
  let view: { status: string; outcomes: Record<string, number> } | undefined;
  for (let tick = 0; ; tick++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const stats = await stack.stats();
    const left = stats.resourceGroups - others;
    if (goneSeconds === undefined && left <= 0) goneSeconds = seconds();
    if (seconds() - lastCollect > 15) {
      await collectGets();
      lastCollect = seconds();
    }
    // The run's view lists every item: read it rarely while groups remain.
    if (goneSeconds !== undefined || tick % 10 === 0) {
      const read = await stack.host<typeof view>('GET', `/api/cleanup/runs/${runId}`);
      view = read.json;
      log(
        `  ${seconds().toFixed(0)} s: ${left} groups left, run ${view?.status}, ${JSON.stringify(view?.outcomes)}`,
      );
      if (view && ['completed', 'failed', 'blocked'].includes(view.status)) break;
    }
    if (seconds() > Math.max(600, groups)) throw new Error(`run ${runId} did not end in time`);
  }
  const completedSeconds = seconds();
  await collectGets();
  const stats = await stack.stats();
  const readsByKind: Record<string, number> = {};
  for (const r of gets.values()) {
    const kind = readKind(r.url);
    readsByKind[kind] = (readsByKind[kind] ?? 0) + 1;
  }
  return {
    groups,
    runId,
    goneSeconds: goneSeconds ?? completedSeconds,
    completedSeconds,
    boundSeconds: Math.max(0, (groups - DELETE_BUCKET) / DELETE_REFILL_PER_SECOND),
    reads: stats.byMethod.GET ?? 0,
    readsByKind,
    deletes: stats.byMethod.DELETE ?? 0,
    writes: (stats.byMethod.PUT ?? 0) + (stats.byMethod.PATCH ?? 0) + (stats.byMethod.POST ?? 0),
    throttled: stats.throttled,
    outcomes: view?.outcomes ?? {},
    status: view?.status ?? 'unknown',
  };
}

/**
 * The baseline: `count` expired groups deleted one after another with `beginDeleteAndWait`, in a
 * child process, on the same stack. Answers the seconds per group.
 */
export async function measureOneByOne(stack: LocalStackClient, count: number): Promise<number> {
  const names = Array.from({ length: count }, (_, i) => `sbx-one-by-one-${i}`);
  await stack.emulator('POST', 'seed', {
    resourceGroups: names.map((name) => ({ name, location: 'westeurope' })),
  });
  const { runtime } = stack;
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, 'deleteOneByOneChild.ts'),
      runtime.arm.endpoint,
      runtime.arm.subscriptionId,
      ...names,
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: runtime.arm.caCertPath,
        IDENTITY_ENDPOINT: runtime.identity.endpoint,
        IDENTITY_HEADER: runtime.identity.header,
      },
    },
  );
  const { seconds } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { seconds: number };
  return seconds / count;
}

/**
 * The cleanup apply figures: a fresh stack for each size, the run measured against ARM's delete
 * bound, the baseline measured on a sample of the same stack's groups and scaled to N (deleting
 * one group after another costs the same for each, whatever N), and the cost per item of the
 * largest run against the smallest.
 */
export async function cleanupApplyFigures(
  sizes: readonly number[] = [1_000, 5_000],
  baselineSample = 30,
): Promise<Figure[]> {
  const results: CleanupApplyResult[] = [];
  let oneByOne: number | undefined;
  for (const groups of sizes) {
    const stack = await startBenchStack({
      CLEANUP_MAX_DELETES: '100000',
      CLEANUP_MAX_DELETE_FRACTION: '1',
    });
    try {
      const result = await measureCleanupApply(stack.client, groups);
      console.log(describeCleanupApply(result));
      results.push(result);
      oneByOne ??= await measureOneByOne(stack.client, baselineSample);
    } finally {
      await stack.stop();
    }
  }
  const figures: Figure[] = [];
  for (const r of results) {
    const perGroup = (n: number) => (n / r.groups).toFixed(2);
    const failed = r.outcomes.failed ?? 0;
    figures.push(
      {
        name: `cleanup apply, ${r.groups} expired groups: until the run is completed`,
        value: r.completedSeconds,
        unit: 's',
        detail: `all gone at ${r.goneSeconds.toFixed(1)} s; ${perGroup(r.reads)} reads and ${perGroup(r.deletes)} deletes per group; ${r.throttled} 429s; ${failed} failed items`,
        baseline: { name: "ARM's delete bound, (N - 200) / 10 s", value: r.boundSeconds },
      },
      {
        name: `cleanup apply, ${r.groups} expired groups, against the seed's style`,
        value: r.completedSeconds,
        unit: 's',
        baseline: {
          name: `one after another with beginDeleteAndWait (${baselineSample} groups measured, x ${r.groups})`,
          value: (oneByOne ?? Number.NaN) * r.groups,
        },
      },
    );
  }
  const [first, last] = [results[0], results.at(-1)];
  if (first && last && last !== first) {
    figures.push({
      name: `cleanup apply: time per item at ${last.groups} groups`,
      value: (last.completedSeconds / last.groups) * 1000,
      unit: 'ms',
      baseline: {
        name: `time per item at ${first.groups} groups`,
        value: (first.completedSeconds / first.groups) * 1000,
      },
    });
  }
  return figures;
}

/** One line per figure of a result, for people. */
export function describeCleanupApply(r: CleanupApplyResult): string {
  const perGroup = (n: number) => (n / r.groups).toFixed(2);
  const kinds = Object.entries(r.readsByKind)
    .sort()
    .map(([kind, n]) => `${kind} ${perGroup(n)}`)
    .join(', ');
  return [
    `N = ${r.groups}: all gone in ${r.goneSeconds.toFixed(1)} s, run ${r.status} in ${r.completedSeconds.toFixed(1)} s (bound ${r.boundSeconds.toFixed(0)} s: ${(r.completedSeconds / r.boundSeconds).toFixed(2)}x)`,
    `  ARM requests per group: ${perGroup(r.reads)} reads (${kinds}), ${perGroup(r.deletes)} deletes, ${perGroup(r.writes)} writes; 429s: ${r.throttled}`,
    `  outcomes: ${JSON.stringify(r.outcomes)}`,
  ].join('\n');
}

// `npx tsx bench/cleanupApply.ts --groups 1000 [--runtime .local/runtime.json]`: the check from
// outside, against the stack `npm start` runs.
if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const runtimePath = arg('runtime') ?? join(process.cwd(), '.local', 'runtime.json');
  const runtime = JSON.parse(readFileSync(runtimePath, 'utf8')) as StackRuntime;
  const stack = new LocalStackClient(runtime);
  try {
    const result = await measureCleanupApply(stack, Number(arg('groups') ?? 1000), console.log);
    console.log(describeCleanupApply(result));
    console.log(JSON.stringify(result));
  } finally {
    stack.close();
  }
}
