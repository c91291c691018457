export interface RequestLogEntry {
  time: string;
  method: string;
  /** Path and query, as the client sent them. */
  url: string;
  status: number;
  durationMs: number;
  requestId: string;
  clientRequestId?: string;
  /** The fault the emulator injected, if any. */
  fault?: string;
  /** ARM's error code and message, when the request was refused. */
  error?: { code: string; message: string };
}

export interface RequestStats {
  total: number;
  byStatus: Record<string, number>;
  byMethod: Record<string, number>;
  faultsInjected: number;
  throttled: number;
  startedAt: string;
}

/**
 * A bounded log of ARM requests and running totals, for tests and benchmarks to inspect.
 *
 * @example
 * log.record({ method: 'GET', url: '/subscriptions', status: 200, … });
 * log.entries({ limit: 10 });
 */
export class RequestLog {
  private buffer: RequestLogEntry[] = [];
  private totals = newTotals();

  constructor(private readonly capacity: number) {}

  record(entry: RequestLogEntry): void {
    this.buffer.push(entry);
    // Trim in chunks so that a full log does not cost a shift per request.
    if (this.buffer.length > this.capacity * 1.25) {
      this.buffer = this.buffer.slice(this.buffer.length - this.capacity);
    }
    const t = this.totals;
    t.total += 1;
    t.byStatus[entry.status] = (t.byStatus[entry.status] ?? 0) + 1;
    t.byMethod[entry.method] = (t.byMethod[entry.method] ?? 0) + 1;
    if (entry.fault) t.faultsInjected += 1;
    if (entry.status === 429) t.throttled += 1;
  }

  entries(options: { limit?: number; method?: string; path?: RegExp } = {}): RequestLogEntry[] {
    let selected = this.buffer.slice(-this.capacity);
    if (options.method) {
      const method = options.method.toUpperCase();
      selected = selected.filter((e) => e.method === method);
    }
    if (options.path) {
      const pattern = options.path;
      selected = selected.filter((e) => pattern.test(e.url));
    }
    return options.limit ? selected.slice(-options.limit) : selected;
  }

  stats(): RequestStats {
    return structuredClone(this.totals);
  }

  clear(): void {
    this.buffer = [];
    this.totals = newTotals();
  }
}

function newTotals(): RequestStats {
  return {
    total: 0,
    byStatus: {},
    byMethod: {},
    faultsInjected: 0,
    throttled: 0,
    startedAt: new Date().toISOString(),
  };
}
