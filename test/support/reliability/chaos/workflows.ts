/**
 * The workflows the chaos suite drives: provisioning of each blueprint, teardown, cleanup runs
 * (plan, approval when the breaker trips, apply) and power schedule runs. Each judges what it left behind from the
 * emulator's state and the app's own records.
 */
import { groupKeyOf } from '@sandbox-automation/arm-emulator';
import { leaseTags, seedGroups } from '../../cleanup/cleanupE2e.js';
import { scheduleNow } from '../../power/powerE2e.js';
import { TEST_SSH_KEY } from '../../provision/fixtures.js';
import type { Stack } from '../../stack.js';
import type { ChaosContext, ChaosFinding, ChaosInstance, ChaosWorkflow } from './ChaosWorkflow.js';

/** The owner the chaos suite's sandboxes belong to. */
const OWNER = 'ana@contoso.com';
const APPROVER = 'carol@contoso.com';
/** An admin who starts cleanup runs (as does the stack's admin pipeline). */
const STARTER = 'ops@contoso.com';

function group(stack: Stack, name: string) {
  return stack.arm.core.state.groups.get(groupKeyOf(stack.arm.subscriptionId, name));
}

function resourcesOf(stack: Stack, name: string) {
  const key = groupKeyOf(stack.arm.subscriptionId, name);
  return [...stack.arm.core.state.resources.values()].filter((r) => r.groupKey === key);
}

function isLocked(stack: Stack, name: string): boolean {
  const scope = `/subscriptions/${stack.arm.subscriptionId}/resourcegroups/${name}`.toLowerCase();
  return [...stack.arm.core.state.locks.values()].some(
    (l) => l.scopeKey === scope || l.scopeKey.startsWith(`${scope}/`),
  );
}

/**
 * Polls an operation; true once it has ended. A failed provisioning has ended once it reports
 * what became of its group (`partialGroup`).
 */
async function pollOperation(ctx: ChaosContext, instance: ChaosInstance): Promise<boolean> {
  const { status, json } = await ctx.api(`/api/operations/${instance.id}`);
  if (status !== 200) return false;
  instance.state.operation = json;
  if (json.status !== 'succeeded' && json.status !== 'failed') return false;
  if (json.status === 'failed' && json.kind === 'provision' && !json.partialGroup) return false;
  instance.outcome = json.status;
  return true;
}

/**
 * Provisioning of one blueprint. Each instance is a sandbox of its own; a client that retries
 * sends the same `Idempotency-Key`.
 */
export function provisionWorkflow(
  blueprint: string,
  parameters: Record<string, unknown>,
): ChaosWorkflow {
  const name = `provision:${blueprint}`;
  return {
    name,
    async start(ctx, count) {
      return Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const sandbox = `ch-${blueprint}-${ctx.tag}-${i}`;
          const startedAt = Date.now();
          const { status, json } = await ctx.api('/api/sandboxes', {
            method: 'POST',
            headers: { 'idempotency-key': sandbox },
            body: {
              name: sandbox,
              owner: OWNER,
              location: 'westeurope',
              blueprint,
              ttlHours: 8,
              parameters,
            },
          });
          if (status !== 202)
            throw new Error(`POST /api/sandboxes answered ${status}: ${JSON.stringify(json)}`);
          return { workflow: name, id: json.operationId, groups: [sandbox], startedAt, state: {} };
        }),
      );
    },
    poll: pollOperation,
    async check(ctx, instances) {
      const findings: ChaosFinding[] = [];
      const allGroups = [...ctx.stack.arm.core.state.groups.values()];
      for (const instance of instances) {
        const sandbox = instance.groups[0]!;
        const label = `${name} ${sandbox}`;
        const byType = new Map<string, number>();
        for (const r of resourcesOf(ctx.stack, sandbox))
          byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
        for (const [type, n] of byType) {
          if (n > 1)
            findings.push({ instance: label, kind: 'duplicate', detail: `${n} × ${type}` });
        }
        const made = allGroups.filter((g) => g.tags?.['sandbox-operation-id'] === instance.id);
        if (made.length > 1) {
          findings.push({
            instance: label,
            kind: 'duplicate',
            detail: `${made.length} groups for one request`,
          });
        }
        const operation = instance.state.operation as
          | {
              steps: { name: string; state: string }[];
              error?: { code: string; message: string };
              updatedAt: string;
              partialGroup?: {
                action: string;
                leaseExpiresAt?: string;
                teardownOperationId?: string;
              };
            }
          | undefined;
        if (instance.outcome === 'succeeded') {
          if (!group(ctx.stack, sandbox)) {
            findings.push({
              instance: label,
              kind: 'missing',
              detail: 'succeeded, but its group is not in ARM',
            });
          }
          const unfinished = operation?.steps.filter((s) => s.state !== 'succeeded') ?? [];
          if (unfinished.length > 0) {
            findings.push({
              instance: label,
              kind: 'inconsistent',
              detail: `succeeded with steps ${unfinished.map((s) => `${s.name}=${s.state}`).join(', ')}`,
            });
          }
        }
        if (instance.outcome === 'failed') {
          if (operation?.error?.code === 'Error') {
            findings.push({
              instance: label,
              kind: 'inconsistent',
              detail: `failed with the SDK's code 'Error' instead of ARM's: ${operation.error.message}`,
            });
          }
          findings.push(...checkPartialGroup(ctx, label, instance, operation));
        }
      }
      return findings;
    },
  };
}

