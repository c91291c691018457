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

/** Writes host and function logs as text lines for people, or JSON lines for machines. */
export class HostLogger {
  readonly format: LogFormat;
  #levels: Record<string, string>;
  #write: (line: string) => void;

  constructor(options: {
    format: LogFormat;
    levels?: Record<string, string>;
    write?: (line: string) => void;
  }) {
    this.format = options.format;
    this.#levels = options.levels ?? {};
    this.#write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  setLevels(levels: Record<string, string>): void {
    this.#levels = levels;
  }

  log(entry: LogEntry): void {
    if (severity[entry.level] < severity[minimumLevel(entry.category, this.#levels)]) return;
    if (entry.level === 'none') return;
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
}
