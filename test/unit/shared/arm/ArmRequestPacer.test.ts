import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { ArmRequestPacer, armRequestKind } from '../../../../shared/arm/ArmRequestPacer.js';
import { armPacingPolicy, armRequestShare } from '../../../../shared/arm/armClients.js';
import type { Clock } from '../../../../shared/clock.js';
import { FakeClock } from '../../../support/fakes/FakeClock.js';

/** The instant, in ms from the clock's start, at which each of `count` requests was let go. */
async function sendTimes(
  pacer: ArmRequestPacer,
  clock: FakeClock,
  count: number,
  kind: 'reads' | 'writes' | 'deletes' = 'deletes',
): Promise<number[]> {
  const start = clock.now().getTime();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const ticket = await pacer.acquire('sub-1', kind);
    times.push(clock.now().getTime() - start);
    ticket.settle({ status: 200 });
  }
  return times;
}

/** A clock whose waits end only when the test says so. */
class ManualClock implements Clock {
  readonly delays: number[] = [];
  private readonly sleeping: Array<() => void> = [];
  private t = 0;
  now = () => new Date(this.t);
  timeout = () => new AbortController().signal;
  delay(ms: number): Promise<void> {
    this.delays.push(ms);
    return new Promise((resolve) =>
      this.sleeping.push(() => {
        this.t += ms;
        resolve();
      }),
    );
  }
  /** Ends the oldest wait, and lets what follows it run. */
  async wake(): Promise<void> {
    this.sleeping.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('armRequestKind', () => {
  it.each([
    ['GET', 'reads'],
    ['head', 'reads'],
    ['DELETE', 'deletes'],
    ['PUT', 'writes'],
    ['PATCH', 'writes'],
    ['POST', 'writes'],
  ])('counts %s as %s', (method, kind) => {
    expect(armRequestKind(method)).toBe(kind);
  });
});

describe('ArmRequestPacer', () => {
  it('lets a full bucket go at once, but for the reserve, then paces at the refill rate', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new ArmRequestPacer({ clock });

    // Act
    const times = await sendTimes(pacer, clock, 200);

    // Assess: 190 of ARM's 200 deletes at once (10 left to others), then 10 a second.
    expect(times.slice(0, 190).every((t) => t === 0)).toBe(true);
    expect(times.slice(190)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });

  it('adopts what ARM reports left, which others may have spent', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new ArmRequestPacer({ clock });
    const first = await pacer.acquire('sub-1', 'writes');

    // Act: ARM says 12 writes are left, so 2 more go at once before the reserve of 10.
    first.settle({ status: 201, remaining: 12 });
    const times = await sendTimes(pacer, clock, 4, 'writes');

    // Assess
    expect(times).toEqual([0, 0, 100, 200]);
  });

  it('takes the lower of the regional and the global bucket', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new ArmRequestPacer({ clock });
    const first = await pacer.acquire('sub-1', 'reads');

    // Act
    first.settle({ status: 200, remaining: 240, globalRemaining: 13 });
    const times = await sendTimes(pacer, clock, 3, 'reads');

    // Assess: 13 left and a reserve of 13 (5% of 250, rounded up): each waits for a refill.
    expect(times).toEqual([40, 80, 120]);
  });

  it('stops the bucket for Retry-After after a 429', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new ArmRequestPacer({ clock, reserve: { deletes: 0 } });
    const throttled = await pacer.acquire('sub-1', 'deletes');

    // Act
    throttled.settle({ status: 429, retryAfterMs: 7_000 });
    const times = await sendTimes(pacer, clock, 2);

    // Assess: nothing before Retry-After; by then the bucket has refilled.
    expect(times).toEqual([7_000, 7_000]);
  });

