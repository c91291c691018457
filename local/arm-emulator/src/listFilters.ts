import { ArmError } from './ArmError.js';
import type { Tags } from './ArmState.js';

export interface ListFilter {
  tagName?: string;
  tagValue?: string;
  resourceType?: string;
  name?: string;
  location?: string;
}

const CLAUSE = /^\s*(tagname|tagvalue|resourcetype|name|location)\s+eq\s+'((?:[^']|'')*)'\s*$/i;

/**
 * Parses the `$filter` forms ARM lists accept: `tagName eq 'k' [and tagValue eq 'v']`,
 * `resourceType eq 't'`, `name eq 'n'`, `location eq 'l'`, joined with `and`.
 *
 * @example
 * parseListFilter("tagName eq 'owner' and tagValue eq 'ana'"); // { tagName: 'owner', tagValue: 'ana' }
 */
export function parseListFilter(filter: string | null, allowed: readonly string[]): ListFilter {
  if (filter === null || filter.trim() === '') return {};
  const result: Record<string, string> = {};
  for (const clause of filter.split(/\s+and\s+/i)) {
    const match = CLAUSE.exec(clause);
    const field = match?.[1]?.toLowerCase();
    if (!match || !field || !allowed.includes(field)) throw invalidFilter(filter);
    const key = { tagname: 'tagName', tagvalue: 'tagValue', resourcetype: 'resourceType' }[field];
    result[key ?? field] = (match[2] as string).replace(/''/g, "'");
  }
  if (result.tagValue !== undefined && result.tagName === undefined) throw invalidFilter(filter);
  return result;
}

function invalidFilter(filter: string): ArmError {
  return new ArmError(
    400,
    'InvalidFilterInQueryString',
    `Invalid $filter '${filter}' specified in the query string.`,
  );
}

/** Tag names match without regard to case; tag values match exactly. */
export function tagsMatch(tags: Tags | undefined, filter: ListFilter): boolean {
  if (filter.tagName === undefined) return true;
  const wanted = filter.tagName.toLowerCase();
  for (const [name, value] of Object.entries(tags ?? {})) {
    if (name.toLowerCase() !== wanted) continue;
    return filter.tagValue === undefined || value === filter.tagValue;
  }
  return false;
}
