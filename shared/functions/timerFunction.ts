/**
 * The one timer adapter: the invocation's correlation and logger around a scheduled handler, and
 * its failure logged with the reason before the host records it.
 */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { runWithCorrelation } from '../correlation.js';
import { classifyError } from '../errors.js';
import { createLogger, type Logger } from '../logging/logger.js';
import type { Platform, PlatformProvider } from '../platform/Platform.js';
import { processPlatform } from '../platform/processPlatform.js';

export interface TimerFunction<P> {
  name: string;
  /** Six-field NCRONTAB, or `%SETTING%` to read it from an app setting. */
  schedule: string;
  ports: (platform: Platform, logger: Logger) => P;
  handle(timer: Timer, ports: P): Promise<void>;
}

/** Declares a timer function; returns it unchanged, typed. */
export function timerFunction<P>(
  name: string,
  spec: Omit<TimerFunction<P>, 'name'>,
): TimerFunction<P> {
  return { name, ...spec };
}

/**
 * The handler the host calls for `fn`, over the given platform (the process's by default).
 *
 * @example
 * await timerHandler(cleanupTimer, async () => fakePlatform)(timer, context);
 */
export function timerHandler<P>(
  fn: TimerFunction<P>,
  getPlatform: PlatformProvider = processPlatform,
): (timer: Timer, context: InvocationContext) => Promise<void> {
  return (timer, context) =>
    runWithCorrelation({ invocationId: context.invocationId }, async () => {
      const logger = createLogger(context);
      try {
        await fn.handle(timer, fn.ports(await getPlatform(), logger));
      } catch (error) {
        logger.error('scheduled run failed', { code: classifyError(error).code, error });
        throw error;
      }
    });
}

/** Registers `fn` with the Functions host. */
export function registerTimerFunction<P>(fn: TimerFunction<P>): void {
  app.timer(fn.name, { schedule: fn.schedule, handler: timerHandler(fn) });
}
