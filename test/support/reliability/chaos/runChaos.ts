/**
 * Runs chaos over the app's workflows on the real local stack, and measures what came of it:
 * fault storms (seeded 500/503/429, dropped connections before and after ARM did the work,
 * failed long-running operations, latency), and kill -9 of the host at each step of a workflow,
 * then the host started again on the same state.
 *
 * A kill is placed deterministically: a calibration run of the workflow, with no faults, records
 * the ARM requests it makes; each write, the first read after each write, and the first request
 * of all are its steps. A kill run starts a fresh instance and kills the host the moment the
 * emulator has carried out the step's request (the Nth of its kind), before the answer leaves:
 * the host dies not knowing whether ARM did it.
 */
import type { FaultSettingsInput, RequestLogEntry } from '@sandbox-automation/arm-emulator';
import type { Stack } from '../../stack.js';
import { armRequestKey, armResourceOf } from './armRequestKey.js';
import type {
  ChaosApi,
  ChaosContext,
  ChaosFinding,
  ChaosInstance,
  ChaosWorkflow,
} from './ChaosWorkflow.js';

export interface ChaosFigures {
  label: string;
  sent: number;
  terminal: number;
  lost: number;
  duplicated: number;
  findings: ChaosFinding[];
  /** Milliseconds from the request to the first poll that saw the end. */
  timeToTerminal: { p50: number; max: number };
  /** The ARM resource (or polling URL) sent the most requests, and how many. */
  busiestResource: { resource: string; requests: number };
  armRequests: number;
  faultsInjected: number;
  kills: number;
  /** Kill points the workflow never reached in its kill run. */
  killsMissed: string[];
  outcomes: Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A client that keeps trying through refused connections, 5xx and 429, as a real one would. */
export function patientApi(stack: Stack, deadlineMs = 120_000): ChaosApi {
  return async (path, init = {}) => {
    const deadline = Date.now() + deadlineMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await stack.fetch(path, {
          method: init.method ?? 'GET',
          ...(init.as ? { as: init.as } : {}),
          headers: {
            ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...init.headers,
          },
          ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text();
        if ((response.status < 500 && response.status !== 429) || Date.now() > deadline) {
          return { status: response.status, json: text ? JSON.parse(text) : undefined };
        }
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      await sleep(Math.min(1_000, 100 * 2 ** attempt));
    }
  };
}

let runs = 0;
function contextFor(stack: Stack): ChaosContext {
  runs += 1;
  return { stack, api: patientApi(stack), tag: `${process.pid.toString(36)}${runs}` };
}

/** Polls every instance until each has ended or `boundMs` has passed since it started. */
async function followToTheEnd(
  ctx: ChaosContext,
  workflows: Map<string, ChaosWorkflow>,
  instances: ChaosInstance[],
  boundMs: number,
): Promise<void> {
  for (;;) {
    const open = instances.filter((i) => i.terminalAt === undefined);
    const live = open.filter((i) => Date.now() - i.startedAt < boundMs);
    if (live.length === 0) return;
    await Promise.all(
      live.map(async (instance) => {
        if (await workflows.get(instance.workflow)!.poll(ctx, instance)) {
          instance.terminalAt = Date.now();
        }
      }),
    );
    await sleep(200);
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

function armRequestsSince(stack: Stack, since: string): RequestLogEntry[] {
  return stack.arm.core.log.entries().filter((e) => e.time >= since);
}

async function figuresFor(
  label: string,
  ctx: ChaosContext,
  workflows: Map<string, ChaosWorkflow>,
  instances: ChaosInstance[],
  since: string,
  kills: number,
  killsMissed: string[],
): Promise<ChaosFigures> {
  const findings: ChaosFinding[] = [];
  const byWorkflow = new Map<string, ChaosInstance[]>();
  for (const i of instances) byWorkflow.set(i.workflow, [...(byWorkflow.get(i.workflow) ?? []), i]);
  for (const [name, list] of byWorkflow)
    findings.push(...(await workflows.get(name)!.check(ctx, list)));
  const entries = armRequestsSince(ctx.stack, since);
  const perResource = new Map<string, number>();
  for (const e of entries) {
    const resource = armResourceOf(e.url);
    perResource.set(resource, (perResource.get(resource) ?? 0) + 1);
  }
  const [resource, requests] = [...perResource].sort((a, b) => b[1] - a[1])[0] ?? ['none', 0];
  const terminal = instances.filter((i) => i.terminalAt !== undefined);
  const outcomes: Record<string, number> = {};
  for (const i of instances) {
    const key = `${i.workflow} ${i.outcome ?? 'not ended'}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  return {
    label,
    sent: instances.length,
    terminal: terminal.length,
    lost: instances.length - terminal.length,
    duplicated: findings.filter((f) => f.kind === 'duplicate').length,
    findings,
    timeToTerminal: {
      p50: percentile(
        terminal.map((i) => i.terminalAt! - i.startedAt),
        0.5,
      ),
      max: percentile(
        terminal.map((i) => i.terminalAt! - i.startedAt),
        1,
      ),
    },
    busiestResource: { resource, requests },
    armRequests: entries.length,
    faultsInjected: entries.filter((e) => e.fault).length,
    kills,
    killsMissed,
    outcomes,
  };
}

/**
 * Starts `count` instances of each workflow at once, under `faults`, and follows them to the end.
 *
 * @example
 * await runFaultStorm(stack, [{ workflow: teardownWorkflow, count: 4 }], { seed: 7, status503Rate: 0.1 });
 */
export async function runFaultStorm(
  stack: Stack,
  plan: { workflow: ChaosWorkflow; count: number }[],
  faults: FaultSettingsInput,
  boundMs: number,
): Promise<ChaosFigures> {
  const ctx = contextFor(stack);
  const workflows = new Map(plan.map((p) => [p.workflow.name, p.workflow]));
  const since = new Date().toISOString();
  await stack.arm.control.setFaults(faults);
  let instances: ChaosInstance[];
  try {
    instances = (await Promise.all(plan.map((p) => p.workflow.start(ctx, p.count)))).flat();
    await followToTheEnd(ctx, workflows, instances, boundMs);
  } finally {
    await stack.arm.control.setFaults({});
  }
  return figuresFor(
    `storm (fault seed ${faults.seed ?? 1})`,
    ctx,
    workflows,
    instances,
    since,
    0,
    [],
  );
}

export interface KillStep {
  label: string;
  /** The ARM request, by `armRequestKey`, and which occurrence of it. */
  key: string;
  occurrence: number;
}

/** The kill points of a workflow, from the ARM requests of one calm instance. */
export function killStepsOf(entries: readonly RequestLogEntry[]): KillStep[] {
  const seen = new Map<string, number>();
  const steps: KillStep[] = [];
  let afterWrite: string | undefined;
  for (const [index, e] of entries.entries()) {
    const key = armRequestKey(e.method, e.url);
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    const write = e.method !== 'GET' && e.method !== 'HEAD';
    const short = key.replace(/^(\w+) .*?([^/]+)(\/\*)?$/, '$1 $2');
    if (index === 0 && !write) steps.push({ label: `first request (${short})`, key, occurrence });
    if (write) {
      steps.push({ label: `${short} #${occurrence}`, key, occurrence });
      afterWrite = short;
    } else if (afterWrite) {
      steps.push({ label: `first read after ${afterWrite} (${short})`, key, occurrence });
      afterWrite = undefined;
    }
  }
  return steps;
}

/**
 * Kills the host (SIGKILL) when the emulator has carried out the `occurrence`th request of kind
 * `key` from now, before its answer is sent. Resolves with the host's exit once it fired.
 */
function killHostAt(stack: Stack, key: string, occurrence: number) {
  const log = stack.arm.core.log;
  const record = log.record.bind(log);
  let count = 0;
  let resolveFired: (stopped: Promise<void>) => void = () => {};
  const fired = new Promise<Promise<void>>((resolve) => {
    resolveFired = resolve;
  });
  log.record = (entry) => {
    record(entry);
    if (armRequestKey(entry.method, entry.url) === key && ++count === occurrence) {
      log.record = record;
      // stopHost sends SIGKILL synchronously: the answer to this request never reaches the host.
      resolveFired(stack.stopHost('SIGKILL'));
    }
  };
  return {
    fired,
    disarm: () => {
      log.record = record;
    },
  };
}

/**
 * Runs one calm instance of `workflow` to learn its steps, then one instance per step with the
 * host killed at that step and started again, each followed to its end.
 */
export async function runKillSteps(
  stack: Stack,
  workflow: ChaosWorkflow,
  options: { count?: number; boundMs: number; only?: (step: KillStep, index: number) => boolean },
): Promise<ChaosFigures> {
  const workflows = new Map([[workflow.name, workflow]]);
  const calibration = contextFor(stack);
  const calmSince = new Date().toISOString();
  const calm = await workflow.start(calibration, options.count ?? 1);
  await followToTheEnd(calibration, workflows, calm, options.boundMs);
  const steps = killStepsOf(armRequestsSince(stack, calmSince)).filter(
    (step, i) => options.only?.(step, i) ?? true,
  );
  const ctx = contextFor(stack);
  const since = new Date().toISOString();
  const instances: ChaosInstance[] = [];
  const missed: string[] = [];
  let kills = 0;
  for (const step of steps) {
    const trap = killHostAt(stack, step.key, step.occurrence);
    const tag = `${ctx.tag}k${kills + missed.length}`;
    // The step may come while the app is still answering the request that starts the work.
    const starting = workflow.start({ ...ctx, tag }, options.count ?? 1);
    const killed = (stopped: Promise<void>) => ({ stopped });
    let outcome = await Promise.race([trap.fired.then(killed), starting.then(() => undefined)]);
    const started = await (async () => {
      if (!outcome) return starting;
      await outcome.stopped;
      await stack.startHost();
      return starting;
    })();
    instances.push(...started);
    if (outcome) {
      kills += 1;
      await followToTheEnd(ctx, workflows, started, options.boundMs);
      continue;
    }
    outcome = await Promise.race([
      trap.fired.then(killed),
      followToTheEnd(ctx, workflows, started, options.boundMs).then(() => undefined),
    ]);
    if (outcome) {
      await outcome.stopped;
      kills += 1;
      await stack.startHost();
      await followToTheEnd(ctx, workflows, started, options.boundMs);
    } else {
      trap.disarm();
      missed.push(step.label);
    }
  }
  const figures = await figuresFor(
    `kill -9 at each of ${steps.length} steps of ${workflow.name}`,
    ctx,
    workflows,
    instances,
    since,
    kills,
    missed,
  );
  return { ...figures, label: `${figures.label}: ${steps.map((s) => s.label).join('; ')}` };
}

/** The figures as lines for a person. */
export function describeChaosFigures(f: ChaosFigures): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines = [
    `chaos: ${f.label}`,
    `  operations sent ${f.sent}, terminal ${f.terminal}, lost ${f.lost}, duplicated ${f.duplicated}; kills ${f.kills}${f.killsMissed.length ? ` (not reached: ${f.killsMissed.join('; ')})` : ''}`,
    `  time to terminal p50 ${seconds(f.timeToTerminal.p50)}, max ${seconds(f.timeToTerminal.max)}`,
    `  ARM requests ${f.armRequests} (${f.faultsInjected} faults injected); most for one resource: ${f.busiestResource.requests} (${f.busiestResource.resource})`,
    `  outcomes: ${Object.entries(f.outcomes)
      .map(([k, n]) => `${k} × ${n}`)
      .join(', ')}`,
  ];
  for (const finding of f.findings)
    lines.push(`  ${finding.kind}: ${finding.instance}: ${finding.detail}`);
  return lines.join('\n');
}

/** One line over every run of the suite: what the README quotes. */
export function describeChaosTotals(runs: readonly ChaosFigures[]): string {
  const sum = (pick: (f: ChaosFigures) => number) => runs.reduce((n, f) => n + pick(f), 0);
  const sent = sum((f) => f.sent);
  const terminal = sum((f) => f.terminal);
  const busiest = [...runs].sort(
    (a, b) => b.busiestResource.requests - a.busiestResource.requests,
  )[0];
  return [
    `chaos totals over ${runs.length} runs: operations sent ${sent}, terminal ${terminal} (${
      sent === 0 ? 100 : Math.floor((terminal / sent) * 1000) / 10
    }%), lost ${sum((f) => f.lost)}, duplicated ${sum((f) => f.duplicated)}, findings ${sum(
      (f) => f.findings.length,
    )}`,
    `  kills ${sum((f) => f.kills)}; ARM requests ${sum((f) => f.armRequests)} (${sum(
      (f) => f.faultsInjected,
    )} faults injected); longest time to terminal ${(
      Math.max(0, ...runs.map((f) => f.timeToTerminal.max)) / 1000
    ).toFixed(
      1,
    )} s; most ARM requests for one resource ${busiest?.busiestResource.requests ?? 0} (${
      busiest?.busiestResource.resource ?? 'none'
    })`,
  ].join('\n');
}
