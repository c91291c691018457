import type { RpcLogLevel } from './coreContract.js';

const severity: Record<RpcLogLevel, number> = {
  trace: 0,
  debug: 1,
  information: 2,
  warning: 3,
  error: 4,
  critical: 5,
  none: 6,
};

const hostJsonLevels: Record<string, RpcLogLevel> = {
  trace: 'trace',
  debug: 'debug',
  information: 'information',
  warning: 'warning',
  error: 'error',
  critical: 'critical',
  none: 'none',
};

export interface LogEntry {
  level: RpcLogLevel;
  /** .NET-style category: `Host.Startup`, `Function.<name>`, `Function.<name>.User`, `Worker`. */
  category: string;
  message: string;
  invocationId?: string;
  functionName?: string;
  [field: string]: unknown;
}

export type LogFormat = 'text' | 'json';

/**
 * The minimum level for a category under host.json `logging.logLevel`: the longest configured
 * prefix of the category wins, then `default`, then Information.
 *
 * @example
 * minimumLevel('Function.send.User', { default: 'Warning', Function: 'Trace' }); // 'trace'
 */
export function minimumLevel(category: string, levels: Record<string, string>): RpcLogLevel {
  let best: string | undefined;
  for (const key of Object.keys(levels)) {
    const k = key.toLowerCase();
    const c = category.toLowerCase();
    if ((c === k || c.startsWith(`${k}.`)) && (best === undefined || key.length > best.length)) {
      best = key;
    }
  }
  const configured = best ?? Object.keys(levels).find((k) => k.toLowerCase() === 'default');
  const value = configured === undefined ? undefined : levels[configured];
  return hostJsonLevels[String(value ?? 'information').toLowerCase()] ?? 'information';
}

/**
 * Writes to stdout in batches: the lines of one turn of the event loop go out in one write
 * instead of one synchronous write each (stdout to a file or pipe is synchronous on Linux, and
 * two lines per invocation would otherwise cost two system calls). Flushed on exit.
 */
export class BatchedStdout {
  #pending: string[] = [];
  #scheduled = false;

  constructor() {
    process.once('exit', () => this.flush());
  }

  write = (line: string): void => {
    this.#pending.push(line);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.flush());
  };

  flush(): void {
    this.#scheduled = false;
    if (this.#pending.length === 0) return;
    const text = `${this.#pending.join('\n')}\n`;
    this.#pending = [];
    process.stdout.write(text);
  }
}

/** Writes host and function logs as text lines for people, or JSON lines for machines. */
export class HostLogger {
  readonly format: LogFormat;
  #levels: Record<string, string>;
  /** Minimum severity per category: host.json's prefixes are resolved once per category. */
  #minimum = new Map<string, number>();
  #write: (line: string) => void;
  #batched?: BatchedStdout;

  constructor(options: {
    format: LogFormat;
    levels?: Record<string, string>;
    write?: (line: string) => void;
  }) {
    this.format = options.format;
    this.#levels = options.levels ?? {};
    if (options.write) {
      this.#write = options.write;
    } else {
      this.#batched = new BatchedStdout();
      this.#write = this.#batched.write;
    }
  }

  setLevels(levels: Record<string, string>): void {
    this.#levels = levels;
    this.#minimum.clear();
  }

  /** Whether an entry of this level and category would be written. */
  enabled(level: RpcLogLevel, category: string): boolean {
    let minimum = this.#minimum.get(category);
    if (minimum === undefined) {
      minimum = severity[minimumLevel(category, this.#levels)];
      this.#minimum.set(category, minimum);
    }
    return level !== 'none' && severity[level] >= minimum;
  }

  log(entry: LogEntry): void {
    if (!this.enabled(entry.level, entry.category)) return;
    const time = new Date().toISOString();
    if (this.format === 'json') {
      this.#write(JSON.stringify({ time, ...entry }));
    } else {
      this.#write(`[${time}] ${entry.message}`);
    }
  }

  info(category: string, message: string, fields: Record<string, unknown> = {}): void {
    this.log({ level: 'information', category, message, ...fields });
  }

  warn(category: string, message: string, fields: Record<string, unknown> = {}): void {
    this.log({ level: 'warning', category, message, ...fields });
  }

  error(category: string, message: string, fields: Record<string, unknown> = {}): void {
    this.log({ level: 'error', category, message, ...fields });
  }

  /** Unfiltered text for people (the `Functions:` list); a JSON entry in JSON mode. */
  banner(message: string, fields: Record<string, unknown> = {}): void {
    if (this.format === 'json') {
      this.#write(
        JSON.stringify({
          time: new Date().toISOString(),
          level: 'information',
          category: 'Host.Startup',
          message,
          ...fields,
        }),
      );
    } else {
      this.#write(message);
    }
  }

  /** A line written as it is, in order with the log lines (the ready line). */
  raw(line: string): void {
    this.#write(line);
  }

  /** Writes out what is batched; call before the process exits on purpose. */
  flush(): void {
    this.#batched?.flush();
  }
}
