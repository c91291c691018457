/**
 * A tag's value by name, ignoring case as ARM does for tag names, so that a person who writes
 * `Cleanup-Exempt-Until` by hand is still protected.
 *
 * @example
 * readTag({ 'Managed-By': 'sandbox-automation' }, 'managed-by'); // 'sandbox-automation'
 */
export function readTag(tags: Readonly<Record<string, string>>, name: string): string | undefined {
  const exact = tags[name];
  if (exact !== undefined) return exact;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(tags)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}
