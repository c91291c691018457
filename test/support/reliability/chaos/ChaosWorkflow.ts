/**
 * A workflow the app carries out in the background, as the chaos suite drives and judges it. The
 * suite runs every workflow the same way (in fault storms, and with the host killed at each of
 * its steps), so adding one (power schedules, say) is adding one object to `chaosWorkflows`.
 */
import type { Stack } from '../../stack.js';

/** Calls the app as a patient client: retries refused connections, 5xx and 429 with backoff. */
export type ChaosApi = (
  path: string,
  init?: { method?: string; body?: unknown; as?: string; headers?: Record<string, string> },
  // biome-ignore lint/suspicious/noExplicitAny: API answers are read field by field
) => Promise<{ status: number; json: any }>;

export interface ChaosContext {
  stack: Stack;
  api: ChaosApi;
  /** Unique to one storm or kill run: names made with it never collide with another run's. */
  tag: string;
}

/** One started instance of a workflow, and what became of it. */
export interface ChaosInstance {
  workflow: string;
  /** The operation or run the app accepted. */
  id: string;
  /** Resource groups the instance is about. */
  groups: string[];
  startedAt: number;
  terminalAt?: number;
  /** The terminal status (`succeeded`, `failed`, `completed`, …). */
  outcome?: string;
  /** Anything the workflow keeps between its calls. */
  state: Record<string, unknown>;
}

/** An invariant an instance broke. */
export interface ChaosFinding {
  instance: string;
  kind: 'duplicate' | 'locked-deleted' | 'missing' | 'inconsistent';
  detail: string;
}

export interface ChaosWorkflow {
  name: string;
  /**
   * Starts `count` instances: seeds what they need and asks the app over HTTP. Instances of one
   * call may run at the same time (a storm); a kill run starts one.
   */
  start(ctx: ChaosContext, count: number): Promise<ChaosInstance[]>;
  /** Looks at the instance once; true when it has ended (and sets `outcome`). */
  poll(ctx: ChaosContext, instance: ChaosInstance): Promise<boolean>;
  /** After every instance ended: what is wrong with what it left in ARM and in its records. */
  check(ctx: ChaosContext, instances: ChaosInstance[]): Promise<ChaosFinding[]>;
}
