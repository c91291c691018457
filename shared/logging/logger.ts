/**
 * Structured logging bound to an invocation. Every entry carries the invocation id and the
 * bindings (operation id, sandbox, run id, …) and is redacted before it leaves the process.
 *
 * Under a Functions host the entry goes through the invocation's own `context.info/warn/…` as a
 * JSON message, so the host attributes it to the invocation; elsewhere it is a JSON line on
 * stdout (or a readable line when stdout is a terminal).
 */
import { redact, redactText } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What the logger attaches to every entry. Values are logged as given (after redaction). */
export interface LogBindings {
  invocationId?: string;
  operationId?: string;
  sandbox?: string;
  runId?: string;
  [key: string]: unknown;
}

/** The part of `InvocationContext` the logger uses; any of the methods may be missing. */
export interface LogContext {
  invocationId?: string;
  functionName?: string;
  trace?: (...args: unknown[]) => void;
  debug?: (...args: unknown[]) => void;
  info?: (...args: unknown[]) => void;
  warn?: (...args: unknown[]) => void;
  error?: (...args: unknown[]) => void;
}

export interface Logger {
  readonly bindings: Readonly<LogBindings>;
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger with more bindings; the parent's stay. */
  child(bindings: LogBindings): Logger;
}

/** One formatted entry, as the sink receives it. */
export interface LogEntry {
  time: string;
  level: LogLevel;
  message: string;
  [key: string]: unknown;
}

export interface LoggerOptions {
  /** Entries below this level are dropped. Default `info` (`debug` under a host, which filters itself). */
  level?: LogLevel;
  /** Where entries go. Default: the context's methods, or stdout/stderr. */
  sink?: (entry: LogEntry) => void;
  /** Injected for tests. */
  now?: () => Date;
  /** Default: `process.stdout.isTTY`. */
  pretty?: boolean;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Creates a logger bound to `context` (an `InvocationContext` or anything shaped like it).
 *
 * @example
 * const log = createLogger(context, { operationId: op.id, sandbox: op.sandbox });
 * log.info('resource group created', { resourceGroup: name });
 * log.child({ step: 'vm' }).warn('throttled', { retryAfterMs: 5000 });
 */
export function createLogger(
  context?: LogContext,
  bindings: LogBindings = {},
  options: LoggerOptions = {},
): Logger {
  const hosted = context !== undefined && typeof context.info === 'function';
  const minimum = rank[options.level ?? (hosted ? 'debug' : 'info')];
  const now = options.now ?? (() => new Date());
  const sink = options.sink ?? (hosted ? contextSink(context) : streamSink(options.pretty));
  const base: LogBindings = {
    ...(context?.invocationId ? { invocationId: context.invocationId } : {}),
    ...bindings,
  };
  return build(base);

  function build(bound: LogBindings): Logger {
    const frozen = Object.freeze({ ...bound });
    const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
      if (rank[level] < minimum) return;
      const safe = redact({ ...frozen, ...fields }) as Record<string, unknown>;
      sink({ time: now().toISOString(), level, message: redactText(message), ...safe });
    };
    return {
      bindings: frozen,
      debug: (m, f) => write('debug', m, f),
      info: (m, f) => write('info', m, f),
      warn: (m, f) => write('warn', m, f),
      error: (m, f) => write('error', m, f),
      child: (more) => build({ ...frozen, ...more }),
    };
  }
}

/**
 * A logger that writes nowhere, for code paths (and tests) that do not care.
 *
 * @example
 * await runLro({ ...options, logger: silentLogger });
 */
export const silentLogger: Logger = createLogger(undefined, {}, { sink: () => {} });

function contextSink(context: LogContext): (entry: LogEntry) => void {
  return (entry) => {
    const method =
      entry.level === 'debug'
        ? (context.debug ?? context.trace ?? context.info)
        : context[entry.level];
    method?.call(context, JSON.stringify(entry));
  };
}

function streamSink(pretty = process.stdout.isTTY === true): (entry: LogEntry) => void {
  return (entry) => {
    const stream =
      entry.level === 'error' || entry.level === 'warn' ? process.stderr : process.stdout;
    if (!pretty) {
      stream.write(`${JSON.stringify(entry)}\n`);
      return;
    }
    const { time, level, message, ...fields } = entry;
    const rest = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    stream.write(`${time} ${level.toUpperCase().padEnd(5)} ${message}${rest}\n`);
  };
}
