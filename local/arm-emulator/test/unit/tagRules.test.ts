import { describe, expect, it } from 'vitest';
import { deleteTags, distinctTags, mergeTags, validateTags } from '../../src/tagRules.js';

describe('mergeTags', () => {
  it('updates an existing key written in another case, keeping its first casing', () => {
    expect(mergeTags({ tag1: 'a', other: 'b' }, { TAG1: 'B' })).toEqual({ tag1: 'B', other: 'b' });
  });

  it('adds new names as given', () => {
    expect(mergeTags(undefined, { Owner: 'ana' })).toEqual({ Owner: 'ana' });
  });
});

describe('distinctTags', () => {
  it('keeps one key per name, with the last value', () => {
    expect(distinctTags({ a: '1', A: '2' })).toEqual({ a: '2' });
  });
});

describe('deleteTags', () => {
  it.each([
    [{ keep: '' }, {}],
    [{ KEEP: 'Yes' }, {}],
    [{ keep: 'yes' }, { Keep: 'Yes' }],
  ])('deleting %j from {Keep: Yes} leaves %j', (given, expected) => {
    expect(deleteTags({ Keep: 'Yes' }, given)).toEqual(expected);
  });
});

describe('validateTags', () => {
  it.each([
    [{ ['x'.repeat(129)]: 'v' }, 128, 'InvalidTagName'],
    [{ '': 'v' }, 512, 'InvalidTagName'],
    [{ 'a\u0001': 'v' }, 512, 'InvalidTagNameCharacters'],
    [{ a: 'v'.repeat(257) }, 512, 'InvalidTagValueLength'],
  ])('refuses %j (names up to %i) with %s', (tags, maxNameLength, code) => {
    expect(() => validateTags(tags, maxNameLength)).toThrowError(
      expect.objectContaining({ status: 400, code }),
    );
  });

  it('accepts 50 tags at the limits', () => {
    const tags = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`${i}`.padEnd(512, 'n'), 'v'.repeat(256)]),
    );
    expect(() => validateTags(tags)).not.toThrow();
  });
});
