/**
 * The API's problem+json, placed where a form can show it: each error next to the field it points
 * at, the rest in the summary above the form.
 */
import type { Problem } from './apiTypes.js';

/** Policy rules name no field (`pointer` is `/`); these are about one all the same. */
const RULE_FIELDS: Array<[RegExp, string]> = [
  [/^location-/, '/location'],
  [/^ttl-/, '/ttlHours'],
  [/^name-/, '/name'],
  [/^tag-/, '/tags'],
  [/^vm-size-/, '/parameters/vmSize'],
  [/^vm-image-/, '/parameters/image'],
  [/^power-?schedule/i, '/powerSchedule'],
  [/^webhook/, '/webhook'],
];

/**
 * The field a problem's error is about: its pointer, or the field its policy rule names.
 *
 * @example
 * fieldOf({ pointer: '/', rule: 'name-characters', detail: '…' }); // '/name'
 */
export function fieldOf(error: { pointer: string; rule: string }): string {
  return error.pointer !== '/'
    ? error.pointer
    : (RULE_FIELDS.find(([rule]) => rule.test(error.rule))?.[1] ?? '/');
}

/** A problem's messages by the field they belong to, and those that belong to none. */
export interface PlacedProblem {
  byField: Map<string, string[]>;
  general: string[];
}

/**
 * Places each of the problem's errors on a field the form has (by pointer, or by the policy rule's
 * field), or in `general`.
 *
 * @example
 * placeProblem(problem, new Set(['/name', '/parameters/containerName'])).byField.get('/name');
 * // ['must be at most 90 characters']
 */
export function placeProblem(problem: Problem, pointers: ReadonlySet<string>): PlacedProblem {
  const byField = new Map<string, string[]>();
  const general: string[] = [];
  for (const error of problem.errors ?? []) {
    const pointer = fieldOf(error);
    // A problem with a tag is the tags field's, whichever tag.
    const field = pointers.has(pointer)
      ? pointer
      : pointer.startsWith('/tags') && pointers.has('/tags')
        ? '/tags'
        : undefined;
    if (field) byField.set(field, [...(byField.get(field) ?? []), error.detail]);
    else general.push(error.detail);
  }
  if (byField.size === 0 && general.length === 0) general.push(problem.detail);
  return { byField, general };
}
