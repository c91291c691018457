import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeForStatus } from '../../../cli/exitCodes.js';

describe('exitCodeForStatus', () => {
  it.each([
    [0, EXIT.unavailable],
    [400, EXIT.invalid],
    [401, EXIT.signIn],
    [403, EXIT.forbidden],
    [404, EXIT.notFound],
    [409, EXIT.conflict],
    [413, EXIT.invalid],
    [415, EXIT.invalid],
    [422, EXIT.invalid],
    [429, EXIT.unavailable],
    [500, EXIT.unavailable],
    [503, EXIT.unavailable],
  ])('maps HTTP %i to exit status %i', (status, code) => {
    expect(exitCodeForStatus(status)).toBe(code);
  });
});
