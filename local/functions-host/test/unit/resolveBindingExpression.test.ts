import { describe, expect, it } from 'vitest';
import {
  resolveAppSettings,
  resolveBindingExpression,
} from '../../src/resolveBindingExpression.js';

const now = () => new Date('2026-01-02T03:04:05.000Z');

describe('resolveBindingExpression', () => {
  it.each([
    ['samples/{name}', { name: 'a.txt' }, 'samples/a.txt'],
    ['samples/{NAME}', { name: 'a.txt' }, 'samples/a.txt'],
    ['out/{queueTrigger}', { QueueTrigger: 'msg' }, 'out/msg'],
    ['out/{order.id}.json', { order: { id: 7 } }, 'out/7.json'],
    ['%CONTAINER%/{n}', { n: 1 }, 'things/1'],
    ['logs/{DateTime}', {}, 'logs/2026-01-02T03:04:05.000Z'],
  ])('%s with %j → %s', (expression, data, expected) => {
    expect(resolveBindingExpression(expression, data, { CONTAINER: 'things' }, now)).toBe(expected);
  });

  it('makes a new GUID for {rand-guid}', () => {
    expect(resolveBindingExpression('x/{rand-guid}', {}, {})).toMatch(/^x\/[0-9a-f-]{36}$/);
  });

  it('names the missing parameter', () => {
    expect(() => resolveBindingExpression('samples/{name}', {}, {})).toThrow(
      "No value for named parameter 'name' in binding expression 'samples/{name}'.",
    );
  });
});

describe('resolveAppSettings', () => {
  it('substitutes settings', () => {
    expect(resolveAppSettings('%A%-%B%', { A: '1', B: '2' })).toBe('1-2');
  });

  it('names a missing setting', () => {
    expect(() => resolveAppSettings('%QUEUE%', {})).toThrow(
      "No value for named parameter '%QUEUE%' in binding expression '%QUEUE%'.",
    );
  });
});
