import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../shared/apiErrors.js';
import { type Correlation, currentCorrelation } from '../../../../shared/correlation.js';
import { queueFunction, queueHandler } from '../../../../shared/functions/queueFunction.js';
import { fakePlatform } from '../../../support/fakes/fakePlatform.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';
import { invocationContextFactory } from '../../../support/provision/httpRequestFactory.js';

function recording(fail?: unknown) {
  const seen: Array<{ correlation: Correlation; dequeueCount?: number }> = [];
  const fn = queueFunction('worker', {
    queueName: 'work',
    ports: () => ({}),
    correlate: (m) => ({ runId: (m as { runId: string }).runId }),
    async handle(_message, _ports, delivery) {
      seen.push({ correlation: currentCorrelation(), dequeueCount: delivery.dequeueCount });
      if (fail) throw fail;
    },
  });
  return { fn, seen };
}

describe('queueHandler', () => {
  it('runs the handler under the invocation and the run the message names, with the dequeue count', async () => {
    // Prepare
    const { fn, seen } = recording();

    // Act
    await queueHandler(fn, async () => fakePlatform())(
      { runId: 'r-1' },
      invocationContextFactory({ dequeueCount: 3, id: 'm-1' }),
    );

    // Assess
    expect(seen).toEqual([
      { correlation: { invocationId: 'inv-1', runId: 'r-1' }, dequeueCount: 3 },
    ]);
  });

  it('throws a transient failure back, for the queue to deliver again', async () => {
    // Prepare
    const { fn } = recording(armError(429, 'TooManyRequests', 'slow', 'transient', 1000));

    // Act
    const act = queueHandler(fn, async () => fakePlatform())(
      { runId: 'r' },
      invocationContextFactory(),
    );

    // Assess
    await expect(act).rejects.toMatchObject({ code: 'TooManyRequests' });
  });

  it('completes the message on a permanent failure, which another delivery would repeat', async () => {
    // Prepare
    const { fn } = recording(new ValidationError([{ rule: 'message', message: 'bad' }]));

    // Act
    const act = queueHandler(fn, async () => fakePlatform())(
      { runId: 'r' },
      invocationContextFactory(),
    );

    // Assess
    await expect(act).resolves.toBeUndefined();
  });
});
