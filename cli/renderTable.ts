/** A column of a table: its heading and how to read a row's cell. */
export interface Column<T> {
  heading: string;
  value: (row: T) => string;
}

/**
 * Rows as a plain-text table with aligned columns and upper-case headings, as terminals show
 * them (no borders, two spaces between columns, no trailing spaces). No rows: `empty`.
 *
 * @example
 * renderTable([{ name: 'ana-1' }], [{ heading: 'Name', value: (r) => r.name }]);
 * // 'NAME\nana-1'
 */
export function renderTable<T>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  empty = '',
): string {
  if (rows.length === 0) return empty;
  const cells = [
    columns.map((c) => c.heading.toUpperCase()),
    ...rows.map((row) => columns.map((c) => oneLine(c.value(row)))),
  ];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => width(line[i] ?? ''))));
  return cells
    .map((line) =>
      line
        .map((cell, i) =>
          i === line.length - 1 ? cell : cell + ' '.repeat(widths[i]! - width(cell)),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * Label-value pairs, the labels aligned, for one thing's facts.
 *
 * @example
 * renderFacts([['State', 'Succeeded'], ['Location', 'westeurope']]);
 * // 'State:     Succeeded\nLocation:  westeurope'
 */
export function renderFacts(facts: ReadonlyArray<readonly [string, string | undefined]>): string {
  const shown = facts.filter((f): f is readonly [string, string] => f[1] !== undefined);
  const labelWidth = Math.max(...shown.map(([label]) => width(label))) + 1;
  return shown
    .map(([label, value]) => `${label}:${' '.repeat(labelWidth - width(label))} ${oneLine(value)}`)
    .join('\n');
}

const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ');

/** Characters as a terminal counts them (code points, not UTF-16 units). */
const width = (text: string) => [...text].length;
