/**
 * Event subscription filters as MicrosoftDocs/azure-docs describes them
 * (articles/event-grid/event-filtering.md): event types, subject prefix and suffix, and advanced
 * filters whose string comparisons are case-insensitive.
 */
import { describe, expect, it } from 'vitest';
import { type EventFilter, eventMatchesFilter } from '../../../src/events/eventMatchesFilter.js';

const event = {
  eventType: 'Microsoft.Resources.ResourceWriteSuccess',
  subject: '/subscriptions/s/resourcegroups/rg-Sandbox',
  data: {
    operationName: 'Microsoft.Resources/subscriptions/resourceGroups/write',
    status: 'Succeeded',
    size: 5,
    flag: true,
    labels: ['a', 'b'],
  },
};

describe('eventMatchesFilter', () => {
  it.each<[string, EventFilter, boolean]>([
    ['no filter', {}, true],
    [
      'an included type',
      { includedEventTypes: ['Microsoft.Resources.ResourceWriteSuccess'] },
      true,
    ],
    [
      'an included type in other case',
      { includedEventTypes: ['microsoft.resources.resourcewritesuccess'] },
      true,
    ],
    [
      'only other types',
      { includedEventTypes: ['Microsoft.Resources.ResourceDeleteSuccess'] },
      false,
    ],
    ['an empty type list', { includedEventTypes: [] }, false],
    ['a subject prefix', { subjectBeginsWith: '/subscriptions/s/resourceGroups/' }, true],
    ['another prefix', { subjectBeginsWith: '/subscriptions/t/' }, false],
    ['a subject suffix', { subjectEndsWith: 'sandbox' }, true],
    [
      'a case-sensitive suffix',
      { subjectEndsWith: 'sandbox', isSubjectCaseSensitive: true },
      false,
    ],
    ['empty prefix and suffix', { subjectBeginsWith: '', subjectEndsWith: '' }, true],
  ])('with %s: %s', (_, filter, expected) => {
    expect(eventMatchesFilter(event, filter)).toBe(expected);
  });

  it.each<[string, EventFilter['advancedFilters'], boolean]>([
    [
      'StringIn, any case',
      [
        {
          operatorType: 'StringIn',
          key: 'data.operationName',
          values: ['MICROSOFT.RESOURCES/SUBSCRIPTIONS/RESOURCEGROUPS/WRITE'],
        },
      ],
      true,
    ],
    [
      'StringIn on a key in other case',
      [{ operatorType: 'StringIn', key: 'Data.Status', values: ['succeeded'] }],
      true,
    ],
    [
      'StringNotIn',
      [{ operatorType: 'StringNotIn', key: 'data.status', values: ['Failed'] }],
      true,
    ],
    [
      'StringNotIn of a missing key',
      [{ operatorType: 'StringNotIn', key: 'data.nothing', values: ['x'] }],
      true,
    ],
    [
      'StringBeginsWith',
      [{ operatorType: 'StringBeginsWith', key: 'subject', values: ['/subscriptions/s/'] }],
      true,
    ],
    [
      'StringEndsWith',
      [{ operatorType: 'StringEndsWith', key: 'subject', values: ['/other'] }],
      false,
    ],
    [
      'StringContains',
      [{ operatorType: 'StringContains', key: 'eventType', values: ['write'] }],
      true,
    ],
    [
      'StringNotContains',
      [{ operatorType: 'StringNotContains', key: 'eventType', values: ['write'] }],
      false,
    ],
    [
      'StringIn of a missing key',
      [{ operatorType: 'StringIn', key: 'data.nothing', values: ['x'] }],
      false,
    ],
    [
      'NumberGreaterThan',
      [{ operatorType: 'NumberGreaterThan', key: 'data.size', value: 4 }],
      true,
    ],
    [
      'NumberLessThanOrEquals',
      [{ operatorType: 'NumberLessThanOrEquals', key: 'data.size', value: 4 }],
      false,
    ],
    ['NumberIn', [{ operatorType: 'NumberIn', key: 'data.size', values: [1, 5] }], true],
    [
      'NumberInRange',
      [
        {
          operatorType: 'NumberInRange',
          key: 'data.size',
          values: [
            [0, 3],
            [4, 6],
          ],
        },
      ],
      true,
    ],
    [
      'NumberNotInRange',
      [{ operatorType: 'NumberNotInRange', key: 'data.size', values: [[4, 6]] }],
      false,
    ],
    ['BoolEquals', [{ operatorType: 'BoolEquals', key: 'data.flag', value: true }], true],
    ['IsNullOrUndefined', [{ operatorType: 'IsNullOrUndefined', key: 'data.nothing' }], true],
    ['IsNotNull', [{ operatorType: 'IsNotNull', key: 'data.status' }], true],
    [
      'two filters, one failing',
      [
        { operatorType: 'StringIn', key: 'data.status', values: ['Succeeded'] },
        { operatorType: 'StringIn', key: 'data.status', values: ['Failed'] },
      ],
      false,
    ],
    [
      'an array without array filtering',
      [{ operatorType: 'StringIn', key: 'data.labels', values: ['a'] }],
      false,
    ],
  ])('with advanced filter %s', (_, advancedFilters, expected) => {
    expect(eventMatchesFilter(event, { advancedFilters })).toBe(expected);
  });

  it('matches an element of an array when advanced filtering on arrays is on', () => {
    expect(
      eventMatchesFilter(event, {
        enableAdvancedFilteringOnArrays: true,
        advancedFilters: [{ operatorType: 'StringIn', key: 'data.labels', values: ['B'] }],
      }),
    ).toBe(true);
  });
});