/** What a failed provisioning says became of its group, against what is in ARM. */
function checkPartialGroup(
  ctx: ChaosContext,
  label: string,
  instance: ChaosInstance,
  operation:
    | {
        updatedAt: string;
        partialGroup?: { action: string; leaseExpiresAt?: string; teardownOperationId?: string };
      }
    | undefined,
): ChaosFinding[] {
  const partial = operation?.partialGroup;
  const left = group(ctx.stack, instance.groups[0]!);
  const ours = left?.tags?.['sandbox-operation-id'] === instance.id;
  const wrong = (detail: string): ChaosFinding[] => [
    { instance: label, kind: 'inconsistent', detail },
  ];
  switch (partial?.action) {
    case 'kept': {
      const lease = Date.parse(left?.tags?.['sandbox-expires-at'] ?? '');
      if (!ours || left?.tags?.['sandbox-state'] !== 'failed')
        return wrong('partialGroup kept, but no group of its own is tagged sandbox-state: failed');
      if (!(lease <= Date.parse(operation!.updatedAt) + 24 * 3_600_000))
        return wrong(
          `partialGroup kept with a lease of more than a day (${partial.leaseExpiresAt})`,
        );
      return [];
    }
    case 'deleting':
      return ours && !left?.deleteOperationId && !partial.teardownOperationId
        ? wrong('partialGroup deleting, but nothing deletes it')
        : [];
    case 'none':
      return ours ? wrong('partialGroup none, but its group is in ARM') : [];
    default:
      return wrong(`a failed provisioning reports its group as ${JSON.stringify(partial)}`);
  }
}

/**
 * Teardown of sandboxes seeded in ARM; every fourth holds a CanNotDelete lock, which the
 * teardown must fail on and leave in place. The client sends its DELETE twice, as one does
 * after a reply it never got.
 */
export const teardownWorkflow: ChaosWorkflow = {
  name: 'teardown',
  async start(ctx, count) {
    const entra = await ctx.stack.arm.control.entra();
    const owner = entra.users.find((u) => u.username === OWNER)!.objectId;
    const names = Array.from({ length: count }, (_, i) => `ch-td-${ctx.tag}-${i}`);
    await seedGroups(
      ctx.stack,
      names.map((name, i) => ({
        name,
        tags: leaseTags(8, { 'sandbox-owner': owner }),
        ...(i % 4 === 3 ? { lock: 'CanNotDelete' as const } : {}),
      })),
    );
    return Promise.all(
      names.map(async (name) => {
        const startedAt = Date.now();
        const first = await ctx.api(`/api/sandboxes/${name}`, { method: 'DELETE' });
        if (first.status !== 202)
          throw new Error(`DELETE ${name} answered ${first.status}: ${JSON.stringify(first.json)}`);
        const again = await ctx.api(`/api/sandboxes/${name}`, { method: 'DELETE' });
        return {
          workflow: 'teardown',
          id: first.json.operationId,
          groups: [name],
          startedAt,
          state: {
            locked: isLocked(ctx.stack, name),
            repeat: { ...again, answeredAt: new Date().toISOString() },
          },
        };
      }),
    );
  },
  poll: pollOperation,
  async check(ctx, instances) {
    const findings: ChaosFinding[] = [];
    for (const instance of instances) {
      const name = instance.groups[0]!;
      const label = `teardown ${name}`;
      const exists = group(ctx.stack, name) !== undefined;
      if (instance.state.locked) {
        if (!exists)
          findings.push({
            instance: label,
            kind: 'locked-deleted',
            detail: 'a locked group was deleted',
          });
        else if (instance.outcome !== 'failed')
          findings.push({
            instance: label,
            kind: 'inconsistent',
            detail: `a locked group's teardown ended ${instance.outcome}`,
          });
      } else if (
        instance.outcome === 'succeeded' &&
        exists &&
        !group(ctx.stack, name)?.deleteOperationId
      ) {
        findings.push({
          instance: label,
          kind: 'inconsistent',
          detail: 'succeeded, but the group is still there',
        });
      }
      const repeat = instance.state.repeat as {
        status: number;
        json: { operationId?: string };
        answeredAt: string;
      };
      const first = instance.state.operation as { status: string; updatedAt: string } | undefined;
      // The same teardown, or a refusal; 404 when the first one had already removed the group; a
      // new teardown only when the first had already failed (it no longer holds the sandbox).
      const sameOperation =
        (repeat.status === 202 && repeat.json.operationId === instance.id) ||
        repeat.status === 409 ||
        repeat.status === 404 ||
        (repeat.status === 202 &&
          first?.status === 'failed' &&
          first.updatedAt <= repeat.answeredAt);
      if (!sameOperation) {
        findings.push({
          instance: label,
          kind: 'duplicate',
          detail: `a repeated DELETE answered ${repeat.status} with operation ${repeat.json.operationId}, not the running teardown ${instance.id}`,
        });
      }
    }
    return findings;
  },
};

