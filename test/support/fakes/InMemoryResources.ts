/**
 * An in-memory `Resources` (the port for resources inside a group). It keeps
 * the resources it created, counts how many long-running creates were *started* per resource (a
 * resumed one is not a new start, which is how tests prove "no duplicates"), saves a resume token
 * through the checkpoint as the real adapter does, and fails on demand.
 */

import type { LroCheckpoint } from '../../../shared/arm/ResourceGroups.js';
import type {
  ResourceDefinition,
  ResourceSummary,
  Resources,
} from '../../../shared/arm/Resources.js';

/** A resource as blueprints lay it out: its definition, with the key faults are keyed by. */
type KeyedResource = ResourceDefinition & { key?: string };

export class InMemoryResources implements Resources {
  /** Resource id (lower case) → the definition it was created from. */
  readonly resources = new Map<string, KeyedResource>();
  /** Resource id (lower case) → how many creates were started (not resumed). */
  readonly starts = new Map<string, number>();
  /** Resource id (lower case) → the id as it was created (its case kept). */
  private readonly ids = new Map<string, string>();
  /** Every create call, with the token it resumed from. */
  readonly creates: { resourceId: string; resumeToken?: string }[] = [];
  private readonly faults = new Map<string, unknown[]>();
  private readonly crashes = new Set<string>();

  /** Makes the next `times` creates of the resource with `key` throw `error`. */
  failNext(key: string, error: unknown, times = 1): this {
    this.faults.set(key, [...(this.faults.get(key) ?? []), ...Array(times).fill(error)]);
    return this;
  }

  /** Makes the next create of `key` save its token, then die as a killed worker would. */
  crashAfterStart(key: string): this {
    this.crashes.add(key);
    return this;
  }

  async createOrUpdate(
    resourceId: string,
    spec: KeyedResource,
    checkpoint: LroCheckpoint,
  ): Promise<void> {
    const id = resourceId.toLowerCase();
    this.creates.push({
      resourceId,
      ...(checkpoint.resumeToken ? { resumeToken: checkpoint.resumeToken } : {}),
    });
    const fault = this.faults.get(spec.key ?? '')?.shift();
    if (fault !== undefined) throw fault;
    if (checkpoint.resumeToken === undefined) {
      this.starts.set(id, (this.starts.get(id) ?? 0) + 1);
      await checkpoint.saveResumeToken?.(`token:${id}`);
    }
    if (this.crashes.delete(spec.key ?? '')) throw new WorkerKilledError();
    this.resources.set(id, spec);
    this.ids.set(id, resourceId);
  }

  async listInGroup(resourceGroupId: string): Promise<ResourceSummary[]> {
    const prefix = `${resourceGroupId.toLowerCase()}/providers/`;
    return [...this.ids.entries()]
      .filter(([id]) => id.startsWith(prefix))
      .map(([id, resourceId]) => ({
        ...describeId(resourceId),
        id: resourceId,
        spec: this.resources.get(id),
      }))
      .filter((r) => r.topLevel)
      .map(({ id, name, type, spec }) => ({
        id,
        name,
        type,
        ...(typeof spec?.body.location === 'string' ? { location: spec.body.location } : {}),
        provisioningState: 'Succeeded',
      }))
      .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
  }
}

/** The resource's name and type from its id (`…/providers/{ns}/{type}/{name}[/{type}/{name}]…`). */
function describeId(id: string): { name: string; type: string; topLevel: boolean } {
  const [, providers = ''] = id.split(/\/providers\//i);
  const [namespace = '', ...rest] = providers.split('/');
  const types = rest.filter((_, i) => i % 2 === 0);
  return {
    name: rest.at(-1) ?? '',
    type: [namespace, ...types].join('/'),
    topLevel: types.length === 1,
  };
}

/** Stands for a worker process that died mid-operation (the queue will deliver again). */
export class WorkerKilledError extends Error {
  readonly code = 'ECONNRESET';
  constructor() {
    super('socket hang up: worker killed mid-operation');
    this.name = 'WorkerKilledError';
  }
}
