import { describe, expect, it } from 'vitest';
import { SortedKeys } from '../../src/SortedKeys.js';

describe('SortedKeys', () => {
  it('keeps keys sorted and unique', () => {
    const keys = new SortedKeys();
    for (const key of ['c', 'a', 'b', 'a']) keys.add(key);
    expect([...keys.after(undefined)]).toEqual(['a', 'b', 'c']);
  });

  it('resumes strictly after a cursor, even one that was deleted', () => {
    const keys = new SortedKeys();
    for (const key of ['a', 'b', 'c', 'd']) keys.add(key);
    keys.delete('b');
    expect([...keys.after('b')]).toEqual(['c', 'd']);
    expect([...keys.after('a')]).toEqual(['c', 'd']);
  });

  it('yields the keys under a prefix', () => {
    const keys = new SortedKeys();
    for (const key of ['/v', '/v/s/1', '/v/s/2', '/w']) keys.add(key);
    expect([...keys.withPrefix('/v/')]).toEqual(['/v/s/1', '/v/s/2']);
  });
});
