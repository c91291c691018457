/**
 * Event Grid's delivery as MicrosoftDocs/azure-docs describes it (articles/event-grid/
 * delivery-and-retry.md, manage-event-delivery.md): at least once; retried at 10 s, 30 s, 1 min,
 * 5 min, 10 min, 30 min, 1 h and then hourly; dead-lettered five minutes after the last attempt
 * with `deadLetterReason`, `deliveryAttempts`, `lastDeliveryOutcome`, `publishTime` and
 * `lastDeliveryAttemptTime`; at once for a 400. Time and I/O are injected: no test waits.
 */
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  DeliveryAbandoned,
  DeliveryFailure,
  type DeliveryJob,
  EventDelivery,
  type EventDeliverySettingsInput,
} from '../../../src/events/EventDelivery.js';

interface Timer {
  at: number;
  run: () => void;
  cleared: boolean;
}

/** Ports whose clock moves only when the test says so, and whose writes the test scripts. */
function fakePorts(outcomes: Array<'ok' | DeliveryFailure | DeliveryAbandoned> = []) {
  const timers: Timer[] = [];
  const written: string[] = [];
  const deadLettered: Array<Record<string, unknown>> = [];
  let now = 0;
  const ports = {
    timeScale: 1,
    now: () => now,
    setTimer: (run: () => void, ms: number) => {
      const timer = { at: now + ms, run, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer: unknown) => {
      (timer as Timer).cleared = true;
    },
    deliver: async (job: DeliveryJob) => {
      const outcome = outcomes.shift() ?? 'ok';
      if (outcome !== 'ok') throw outcome;
      written.push(String(job.event.id));
    },
    deadLetter: async (_job: DeliveryJob, event: Record<string, unknown>) => {
      deadLettered.push(event);
    },
  };
  /** Moves the clock to the next timer and runs it; returns the wait. */
  const next = async () => {
    await tick();
    const due = timers.filter((t) => !t.cleared).sort((a, b) => a.at - b.at)[0];
    if (!due) throw new Error('no timer');
    const wait = due.at - now;
    now = due.at;
    due.cleared = true;
    due.run();
    await tick();
    await tick();
    return wait;
  };
  return {
    ports,
    timers,
    written,
    deadLettered,
    next,
    pendingTimers: () => timers.filter((t) => !t.cleared),
  };
}

const job = (id: string, overrides: Partial<DeliveryJob> = {}): DeliveryJob => ({
  eventId: id,
  eventSubscriptionId: '/subscriptions/s/…/eventSubscriptions/to-queue',
  eventSubscriptionName: 'to-queue',
  destination: 'account/queue',
  event: { id },
  maxDeliveryAttempts: 30,
  eventTimeToLiveMinutes: 1440,
  ...overrides,
});

const notFound = () => new DeliveryFailure('NotFound', 'queue not found');

async function delivered(settings: EventDeliverySettingsInput, ids: string[]) {
  const fake = fakePorts();
  const delivery = new EventDelivery(fake.ports, settings);
  for (const id of ids) delivery.enqueue(job(id));
  while (delivery.pending > 0) await fake.next().catch(() => tick());
  return fake.written;
}

describe('EventDelivery', () => {
  it('delivers each event once, in order, by default', async () => {
    // Prepare
    const fake = fakePorts();
    const delivery = new EventDelivery(fake.ports);
    // Act
    delivery.enqueue(job('a'));
    delivery.enqueue(job('b'));
    await delivery.settled();
    // Assess
    expect(fake.written).toEqual(['a', 'b']);
  });

  it("retries on Event Grid's schedule, scaled by the time scale", async () => {
    // Prepare
    const fake = fakePorts(Array.from({ length: 9 }, notFound));
    fake.ports.timeScale = 0.5;
    const delivery = new EventDelivery(fake.ports);
    // Act
    delivery.enqueue(job('a'));
    const waits = [];
    for (let i = 0; i < 9; i += 1) waits.push(await fake.next());
    // Assess
    expect(waits).toEqual(
      [10, 30, 60, 300, 600, 1800, 3600, 3600, 3600].map((s) => s * 1000 * 0.5),
    );
    expect(fake.written).toEqual(['a']);
    expect(delivery.log()[0]).toMatchObject({ status: 'delivered', attempts: 10 });
  });

  it('dead-letters five minutes after the last attempt, with the reason and the last outcome', async () => {
    // Prepare
    const fake = fakePorts([notFound(), notFound()]);
    const delivery = new EventDelivery(fake.ports);
    // Act
    delivery.enqueue(job('a', { maxDeliveryAttempts: 2, deadLetter: 'account/dead' }));
    const retry = await fake.next();
    const deadLetterDelay = await fake.next();
    // Assess
    expect([retry, deadLetterDelay]).toEqual([10_000, 300_000]);
    expect(fake.deadLettered).toEqual([
      {
        id: 'a',
        deadLetterReason: 'MaxDeliveryAttemptsExceeded',
        deliveryAttempts: 2,
        lastDeliveryOutcome: 'NotFound',
        publishTime: '1970-01-01T00:00:00.000Z',
        lastDeliveryAttemptTime: '1970-01-01T00:00:10.000Z',
      },
    ]);
    expect(delivery.log()[0]?.status).toBe('deadLettered');
  });

  it('dead-letters at once when the destination answers 400', async () => {
    // Prepare
    const fake = fakePorts([new DeliveryFailure('BadRequest', 'bad')]);
    const delivery = new EventDelivery(fake.ports);
    // Act
    delivery.enqueue(job('a', { deadLetter: 'account/dead' }));
    await fake.next();
    // Assess
    expect(fake.deadLettered).toMatchObject([
      {
        deadLetterReason: 'MaxDeliveryAttemptsExceeded',
        deliveryAttempts: 1,
        lastDeliveryOutcome: 'BadRequest',
      },
    ]);
  });

  it("dead-letters with TimeToLiveExceeded when the event's time to live passes first", async () => {
    // Prepare
    const fake = fakePorts([notFound(), notFound(), notFound()]);
    const delivery = new EventDelivery(fake.ports);
    // Act
    delivery.enqueue(job('a', { eventTimeToLiveMinutes: 1, deadLetter: 'account/dead' }));
    await fake.next(); // the second attempt, at 10 s
    await fake.next(); // the third, at 40 s
    await fake.next(); // at 100 s, past the minute: no fourth attempt
    await fake.next(); // five minutes later
    // Assess
    expect(fake.deadLettered).toMatchObject([
      { deadLetterReason: 'TimeToLiveExceeded', deliveryAttempts: 3 },
    ]);
  });

  it('drops an undeliverable event when there is no dead-letter destination', async () => {
    // Prepare
    const fake = fakePorts([notFound()]);
    const delivery = new EventDelivery(fake.ports);
    // Act
    delivery.enqueue(job('a', { maxDeliveryAttempts: 1 }));
    await delivery.settled();
    // Assess
    expect(delivery.log()[0]).toMatchObject({ status: 'dropped', lastOutcome: 'NotFound' });
    expect(fake.pendingTimers()).toEqual([]);
  });

  it('drops a delivery at once when its event subscription is gone', async () => {
    // Prepare
    const fake = fakePorts([new DeliveryAbandoned('event subscription to-queue was deleted')]);
    const delivery = new EventDelivery(fake.ports);
    // Act
    delivery.enqueue(job('a'));
    await delivery.settled();
    // Assess
    expect(delivery.log()[0]).toMatchObject({
      status: 'dropped',
      attempts: 1,
      lastError: 'event subscription to-queue was deleted',
    });
  });

  it('writes every event twice when the duplicate rate is 1', async () => {
    expect(await delivered({ duplicateRate: 1 }, ['a', 'b'])).toEqual(['a', 'a', 'b', 'b']);
  });

  it('holds an event back behind the next one to the same queue', async () => {
    // Prepare: with seed 1, the first job's hold draw is below 0.5 and the second's is not.
    const fake = fakePorts();
    const delivery = new EventDelivery(fake.ports, { reorderRate: 0.5, seed: 1 });
    // Act
    delivery.enqueue(job('a'));
    delivery.enqueue(job('b'));
    await delivery.settled();
    // Assess
    expect(fake.written).toEqual(['b', 'a']);
    expect(delivery.log().map((record) => record.heldBack)).toEqual([true, false]);
  });

  it('lets a held event go after the reorder window when nothing follows it', async () => {
    // Prepare
    const fake = fakePorts();
    const delivery = new EventDelivery(fake.ports, { reorderRate: 1, reorderWindowMs: 250 });
    // Act
    delivery.enqueue(job('a'));
    const wait = await fake.next();
    await delivery.settled();
    // Assess
    expect(wait).toBe(250);
    expect(fake.written).toEqual(['a']);
  });

  it('repeats the same duplicates and holds for the same seed', async () => {
    const settings = { duplicateRate: 0.3, reorderRate: 0.3, seed: 11 };
    const ids = Array.from({ length: 20 }, (_, i) => `e${i}`);
    expect(await delivered(settings, ids)).toEqual(await delivered(settings, ids));
  });

  it('rejects a rate above 1', () => {
    expect(() => new EventDelivery(fakePorts().ports, { duplicateRate: 2 })).toThrow(
      'Too big: expected number to be <=1',
    );
  });
});
