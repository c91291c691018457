import { z } from 'zod';
import { seededRandom } from './seededRandom.js';

export const faultSettingsSchema = z
  .object({
    seed: z.number().int().default(1),
    status500Rate: z.number().min(0).max(1).default(0),
    status503Rate: z.number().min(0).max(1).default(0),
    status429Rate: z.number().min(0).max(1).default(0),
    /** The connection is dropped before the request is processed. */
    dropRate: z.number().min(0).max(1).default(0),
    /** The request is processed, then the connection is dropped before the response: lost replies. */
    dropAfterProcessingRate: z.number().min(0).max(1).default(0),
    latencyMs: z.number().min(0).default(0),
    latencyJitterMs: z.number().min(0).default(0),
    /**
     * Long-running operations started while this is set end `Failed`: by a request that `match`
     * selects, when it is set.
     */
    lroFailureRate: z.number().min(0).max(1).default(0),
    match: z
      .object({ method: z.string().optional(), path: z.string().optional() })
      .strict()
      .optional(),
  })
  .strict();

export type FaultSettings = z.infer<typeof faultSettingsSchema>;
export type FaultSettingsInput = z.input<typeof faultSettingsSchema>;

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'status'; status: 500 | 503 | 429 }
  | { kind: 'drop' }
  | { kind: 'dropAfterProcessing' };

/**
 * Seeded, reproducible fault decisions: the same settings and the same request order give the
 * same faults.
 *
 * @example
 * const faults = new FaultInjector({ status503Rate: 0.1, seed: 7 });
 * faults.decide('GET', '/subscriptions/…'); // { kind: 'status', status: 503 } one time in ten
 */
export class FaultInjector {
  private current: FaultSettings;
  private pathPattern: RegExp | undefined;
  private random: () => number;

  constructor(settings: FaultSettingsInput = {}) {
    this.current = faultSettingsSchema.parse(settings);
    this.pathPattern = compile(this.current);
    this.random = seededRandom(this.current.seed);
  }

  get settings(): FaultSettings {
    return this.current;
  }

  /** Replaces the settings and restarts the random sequence from the seed. */
  configure(settings: FaultSettingsInput): void {
    this.current = faultSettingsSchema.parse(settings);
    this.pathPattern = compile(this.current);
    this.random = seededRandom(this.current.seed);
  }

  matches(method: string, path: string): boolean {
    const { match } = this.current;
    if (match?.method && match.method.toUpperCase() !== method.toUpperCase()) return false;
    return !this.pathPattern || this.pathPattern.test(path);
  }

  decide(method: string, path: string): FaultDecision {
    const s = this.current;
    if (!this.matches(method, path)) return { kind: 'none' };
    // One draw per request, split into bands, keeps the sequence stable whichever rates are set.
    const draw = this.random();
    let band = 0;
    for (const [rate, decision] of [
      [s.dropRate, { kind: 'drop' }],
      [s.dropAfterProcessingRate, { kind: 'dropAfterProcessing' }],
      [s.status500Rate, { kind: 'status', status: 500 }],
      [s.status503Rate, { kind: 'status', status: 503 }],
      [s.status429Rate, { kind: 'status', status: 429 }],
    ] as const) {
      band += rate;
      if (draw < band) return decision;
    }
    return { kind: 'none' };
  }

  latency(method: string, path: string): number {
    const s = this.current;
    if (s.latencyMs === 0 && s.latencyJitterMs === 0) return 0;
    if (!this.matches(method, path)) return 0;
    return s.latencyMs + (s.latencyJitterMs > 0 ? this.random() * s.latencyJitterMs : 0);
  }

  /**
   * Whether an operation started now ends `Failed`; `request` is the request that starts it
   * (none for one started outside a request, which only an unscoped setting fails).
   */
  operationFails(request?: { method: string; path: string }): boolean {
    if (this.current.lroFailureRate === 0) return false;
    if (this.current.match && !(request && this.matches(request.method, request.path))) {
      return false;
    }
    return this.random() < this.current.lroFailureRate;
  }
}

function compile(settings: FaultSettings): RegExp | undefined {
  return settings.match?.path ? new RegExp(settings.match.path, 'i') : undefined;
}
