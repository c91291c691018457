/**
 * A `Clock` the test moves by hand. `delay` returns at once, moves time forward by the wait and
 * records it; `timeout` signals abort once time has been moved past their deadline.
 */
import type { Clock } from '../../../shared/clock.js';

export class FakeClock implements Clock {
  /** Every wait asked for, in order. */
  readonly delays: number[] = [];
  private current: number;
  private readonly timers: Array<{ at: number; controller: AbortController }> = [];

  constructor(start: Date | string = '2026-03-01T12:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  async delay(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.delays.push(ms);
    this.advance(ms);
  }

  timeout(ms: number): AbortSignal {
    const controller = new AbortController();
    this.timers.push({ at: this.current + ms, controller });
    return controller.signal;
  }

  /** Sets the time. */
  set(at: Date | string): void {
    this.current = new Date(at).getTime();
    this.fire();
  }

  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.current += ms;
    this.fire();
  }

  private fire(): void {
    for (const timer of this.timers) {
      if (timer.at <= this.current && !timer.controller.signal.aborted) {
        timer.controller.abort(new DOMException('The operation timed out.', 'TimeoutError'));
      }
    }
  }
}
