import { describe, expect, it } from 'vitest';
import { globToRegExp, isGlob } from '../../src/globToRegExp.js';

describe('globToRegExp', () => {
  it.each([
    ['dist/src/functions/*.js', 'dist/src/functions/http.js', true],
    ['dist/src/functions/*.js', 'dist/src/functions/nested/http.js', false],
    ['dist/**/*.js', 'dist/a/b/c.js', true],
    ['dist/**/*.js', 'dist/c.js', true],
    ['./dist/index.js', 'dist/index.js', true],
    ['src/{functions/*.js,hooks.js}', 'src/hooks.js', true],
    ['src/{functions/*.js,hooks.js}', 'src/functions/a.js', true],
    ['src/{functions/*.js,hooks.js}', 'src/other.js', false],
    ['src/?.js', 'src/a.js', true],
    ['src/?.js', 'src/ab.js', false],
    ['dist/index.js', 'distXindex.js', false],
  ])('%s vs %s → %s', (glob, path, matches) => {
    expect(globToRegExp(glob).test(path)).toBe(matches);
  });

  it.each([
    ['dist/index.js', false],
    ['dist/*.js', true],
    ['src/{a,b}.js', true],
  ])('isGlob(%s) → %s', (pattern, expected) => {
    expect(isGlob(pattern)).toBe(expected);
  });
});
