import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../src/FaultInjector.js';

const run = (injector: FaultInjector, n: number) =>
  Array.from({ length: n }, () => injector.decide('GET', '/subscriptions/s/resourcegroups'));

describe('FaultInjector', () => {
  it('repeats the same decisions for the same seed', () => {
    const settings = { seed: 7, status503Rate: 0.3, dropRate: 0.2 };
    expect(run(new FaultInjector(settings), 50)).toEqual(run(new FaultInjector(settings), 50));
  });

  it('injects roughly at the configured rate', () => {
    const decisions = run(new FaultInjector({ seed: 1, status500Rate: 0.25 }), 4000);
    const hits = decisions.filter((d) => d.kind === 'status').length;
    expect(hits / 4000).toBeGreaterThan(0.22);
    expect(hits / 4000).toBeLessThan(0.28);
  });

  it('leaves requests alone that do not match', () => {
    const injector = new FaultInjector({
      status500Rate: 1,
      match: { method: 'DELETE', path: 'virtualMachines' },
    });
    expect(injector.decide('GET', '/x/virtualMachines/vm')).toEqual({ kind: 'none' });
    expect(injector.decide('DELETE', '/x/virtualMachines/vm')).toEqual({
      kind: 'status',
      status: 500,
    });
  });

  it('rejects rates above 1', () => {
    expect(() => new FaultInjector({ status500Rate: 2 })).toThrow();
  });
});
