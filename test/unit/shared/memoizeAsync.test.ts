import { describe, expect, it } from 'vitest';
import { memoizeAsync, onceAsync } from '../../../shared/memoizeAsync.js';

describe('memoizeAsync', () => {
  it('makes one value per key and shares it', async () => {
    // Prepare
    let made = 0;
    const get = memoizeAsync(async (key: string) => `${key}-${++made}`);

    // Act
    const values = await Promise.all([get('a'), get('a'), get('b')]);

    // Assess
    expect(values).toEqual(['a-1', 'a-1', 'b-2']);
  });

  it('forgets a failure, so the next call tries again', async () => {
    // Prepare
    let calls = 0;
    const get = onceAsync(async () => {
      calls += 1;
      if (calls === 1) throw new Error('down');
      return 'up';
    });

    // Act
    const first = get();
    await expect(first).rejects.toThrow('down');
    const second = await get();

    // Assess
    expect(second).toBe('up');
    expect(calls).toBe(2);
  });

  it('compares keys by keyOf', async () => {
    // Prepare
    let made = 0;
    const get = memoizeAsync(
      async (_config: { account: string }) => ++made,
      (config) => config.account,
    );

    // Act
    const [a, b] = [await get({ account: 'x' }), await get({ account: 'x' })];

    // Assess
    expect(a).toBe(b);
  });
});
