/**
 * Event Grid's event subscription filters, as MicrosoftDocs/azure-docs describes them
 * (articles/event-grid/event-filtering.md): event types, subject prefix and suffix (case-insensitive
 * unless `isSubjectCaseSensitive`), and advanced filters over the event's fields, all of which must
 * hold. String comparisons are case-insensitive; keys name a field (`subject`, `eventType`,
 * `data.operationName`, …) without regard to case.
 */

export const ADVANCED_FILTER_OPERATORS: readonly string[] = [
  'NumberIn',
  'NumberNotIn',
  'NumberLessThan',
  'NumberGreaterThan',
  'NumberLessThanOrEquals',
  'NumberGreaterThanOrEquals',
  'NumberInRange',
  'NumberNotInRange',
  'BoolEquals',
  'StringIn',
  'StringNotIn',
  'StringBeginsWith',
  'StringNotBeginsWith',
  'StringEndsWith',
  'StringNotEndsWith',
  'StringContains',
  'StringNotContains',
  'IsNullOrUndefined',
  'IsNotNull',
];

export interface AdvancedFilter {
  operatorType: string;
  key: string;
  value?: unknown;
  values?: unknown;
}

export interface EventFilter {
  includedEventTypes?: string[] | null;
  subjectBeginsWith?: string;
  subjectEndsWith?: string;
  isSubjectCaseSensitive?: boolean;
  enableAdvancedFilteringOnArrays?: boolean;
  advancedFilters?: AdvancedFilter[] | null;
}

const MISSING = Symbol('missing');

/** The field a key names, matching each segment without regard to case. */
function fieldOf(event: object, key: string): unknown {
  let current: unknown = event;
  for (const segment of key.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return MISSING;
    const entry = Object.entries(current).find(
      ([name]) => name.toLowerCase() === segment.toLowerCase(),
    );
    if (!entry) return MISSING;
    current = entry[1];
  }
  return current;
}

const lower = (value: unknown) => String(value).toLowerCase();
const listOf = (filter: AdvancedFilter): unknown[] =>
  Array.isArray(filter.values) ? filter.values : filter.values === undefined ? [] : [filter.values];

/** One value against one operator; `negated` operators are the complement of their positive form. */
function valueMatches(operator: string, value: unknown, filter: AdvancedFilter): boolean {
  const values = listOf(filter);
  const number = typeof value === 'number' ? value : Number.NaN;
  const text = typeof value === 'string' ? value.toLowerCase() : undefined;
  switch (operator) {
    case 'NumberIn':
      return values.some((candidate) => candidate === number);
    case 'NumberLessThan':
      return number < Number(filter.value);
    case 'NumberGreaterThan':
      return number > Number(filter.value);
    case 'NumberLessThanOrEquals':
      return number <= Number(filter.value);
    case 'NumberGreaterThanOrEquals':
      return number >= Number(filter.value);
    case 'NumberInRange':
      return values.some(
        (range) => Array.isArray(range) && number >= Number(range[0]) && number <= Number(range[1]),
      );
    case 'BoolEquals':
      return typeof value === 'boolean' && value === filter.value;
    case 'StringIn':
      return text !== undefined && values.some((candidate) => lower(candidate) === text);
    case 'StringBeginsWith':
      return text !== undefined && values.some((candidate) => text.startsWith(lower(candidate)));
    case 'StringEndsWith':
      return text !== undefined && values.some((candidate) => text.endsWith(lower(candidate)));
    case 'StringContains':
      return text !== undefined && values.some((candidate) => text.includes(lower(candidate)));
    default:
      return false;
  }
}

const NEGATIONS: Record<string, string> = {
  NumberNotIn: 'NumberIn',
  NumberNotInRange: 'NumberInRange',
  StringNotIn: 'StringIn',
  StringNotBeginsWith: 'StringBeginsWith',
  StringNotEndsWith: 'StringEndsWith',
  StringNotContains: 'StringContains',
};

function advancedFilterHolds(event: object, filter: AdvancedFilter, onArrays: boolean): boolean {
  const field = fieldOf(event, filter.key);
  const absent = field === MISSING || field === null || field === undefined;
  if (filter.operatorType === 'IsNullOrUndefined') return absent;
  if (filter.operatorType === 'IsNotNull') return !absent;
  const positive = NEGATIONS[filter.operatorType];
  // A negated operator holds when its positive form does not, a missing field included.
  if (positive) return !advancedFilterHolds(event, { ...filter, operatorType: positive }, onArrays);
  if (absent) return false;
  if (Array.isArray(field)) {
    return onArrays && field.some((item) => valueMatches(filter.operatorType, item, filter));
  }
  return valueMatches(filter.operatorType, field, filter);
}

/**
 * Whether an event passes an event subscription's filter.
 *
 * @example
 * eventMatchesFilter(event, { includedEventTypes: ['Microsoft.Resources.ResourceWriteSuccess'] });
 */
export function eventMatchesFilter(
  event: { eventType: string; subject: string },
  filter: EventFilter,
): boolean {
  const types = filter.includedEventTypes;
  if (
    Array.isArray(types) &&
    !types.some((type) => type.toLowerCase() === event.eventType.toLowerCase())
  ) {
    return false;
  }
  const caseSensitive = filter.isSubjectCaseSensitive === true;
  const fold = (text: string) => (caseSensitive ? text : text.toLowerCase());
  const subject = fold(event.subject);
  if (filter.subjectBeginsWith && !subject.startsWith(fold(filter.subjectBeginsWith))) return false;
  if (filter.subjectEndsWith && !subject.endsWith(fold(filter.subjectEndsWith))) return false;
  return (filter.advancedFilters ?? []).every((advanced) =>
    advancedFilterHolds(event, advanced, filter.enableAdvancedFilteringOnArrays === true),
  );
}
