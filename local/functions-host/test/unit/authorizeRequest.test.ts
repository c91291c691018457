import { describe, expect, it } from 'vitest';
import { authorizeRequest, presentedKey } from '../../src/authorizeRequest.js';

const keys = { masterKey: 'master', functionKeys: { default: 'fn-default', ci: 'fn-ci' } };

describe('authorizeRequest', () => {
  it.each([
    ['anonymous', undefined, true],
    ['Anonymous', 'anything', true],
    ['function', undefined, false],
    ['function', 'wrong', false],
    ['function', 'fn-default', true],
    ['function', 'fn-ci', true],
    ['function', 'master', true],
    ['admin', 'fn-default', false],
    ['admin', 'master', true],
    ['admin', 'maste', false],
    ['admin', undefined, false],
  ])('%s with key %s → %s', (level, key, allowed) => {
    expect(authorizeRequest(level, key, keys)).toBe(allowed);
  });
});

describe('presentedKey', () => {
  it.each([
    [{ 'x-functions-key': 'h' }, '?code=q', 'h'],
    [{}, '?code=q', 'q'],
    [{}, '?other=1', undefined],
  ])('headers %j and query %s → %s', (headers, query, key) => {
    expect(presentedKey(new Headers(headers), new URLSearchParams(query))).toBe(key);
  });
});
