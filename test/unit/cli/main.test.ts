import { describe, expect, it } from 'vitest';
import { optionOf } from '../../../cli/main.js';

describe('optionOf', () => {
  it.each([
    ['/name', '<name>'],
    ['/location', '--location'],
    ['/ttlHours', '--ttl'],
    ['/powerSchedule', '--power-schedule'],
    ['/parameters/vmSize', '--param vmSize'],
    ['/tags/cost-center', '--tag cost-center'],
    ['/tags', '--tag'],
    ['/', 'request'],
    ['/somethingNew', '/somethingNew'],
  ])('names the option of %s: %s', (pointer, option) => {
    expect(optionOf(pointer)).toBe(option);
  });
});
