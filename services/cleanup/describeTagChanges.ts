/**
 * The differences between two tag sets, one sentence each; names compare without case as in ARM.
 *
 * @example
 * describeTagChanges({ a: '1' }, { A: '2', b: '3' });
 * // ["Tag 'a' changed from '1' to '2'", "Tag 'b' added ('3')"]
 */
export function describeTagChanges(
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
): string[] {
  const lower = (tags: Readonly<Record<string, string>>) =>
    new Map(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), { name: k, value: v }]));
  const was = lower(before);
  const now = lower(after);
  const changes: string[] = [];
  for (const [key, { name, value }] of was) {
    const next = now.get(key);
    if (next === undefined) changes.push(`Tag '${name}' removed (was '${value}')`);
    else if (next.value !== value) {
      changes.push(`Tag '${name}' changed from '${value}' to '${next.value}'`);
    }
  }
  for (const [key, { name, value }] of now) {
    if (!was.has(key)) changes.push(`Tag '${name}' added ('${value}')`);
  }
  return changes;
}