/**
 * One cleanup run over `count` seeded groups: about half expired, a fifth expired and locked, the
 * rest with time left. The run is an apply run; when the blast-radius breaker blocks it, an
 * approver approves it. Runs are one at a time by design, so `count` sizes the run, not a number
 * of runs.
 */
export const cleanupWorkflow: ChaosWorkflow = {
  name: 'cleanup',
  async start(ctx, count) {
    const seeded = Array.from({ length: count }, (_, i) => {
      const kind = i % 5 === 4 ? 'locked' : i % 5 === 3 ? 'fresh' : 'expired';
      return { name: `ch-cl-${ctx.tag}-${i}-${kind}`, kind };
    });
    await seedGroups(
      ctx.stack,
      seeded.map((g) => ({
        name: g.name,
        tags: leaseTags(g.kind === 'fresh' ? 48 : -1),
        ...(g.kind === 'locked' ? { lock: 'CanNotDelete' as const } : {}),
      })),
    );
    const startedAt = Date.now();
    // Two admins start a run at once: one run starts, the other request is told its id.
    const answers = await Promise.all(
      [STARTER, 'sandbox-operations'].map((as) =>
        ctx.api('/api/cleanup/runs', { method: 'POST', as, body: { dryRun: false } }),
      ),
    );
    const started = answers.filter((a) => a.status === 202);
    const runId = started[0]?.json?.runId ?? answers[0]?.json?.runId;
    if (!runId) {
      throw new Error(`POST /api/cleanup/runs answered ${JSON.stringify(answers)}`);
    }
    return [
      {
        workflow: 'cleanup',
        id: runId,
        groups: seeded.map((g) => g.name),
        startedAt,
        state: { seeded, starts: answers.map((a) => ({ status: a.status, json: a.json })) },
      },
    ];
  },
  async poll(ctx, instance) {
    const { status, json } = await ctx.api(`/api/cleanup/runs/${instance.id}`);
    if (status !== 200) return false;
    instance.state.run = json;
    if (json.status === 'blocked' && !instance.state.approvals) {
      // Three approvals at once (a double click, a client's retry): one is accepted.
      instance.state.approvals = await Promise.all(
        [1, 2, 3].map(async () => {
          const approval = await ctx.api(`/api/cleanup/runs/${instance.id}/approve`, {
            method: 'POST',
            as: APPROVER,
          });
          return { status: approval.status, code: approval.json?.code };
        }),
      );
      return false;
    }
    if (json.status !== 'completed' && json.status !== 'failed') return false;
    instance.outcome = json.status;
    return true;
  },
  async check(ctx, instances) {
    const findings: ChaosFinding[] = [];
    for (const instance of instances) {
      const label = `cleanup ${instance.id}`;
      const starts = instance.state.starts as { status: number; json?: { runId?: string } }[];
      const refused = starts.filter((a) => a.status === 409);
      // Both may start a run only when the first ended before the second arrived.
      if (
        starts.some((a) => a.status !== 202 && a.status !== 409) ||
        refused.some((a) => a.json?.runId !== instance.id)
      ) {
        findings.push({
          instance: label,
          kind: 'duplicate',
          detail: `two runs started at once answered ${JSON.stringify(starts)}`,
        });
      }
      const approvals = instance.state.approvals as { status: number; code?: string }[] | undefined;
      if (
        approvals &&
        (approvals.filter((a) => a.status === 202).length !== 1 ||
          approvals.some((a) => a.status !== 202 && a.code !== 'CleanupRunNotApprovable'))
      ) {
        findings.push({
          instance: label,
          kind: 'duplicate',
          detail: `three approvals at once answered ${JSON.stringify(approvals)}`,
        });
      }
      const seeded = instance.state.seeded as { name: string; kind: string }[];
      const run = instance.state.run as {
        items?: { name: string; outcome?: { status: string } }[];
      };
      const outcomes = new Map((run.items ?? []).map((i) => [i.name, i.outcome?.status]));
      for (const g of seeded) {
        const label = `cleanup ${instance.id} ${g.name}`;
        const exists = group(ctx.stack, g.name) !== undefined;
        if (g.kind === 'locked' && !exists) {
          findings.push({
            instance: label,
            kind: 'locked-deleted',
            detail: 'a locked group was deleted',
          });
        }
        if (g.kind === 'fresh' && !exists) {
          findings.push({
            instance: label,
            kind: 'inconsistent',
            detail: 'a group with time left was deleted',
          });
        }
        const outcome = outcomes.get(g.name);
        if (g.kind === 'expired' && instance.outcome === 'completed') {
          if (outcome === undefined || outcome === 'in-progress') {
            findings.push({
              instance: label,
              kind: 'missing',
              detail: `completed without an outcome for it (${outcome})`,
            });
          } else if (
            (outcome === 'deleted' || outcome === 'already-gone') &&
            exists &&
            !group(ctx.stack, g.name)?.deleteOperationId
          ) {
            findings.push({
              instance: label,
              kind: 'inconsistent',
              detail: `${outcome}, but the group is still there`,
            });
          }
        }
      }
    }
    return findings;
  },
};

