/**
 * The first protected pattern that matches a group name, or `undefined`. Patterns are globs:
 * `*` matches any run of characters, `?` exactly one; matching ignores case, as ARM does for
 * resource group names.
 *
 * @example
 * matchProtectedPattern('prod-network', ['prod-*', '*-shared']); // 'prod-*'
 * matchProtectedPattern('sbx-ana', ['prod-*']); // undefined
 */
export function matchProtectedPattern(
  name: string,
  patterns: readonly string[],
): string | undefined {
  return patterns.find((pattern) => globToRegExp(pattern).test(name));
}

const cache = new Map<string, RegExp>();

function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const body = [...glob]
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, 'is');
    cache.set(glob, re);
  }
  return re;
}
