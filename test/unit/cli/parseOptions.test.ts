import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { blueprintParameters, hours, keyValue } from '../../../cli/parseOptions.js';

describe('keyValue', () => {
  it('collects repeated key=value options, keeping any = in the value', () => {
    expect(keyValue('b=x=y', keyValue('a=1'))).toEqual([
      ['a', '1'],
      ['b', 'x=y'],
    ]);
  });

  it('refuses a value without a key', () => {
    expect(() => keyValue('=1')).toThrow(new InvalidArgumentError("'=1' is not key=value."));
  });
});

describe('hours', () => {
  it.each(['0', '-3', 'soon', ''])('refuses %j', (value) => {
    expect(() => hours(value)).toThrow('must be a positive number of hours.');
  });
});

describe('blueprintParameters', () => {
  const schema = {
    properties: {
      count: { type: 'integer' },
      public: { type: 'boolean' },
      rules: { type: 'array' },
      name: { type: 'string' },
      ratio: { type: ['number', 'null'] },
    },
  };

  it("types each value as the blueprint's schema says", () => {
    expect(
      blueprintParameters(
        [
          ['count', '2'],
          ['public', 'false'],
          ['rules', '["a","b"]'],
          ['name', '007'],
          ['ratio', '0.5'],
        ],
        schema,
      ),
    ).toEqual({ count: 2, public: false, rules: ['a', 'b'], name: '007', ratio: 0.5 });
  });

  it('leaves what does not fit the schema as text, for the API to judge', () => {
    expect(
      blueprintParameters(
        [
          ['count', 'two'],
          ['public', 'yes'],
          ['unknown', '1'],
        ],
        schema,
      ),
    ).toEqual({ count: 'two', public: 'yes', unknown: '1' });
  });
});