/**
 * One power schedule run over `count` seeded VM sandboxes whose schedule says off now; every
 * fourth group holds a ReadOnly lock, which the run must report and respect. The run is started
 * as the host's timer would start it (its admin API), and followed by its report.
 */
export const powerWorkflow: ChaosWorkflow = {
  name: 'power',
  async start(ctx, count) {
    const entra = await ctx.stack.arm.control.entra();
    const owner = entra.users.find((u) => u.username === OWNER)!.objectId;
    const seeded = Array.from({ length: count }, (_, i) => ({
      name: `ch-pw-${ctx.tag}-${i}`,
      locked: i % 4 === 3,
    }));
    await ctx.stack.arm.control.seed({
      resourceGroups: seeded.map((g) => ({
        name: g.name,
        location: 'westeurope',
        tags: {
          ...leaseTags(8, { 'sandbox-owner': owner }),
          'sandbox-power-schedule': scheduleNow('off'),
        },
        resources: [
          {
            type: 'Microsoft.Compute/virtualMachines',
            name: `vm-${g.name}`,
            // Made before the off hour began, so the hour's transition applies to it.
            properties: {
              hardwareProfile: { vmSize: 'Standard_B2s' },
              timeCreated: '2026-01-01T00:00:00Z',
            },
          },
        ],
      })),
      locks: seeded
        .filter((g) => g.locked)
        .map((g) => ({
          scope: `/subscriptions/${ctx.stack.arm.subscriptionId}/resourceGroups/${g.name}`,
          name: 'hold',
          level: 'ReadOnly' as const,
        })),
    });
    const latest = async () => {
      const { status, json } = await ctx.api('/api/power/runs/latest');
      return status === 200 ? (json.runId as string) : undefined;
    };
    const previous = await latest();
    const startedAt = Date.now();
    const timer = await ctx.stack.fetch('/admin/functions/powerScheduleTimer', {
      method: 'POST',
      key: 'master',
      as: 'nobody',
      headers: { 'content-type': 'application/json' },
      body: '{"input":""}',
    });
    if (timer.status !== 202) throw new Error(`the power timer answered ${timer.status}`);
    for (const deadline = Date.now() + 60_000; ; ) {
      const runId = await latest();
      if (runId && runId !== previous) {
        return [
          {
            workflow: 'power',
            id: runId,
            groups: seeded.map((g) => g.name),
            startedAt,
            state: { seeded },
          },
        ];
      }
      if (Date.now() > deadline) throw new Error('the power timer started no run');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  },
  async poll(ctx, instance) {
    const { status, json } = await ctx.api(`/api/power/runs/${instance.id}`);
    if (status !== 200) return false;
    instance.state.run = json;
    if (json.status !== 'completed' && json.status !== 'failed') return false;
    instance.outcome = json.status;
    return true;
  },
  async check(ctx, instances) {
    const findings: ChaosFinding[] = [];
    // Deallocates ARM carried out, or is carrying out, per VM. One ARM failed does not count
    // (sending it again is the retry it calls for), nor one a second send preempted before it
    // took effect (ARM cancels it).
    const deallocates = new Map<string, number>();
    for (const op of ctx.stack.arm.core.state.operations.values()) {
      if (op.kind !== 'vmAction' || op.action !== 'deallocate') continue;
      if (op.status === 'Failed' || op.status === 'Canceled') continue;
      if (op.status === 'InProgress' && op.willFail) continue;
      const vm = op.targetKey.split('/').at(-1)!;
      deallocates.set(vm, (deallocates.get(vm) ?? 0) + 1);
    }
    // The calls the app made for them, told apart by `x-ms-client-request-id`, which the app sets
    // once per call: when the connection drops after ARM took a deallocate, the SDK sends the same
    // call again, and its retry may reach a VM the first has already stopped (ARM accepts it, and
    // nothing changes). Two deallocates that took effect from two calls are a duplicate.
    const calls = new Map<string, Set<string>>();
    for (const entry of ctx.stack.arm.core.log.entries({
      method: 'POST',
      path: /\/deallocate\b/i,
    })) {
      if (entry.error) continue;
      const vm = /\/virtualmachines\/([^/?]+)\/deallocate/i.exec(entry.url)?.[1]?.toLowerCase();
      if (!vm) continue;
      const ids = calls.get(vm) ?? new Set<string>();
      ids.add(entry.clientRequestId ?? entry.requestId);
      calls.set(vm, ids);
    }
    for (const instance of instances) {
      const seeded = instance.state.seeded as { name: string; locked: boolean }[];
      const run = instance.state.run as {
        stopped?: { vm: string }[];
        skipped?: { vm: string; outcome?: { reason?: string } }[];
        failed?: { vm: string }[];
        inProgress?: { vm: string }[];
      };
      for (const g of seeded) {
        const vm = `vm-${g.name}`;
        const label = `power ${instance.id} ${vm}`;
        const state = resourcesOf(ctx.stack, g.name)[0]?.powerState;
        const stopped = run.stopped?.some((v) => v.vm === vm) ?? false;
        const failed = run.failed?.some((v) => v.vm === vm) ?? false;
        const sent = deallocates.get(vm.toLowerCase()) ?? 0;
        const callCount = calls.get(vm.toLowerCase())?.size ?? 0;
        if (sent > 1 && callCount > 1)
          findings.push({
            instance: label,
            kind: 'duplicate',
            detail: `${sent} deallocates from ${callCount} calls`,
          });
        if (g.locked) {
          if (sent > 0 || state !== 'running')
            findings.push({
              instance: label,
              kind: 'locked-deleted',
              detail: `a ReadOnly-locked VM was acted on (${state}, ${sent} deallocates)`,
            });
          continue;
        }
        if (instance.outcome !== 'completed') continue;
        if (!stopped && !failed)
          findings.push({
            instance: label,
            kind: 'missing',
            detail: `the completed run reports it neither stopped nor failed`,
          });
        if (stopped && state !== 'deallocated')
          findings.push({
            instance: label,
            kind: 'inconsistent',
            detail: `reported stopped, but ARM says ${state}`,
          });
      }
    }
    return findings;
  },
};

/** Every workflow the suite runs; add a workflow here and both kinds of chaos run it. */
export const chaosWorkflows: ChaosWorkflow[] = [
  provisionWorkflow('vm', { sshPublicKey: TEST_SSH_KEY }),
  provisionWorkflow('storage', { containerName: 'logs' }),
  provisionWorkflow('webapp', {}),
  provisionWorkflow('mysql', { databaseName: 'app' }),
  teardownWorkflow,
  cleanupWorkflow,
  powerWorkflow,
];