  it('keeps subscriptions and kinds apart', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new ArmRequestPacer({ clock });
    await sendTimes(pacer, clock, 190);

    // Act
    const other = await pacer.acquire('sub-2', 'deletes');
    const reads = await pacer.acquire('sub-1', 'reads');

    // Assess
    other.settle({ status: 202 });
    reads.settle({ status: 200 });
    expect(clock.delays).toEqual([]);
  });

  it('counts requests still in flight, and those waiting, against what ARM reports', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new ArmRequestPacer({ clock, reserve: { deletes: 0 } });
    const tickets = [];
    for (let i = 0; i < 5; i++) tickets.push(await pacer.acquire('sub-1', 'deletes'));

    // Act: the first answer says 3 are left; four sent after it are not counted in that yet.
    tickets[0]!.settle({ status: 202, remaining: 3 });
    const next = await pacer.acquire('sub-1', 'deletes');

    // Assess: 3 - 4 in flight = -1: this one waits for two refills.
    expect(clock.delays).toEqual([200]);
    next.abandon();
  });

  it('moves a waiting request back when ARM reports fewer tokens meanwhile', async () => {
    // Prepare: five sent, the sixth waits for a refill (100 ms).
    const clock = new ManualClock();
    const pacer = new ArmRequestPacer({
      clock,
      reserve: { deletes: 0 },
      limits: { deletes: { capacity: 5, refillPerSecond: 10 } },
    });
    const sent = [];
    for (let i = 0; i < 5; i++) sent.push(await pacer.acquire('sub-1', 'deletes'));
    const waiting = pacer.acquire('sub-1', 'deletes');
    await settled();

    // Act: ARM says nothing is left while four are still on their way: four more to wait for.
    sent[0]!.settle({ status: 202, remaining: 0 });
    await clock.wake();
    await clock.wake();
    (await waiting).abandon();

    // Assess
    expect(clock.delays).toEqual([100, 400]);
  });

  it('holds a waiting request until Retry-After when a 429 arrives meanwhile', async () => {
    // Prepare
    const clock = new ManualClock();
    const pacer = new ArmRequestPacer({
      clock,
      reserve: { deletes: 0 },
      limits: { deletes: { capacity: 1, refillPerSecond: 10 } },
    });
    const first = await pacer.acquire('sub-1', 'deletes');
    const waiting = pacer.acquire('sub-1', 'deletes');
    await settled();

    // Act
    first.settle({ status: 429, retryAfterMs: 1_000 });
    await clock.wake();
    await clock.wake();
    (await waiting).abandon();

    // Assess
    expect(clock.delays).toEqual([100, 900]);
  });

  it('gives the token back when the wait is cancelled', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new ArmRequestPacer({ clock, reserve: { deletes: 0 } });
    const first = await pacer.acquire('sub-1', 'deletes');
    first.settle({ status: 202, remaining: 0 });
    const cancelled = AbortSignal.abort(new Error('stopping'));

    // Act
    const outcome = pacer.acquire('sub-1', 'deletes', cancelled);

    // Assess
    await expect(outcome).rejects.toThrow('stopping');
    const after = await pacer.acquire('sub-1', 'deletes');
    after.abandon();
    expect(clock.delays).toEqual([100]);
  });
});

