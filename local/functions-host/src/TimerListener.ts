import { retryDelay } from './backoff.js';
import type { RpcInvocationResponse, RpcTypedData } from './coreContract.js';
import type { FunctionInvoker, InvocationOutcome } from './FunctionInvoker.js';
import type { RegisteredFunction } from './FunctionRegistry.js';
import type { HostLogger } from './HostLogger.js';
import type { Schedule } from './parseSchedule.js';
import type { ScheduleStatus, ScheduleStatusStore } from './ScheduleStatusStore.js';

export interface TimerListenerOptions {
  fn: RegisteredFunction;
  triggerName: string;
  schedule: Schedule;
  runOnStartup: boolean;
  /** Keep schedule status in the store (the host's `useMonitor`, on by default). */
  useMonitor: boolean;
  store: ScheduleStatusStore;
  invoker: FunctionInvoker;
  /** Writes the function's output bindings (a timer may write to a queue or a blob). */
  writeOutputs?: (response: RpcInvocationResponse) => Promise<void>;
  logger: HostLogger;
  now?: () => Date;
}

/** The timer trigger's input, as the host serializes its TimerInfo. */
export function timerInput(isPastDue: boolean, status: ScheduleStatus | null): RpcTypedData {
  return {
    json: JSON.stringify({
      Schedule: { AdjustForDST: true },
      ScheduleStatus: status,
      IsPastDue: isPastDue,
    }),
  };
}

const maxTimeout = 2 ** 31 - 1;

/**
 * Fires a timer function on its schedule, as the timers extension does: schedule status is kept
 * in storage so that an occurrence missed while the host was down fires once at start with
 * `isPastDue`, and a restart before the next occurrence fires nothing. `runOnStartup` fires once
 * at start. The function's `retry` policy re-runs a failed occurrence.
 */
export class TimerListener {
  readonly #o: TimerListenerOptions;
  readonly #now: () => Date;
  #timer?: NodeJS.Timeout;
  #stopped = false;
  #running?: Promise<void>;

  constructor(options: TimerListenerOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
  }

  get name(): string {
    return this.#o.fn.metadata.name;
  }

  async start(): Promise<void> {
    const { schedule, useMonitor, store, runOnStartup } = this.#o;
    const now = this.#now();
    let status = useMonitor ? await store.get(this.name) : undefined;
    if (status && new Date(status.Next) <= now) {
      this.#o.logger.info(
        `Function.${this.name}`,
        `Timer for 'Functions.${this.name}' is past due: it was due at ${status.Next}.`,
      );
      this.#fire(new Date(status.Next), true, status);
    } else {
      if (useMonitor && !status) {
        status = {
          Last: new Date(0).toISOString(),
          Next: schedule.next(now).toISOString(),
          LastUpdated: now.toISOString(),
        };
        await store.set(this.name, status);
      }
      if (runOnStartup) this.#fire(now, false, status ?? null, false);
    }
    this.#arm();
  }

  /** The next occurrence this listener will fire, for the `Functions:` list and tests. */
  nextOccurrence(): Date {
    return this.#o.schedule.next(this.#now());
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #arm(): void {
    if (this.#stopped) return;
    const due = this.nextOccurrence();
    const wait = Math.min(Math.max(0, due.getTime() - this.#now().getTime()), maxTimeout);
    this.#timer = setTimeout(() => {
      if (this.#now() < due) {
        this.#arm();
        return;
      }
      void this.#fire(due, false, null).finally(() => this.#arm());
    }, wait);
  }

  #fire(
    occurrence: Date,
    isPastDue: boolean,
    previous: ScheduleStatus | null,
    recordStatus = true,
  ): Promise<void> {
    const run = this.#runOccurrence(occurrence, isPastDue, previous, recordStatus);
    this.#running = run;
    return run;
  }

  async #runOccurrence(
    occurrence: Date,
    isPastDue: boolean,
    known: ScheduleStatus | null,
    recordStatus: boolean,
  ): Promise<void> {
    const { useMonitor, store, schedule, logger } = this.#o;
    const previous =
      known ?? (useMonitor ? ((await store.get(this.name).catch(() => undefined)) ?? null) : null);
    const status = previous ? { ...previous, Next: occurrence.toISOString() } : null;
    await this.invokeWithRetry(
      timerInput(isPastDue, useMonitor ? status : null),
      `Timer fired at ${this.#now().toISOString()}`,
    );
    if (useMonitor && recordStatus) {
      const now = this.#now();
      const next: ScheduleStatus = {
        Last: occurrence.toISOString(),
        Next: schedule.next(now > occurrence ? now : occurrence).toISOString(),
        LastUpdated: now.toISOString(),
      };
      await store.set(this.name, next).catch((error: Error) => {
        logger.warn(
          `Function.${this.name}`,
          `Could not save the schedule status: ${error.message}`,
        );
      });
    }
  }

  /** Runs the function once, retrying failures per its `retry` policy. */
  async invokeWithRetry(input: RpcTypedData, reason: string): Promise<InvocationOutcome> {
    const { fn, triggerName, invoker, writeOutputs } = this.#o;
    const policy = fn.metadata.retryOptions;
    let lastError: Error | undefined;
    for (let retryCount = 0; ; retryCount++) {
      const outcome = await invoker.invoke({
        fn,
        reason,
        inputData: [{ name: triggerName, data: input }],
        triggerMetadata: {},
        ...(writeOutputs ? { writeOutputs } : {}),
        retryContext: policy
          ? {
              retryCount,
              maxRetryCount: policy.maxRetryCount ?? 0,
              exception: lastError
                ? {
                    message: lastError.message,
                    stackTrace: lastError.stack ?? null,
                    source: lastError.name,
                  }
                : null,
            }
          : undefined,
      });
      if (!outcome.error || !policy || this.#stopped) return outcome;
      const delay = retryDelay(policy, retryCount + 1);
      if (delay === undefined) return outcome;
      lastError = outcome.error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
