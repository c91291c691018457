import { describe, expect, it } from 'vitest';
import { parseListFilter, tagsMatch } from '../../src/listFilters.js';

const ALL = ['tagname', 'tagvalue', 'resourcetype', 'name', 'location'];

describe('parseListFilter', () => {
  it.each([
    ["tagName eq 'owner'", { tagName: 'owner' }],
    ["tagName eq 'owner' and tagValue eq 'ana'", { tagName: 'owner', tagValue: 'ana' }],
    ["resourceType eq 'Microsoft.Web/sites'", { resourceType: 'Microsoft.Web/sites' }],
    ["tagName eq 'it''s'", { tagName: "it's" }],
  ])('parses %s', (filter, expected) => {
    expect(parseListFilter(filter, ALL)).toEqual(expected);
  });

  it.each([["tagValue eq 'x'"], ["name ne 'x'"], ['garbage']])('rejects %s', (filter) => {
    expect(() => parseListFilter(filter, ALL)).toThrow(
      `Invalid $filter '${filter}' specified in the query string.`,
    );
  });
});

describe('tagsMatch', () => {
  it('matches tag names without regard to case and values exactly', () => {
    expect(tagsMatch({ Owner: 'ana' }, { tagName: 'owner', tagValue: 'ana' })).toBe(true);
    expect(tagsMatch({ Owner: 'ana' }, { tagName: 'owner', tagValue: 'Ana' })).toBe(false);
    expect(tagsMatch(undefined, { tagName: 'owner' })).toBe(false);
  });
});
