/**
 * Converts a `package.json` `main` glob into a regular expression over `/`-separated relative
 * paths. Supports `*`, `**`, `?` and `{a,b}`; a pattern without wildcards matches itself.
 *
 * @example
 * globToRegExp('dist/src/functions/*.js').test('dist/src/functions/http.js'); // true
 */
export function globToRegExp(glob: string): RegExp {
  const pattern = glob.replace(/^\.\//, '');
  let source = '';
  let inGroup = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        const slashFollows = pattern[i + 2] === '/';
        source += slashFollows ? '(?:.*/)?' : '.*';
        i += slashFollows ? 2 : 1;
      } else {
        source += '[^/]*';
      }
    } else if (ch === '?') {
      source += '[^/]';
    } else if (ch === '{') {
      inGroup = true;
      source += '(?:';
    } else if (ch === '}' && inGroup) {
      inGroup = false;
      source += ')';
    } else if (ch === ',' && inGroup) {
      source += '|';
    } else {
      source += ch.replace(/[.+^$()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/** Whether a `main` entry needs a directory walk, rather than naming one file. */
export function isGlob(pattern: string): boolean {
  return /[*?{]/.test(pattern);
}