describe('ArmRequestPacer: the background share', () => {
  /** The instant each of `count` background requests was let go. */
  async function backgroundTimes(
    pacer: ArmRequestPacer,
    clock: FakeClock,
    count: number,
    kind: 'reads' | 'writes' | 'deletes' = 'writes',
  ) {
    const start = clock.now().getTime();
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const ticket = await pacer.acquire('sub-1', kind, undefined, 'background');
      times.push(clock.now().getTime() - start);
      ticket.settle({ status: 202 });
    }
    return times;
  }

  it('lets background work draw a bucket down to half, then paces it at the refill rate', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new ArmRequestPacer({ clock });

    // Act
    const times = await backgroundTimes(pacer, clock, 103);

    // Assess: 100 of ARM's 200 writes at once, the other 100 left to the foreground.
    expect(times.slice(0, 100).every((t) => t === 0)).toBe(true);
    expect(times.slice(100)).toEqual([100, 200, 300]);
  });

  it('lets background work draw deletes down to a quarter: teardowns need few at once', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new ArmRequestPacer({ clock });

    // Act
    const times = await backgroundTimes(pacer, clock, 152, 'deletes');

    // Assess: 150 of ARM's 200 deletes at once, 50 left to the foreground; then the refill rate.
    expect(times.slice(0, 150).every((t) => t === 0)).toBe(true);
    expect(times.slice(150)).toEqual([100, 200]);
  });

  it('leaves the lower half of the bucket to the foreground, which never waits behind it', async () => {
    // Prepare: background work has taken its half and waits for more
    const clock = new ManualClock();
    const pacer = new ArmRequestPacer({ clock });
    for (let i = 0; i < 100; i++) {
      (await pacer.acquire('sub-1', 'writes', undefined, 'background')).abandon();
    }
    let backgroundSent = false;
    const background = pacer.acquire('sub-1', 'writes', undefined, 'background').then((ticket) => {
      backgroundSent = true;
      return ticket;
    });
    await settled();

    // Act: provisioning sends 90 writes meanwhile
    for (let i = 0; i < 90; i++) (await pacer.acquire('sub-1', 'writes')).abandon();
    await clock.wake();

    // Assess: all 90 went at once (down to the reserve of 10); the background request, which was
    // to go after one refill, now waits until the bucket holds 101 again.
    expect(backgroundSent).toBe(false);
    expect(clock.delays).toEqual([100, 9_000]);
    await clock.wake();
    (await background).abandon();
    expect(backgroundSent).toBe(true);
  });

  it('follows what ARM reports, which the foreground of other instances may have spent', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new ArmRequestPacer({ clock });
    const first = await pacer.acquire('sub-1', 'writes', undefined, 'background');

    // Act: ARM says only 102 are left
    first.settle({ status: 202, remaining: 102 });
    const times = await backgroundTimes(pacer, clock, 4);

    // Assess: two go at once, leaving 100; then one per refill.
    expect(times).toEqual([0, 0, 100, 200]);
  });

  it('lets the next background request go when a waiting one is cancelled', async () => {
    // Prepare
    const clock = new ManualClock();
    const pacer = new ArmRequestPacer({ clock });
    for (let i = 0; i < 100; i++) {
      (await pacer.acquire('sub-1', 'writes', undefined, 'background')).abandon();
    }
    const controller = new AbortController();
    const cancelled = pacer.acquire('sub-1', 'writes', controller.signal, 'background');
    const next = pacer.acquire('sub-1', 'writes', undefined, 'background');
    await settled();

    // The rejection is awaited from the start, so it is never left unhandled meanwhile.
    const refused = expect(cancelled).rejects.toThrow('stopping');

    // Act
    controller.abort(new Error('stopping'));
    await clock.wake();

    // Assess: the next one goes on the token the cancelled one waited for.
    await refused;
    (await next).abandon();
    expect(clock.delays).toEqual([100]);
  });
});

describe('armRequestShare', () => {
  it.each([
    { description: 'a cleanup run', correlation: { runId: 'r1' }, share: 'background' },
    {
      description: 'a sandbox operation',
      correlation: { operationId: 'op-1' },
      share: 'foreground',
    },
    {
      description: 'a request',
      correlation: { invocationId: 'inv-1' },
      share: 'foreground',
    },
    {
      description: 'an operation within a run',
      correlation: { runId: 'r1', operationId: 'op-1' },
      share: 'foreground',
    },
  ])('spends the $share share for $description', ({ correlation, share }) => {
    expect(armRequestShare(correlation)).toBe(share);
  });
});

describe('armPacingPolicy', () => {
  it('reads the bucket headers of each answer and paces the next request by them', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new ArmRequestPacer({ clock, reserve: { deletes: 0 } });
    const policy = armPacingPolicy(pacer);
    const url = 'https://arm/subscriptions/sub-1/resourcegroups/rg?api-version=2021-04-01';
    const answer = (remaining: string) => async () => ({
      request: createPipelineRequest({ url }),
      status: 202,
      headers: createHttpHeaders({ 'x-ms-ratelimit-remaining-subscription-deletes': remaining }),
    });

    // Act
    await policy.sendRequest(createPipelineRequest({ url, method: 'DELETE' }), answer('0'));
    await policy.sendRequest(createPipelineRequest({ url, method: 'DELETE' }), answer('0'));

    // Assess
    expect(clock.delays).toEqual([100]);
  });

  it('lets requests outside a subscription through unpaced', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new ArmRequestPacer({
      clock,
      limits: { reads: { capacity: 0, refillPerSecond: 1 } },
    });
    const request = createPipelineRequest({ url: 'https://arm/providers?api-version=2021-04-01' });

    // Act
    const response = await armPacingPolicy(pacer).sendRequest(request, async (r) => ({
      request: r,
      status: 200,
      headers: createHttpHeaders(),
    }));

    // Assess
    expect(response.status).toBe(200);
    expect(clock.delays).toEqual([]);
  });
});
