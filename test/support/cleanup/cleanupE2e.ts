/**
 * Helpers for the cleanup end-to-end tests: seeding groups in the ARM emulator, starting and
 * following runs over the real HTTP API, and reading what ARM saw.
 */
import { groupKeyOf } from '@sandbox-automation/arm-emulator';
import type { Stack } from '../stack.js';

export const E2E_APP = 'sandbox-automation';

/** Tags of a sandbox of the app whose lease ends `hours` from now (negative: in the past). */
export function leaseTags(
  hours: number,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    'managed-by': E2E_APP,
    'sandbox-owner': 'ana@contoso.com',
    'sandbox-expires-at': new Date(Date.now() + hours * 3_600_000).toISOString(),
    'sandbox-blueprint': 'empty',
    'sandbox-operation-id': 'op-e2e',
    ...extra,
  };
}

export interface E2eGroup {
  name: string;
  tags?: Record<string, string>;
  createdTime?: string;
  lock?: 'CanNotDelete' | 'ReadOnly';
}

/** Creates (or updates in place) groups in the emulator, with an optional lock at group scope. */
export async function seedGroups(stack: Stack, groups: readonly E2eGroup[]): Promise<void> {
  const sub = stack.arm.subscriptionId;
  await stack.arm.control.seed({
    resourceGroups: groups.map((g) => ({
      name: g.name,
      location: 'westeurope',
      ...(g.tags ? { tags: g.tags } : {}),
      ...(g.createdTime ? { createdTime: g.createdTime } : {}),
    })),
    locks: groups
      .filter((g) => g.lock)
      .map((g) => ({
        scope: `/subscriptions/${sub}/resourceGroups/${g.name}`,
        name: 'hold',
        level: g.lock!,
      })),
  });
}

/** Adds a lock named `hold` to an existing group, leaving the group itself as it is. */
export async function addLock(
  stack: Stack,
  group: string,
  level: 'CanNotDelete' | 'ReadOnly',
): Promise<void> {
  const sub = stack.arm.subscriptionId;
  await stack.arm.control.seed({
    locks: [{ scope: `/subscriptions/${sub}/resourceGroups/${group}`, name: 'hold', level }],
  });
}

export function groupExists(stack: Stack, name: string): boolean {
  return stack.arm.core.state.groups.has(groupKeyOf(stack.arm.subscriptionId, name));
}

/** `POST /api/cleanup/runs` as the admin pipeline; returns the run id. */
export async function startRun(stack: Stack, body: unknown): Promise<string> {
  const response = await stack.fetch('/api/cleanup/runs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { runId?: string };
  if (response.status !== 202 || !json.runId) {
    throw new Error(`POST /api/cleanup/runs answered ${response.status}: ${JSON.stringify(json)}`);
  }
  return json.runId;
}

// biome-ignore lint/suspicious/noExplicitAny: the run view is asserted field by field
export type RunView = any;

/** Polls `GET /api/cleanup/runs/{id}` until the run is completed, blocked or failed. */
export async function waitForRun(
  stack: Stack,
  runId: string,
  timeoutMs = 25_000,
): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await stack.fetch(`/api/cleanup/runs/${runId}`);
    const view = response.status === 200 ? ((await response.json()) as RunView) : undefined;
    if (view && ['completed', 'blocked', 'failed'].includes(view.status)) return view;
    if (Date.now() > deadline) {
      throw new Error(
        `run ${runId} still ${view?.status ?? response.status} after ${timeoutMs} ms: ${JSON.stringify(view?.outcomes)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The DELETEs ARM accepted (202/200) for each group, from the emulator's request log. A request
 * whose connection a fault dropped before ARM processed it was not accepted; one dropped after
 * was.
 */
export async function acceptedDeletes(stack: Stack): Promise<Map<string, number>> {
  const entries = await stack.arm.control.requests({ method: 'DELETE', limit: 10_000 });
  const counts = new Map<string, number>();
  for (const e of entries) {
    const match = /\/resourcegroups\/([^/?]+)(\?|$)/i.exec(e.url);
    const accepted =
      (e.status >= 200 && e.status < 300) || (e.status === 0 && e.fault === 'dropAfterProcessing');
    if (!match || !accepted) continue;
    const name = decodeURIComponent(match[1]!).toLowerCase();
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** Each item's outcome status by group name. */
export function outcomesByGroup(view: RunView): Record<string, string | undefined> {
  return Object.fromEntries(
    (view.items as Array<{ name: string; outcome?: { status: string } }>)
      .filter((i) => i.outcome)
      .map((i) => [i.name, i.outcome?.status]),
  );
}
