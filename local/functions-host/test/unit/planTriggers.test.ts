import { describe, expect, it } from 'vitest';
import type { RegisteredFunction } from '../../src/FunctionRegistry.js';
import { HostStartupError, planTriggers, UnsupportedFeatureError } from '../../src/planTriggers.js';

function fn(name: string, bindings: Record<string, Record<string, unknown>>): RegisteredFunction {
  return {
    metadata: { name, bindings } as unknown as RegisteredFunction['metadata'],
    callback: () => undefined,
  };
}

const http = fn('api', {
  req: { type: 'httpTrigger', direction: 'in', methods: ['GET'] },
  $return: { type: 'http', direction: 'out' },
});

describe('planTriggers', () => {
  it('plans each kind of trigger from its metadata, resolving %settings%', () => {
    const plans = planTriggers(
      [
        http,
        fn('tick', { t: { type: 'timerTrigger', direction: 'in', schedule: '%TICK%' } }),
        fn('work', {
          msg: { type: 'queueTrigger', direction: 'in', queueName: '%Q%', connection: 'Other' },
        }),
        fn('upload', { b: { type: 'blobTrigger', direction: 'in', path: 'inbox/{name}' } }),
        fn('helper', { out: { type: 'queue', direction: 'out', queueName: 'x' } }),
      ],
      { TICK: '0 */5 * * * *', Q: 'Work-Items' },
    );
    expect(plans.map((p) => [p.fn.metadata.name, p.kind, p.triggerName, p.type])).toEqual([
      ['api', 'http', 'req', 'httpTrigger'],
      ['tick', 'timer', 't', 'timerTrigger'],
      ['work', 'queue', 'msg', 'queueTrigger'],
      ['upload', 'blob', 'b', 'blobTrigger'],
    ]);
    const [, timer, queue, blob] = plans;
    expect(timer).toMatchObject({ runOnStartup: false, useMonitor: true });
    if (timer?.kind !== 'timer') throw new Error('expected a timer plan');
    expect(timer.schedule.next(new Date('2026-01-01T00:01:00Z')).toISOString()).toBe(
      '2026-01-01T00:05:00.000Z',
    );
    // Queue names are lower-cased, as the real host does before it reads the queue.
    expect(queue).toMatchObject({ queueName: 'work-items', connection: 'Other' });
    expect(blob).toMatchObject({ connection: 'AzureWebJobsStorage' });
  });

  it('marks a function disabled by AzureWebJobs.<name>.Disabled in either spelling', () => {
    for (const env of [
      { 'AzureWebJobs.api.Disabled': 'true' },
      { AzureWebJobs__API__Disabled: '1' },
    ]) {
      expect(planTriggers([http], env)[0]?.kind).toBe('disabled');
    }
    expect(planTriggers([http], { 'AzureWebJobs.api.Disabled': 'false' })[0]?.kind).toBe('http');
  });

  it('refuses an unknown trigger, an unknown binding and an Event Grid blob trigger, naming the function', () => {
    const refusals = [
      fn('hub', { e: { type: 'eventHubTrigger', direction: 'in' } }),
      fn('db', {
        req: { type: 'httpTrigger', direction: 'in' },
        doc: { type: 'cosmosDB', direction: 'out' },
      }),
      fn('eg', { b: { type: 'blobTrigger', direction: 'in', path: 'c/{n}', source: 'EventGrid' } }),
    ];
    for (const refused of refusals) {
      expect(() => planTriggers([http, refused], {})).toThrow(UnsupportedFeatureError);
      expect(() => planTriggers([refused], {})).toThrow(`'Functions.${refused.metadata.name}'`);
    }
  });

  it('names the function whose trigger settings cannot be read', () => {
    const bad = fn('tick', {
      t: { type: 'timerTrigger', direction: 'in', schedule: 'not a schedule' },
    });
    expect(() => planTriggers([bad], {})).toThrow(HostStartupError);
    expect(() => planTriggers([bad], {})).toThrow(/'Functions\.tick' was unable to start/);
  });
});
