import { describe, expect, it } from 'vitest';
import { renderFacts, renderTable } from '../../../cli/renderTable.js';

describe('renderTable', () => {
  it('aligns columns under upper-case headings, with no trailing spaces', () => {
    // Act
    const table = renderTable(
      [
        { name: 'ana-1', state: 'Succeeded' },
        { name: 'a-much-longer-name', state: 'Deleting' },
      ],
      [
        { heading: 'Name', value: (r) => r.name },
        { heading: 'State', value: (r) => r.state },
      ],
    );

    // Assess
    expect(table).toBe(
      [
        'NAME                STATE',
        'ana-1               Succeeded',
        'a-much-longer-name  Deleting',
      ].join('\n'),
    );
  });

  it('says so when there are no rows', () => {
    expect(renderTable([], [{ heading: 'Name', value: String }], 'No sandboxes.')).toBe(
      'No sandboxes.',
    );
  });

  it('keeps a cell on one line and counts characters, not UTF-16 units', () => {
    // Act
    const table = renderTable(
      [
        { a: 'two\nlines', b: 'x' },
        { a: '😀', b: 'y' },
      ],
      [
        { heading: 'A', value: (r) => r.a },
        { heading: 'B', value: (r) => r.b },
      ],
    );

    // Assess
    expect(table.split('\n')).toEqual(['A          B', 'two lines  x', '😀          y']);
  });
});

describe('renderFacts', () => {
  it('aligns the values and leaves out facts that are not there', () => {
    expect(
      renderFacts([
        ['State', 'Succeeded'],
        ['Approved by', undefined],
        ['Location', 'westeurope'],
      ]),
    ).toBe('State:     Succeeded\nLocation:  westeurope');
  });
});
