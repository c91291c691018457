import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validate } from '../../../shared/validate.js';

const schema = z.strictObject({
  ttlHours: z.number(),
  parameters: z.strictObject({ size: z.string() }).optional(),
});

describe('validate', () => {
  it('returns the parsed value', () => {
    expect(validate(schema, { ttlHours: 1 })).toEqual({ ttlHours: 1 });
  });

  it.each([
    { description: 'a wrong type', value: { ttlHours: 'x' }, rule: 'ttlHours' },
    {
      description: 'an unknown field, by its name',
      value: { ttlHours: 1, extra: 1 },
      rule: 'extra',
    },
    {
      description: 'a nested unknown field, by its path',
      value: { ttlHours: 1, parameters: { size: 's', colour: 1 } },
      rule: 'parameters.colour',
    },
    { description: 'a value that is not an object, as the body', value: 'hello', rule: 'body' },
  ])('names $description', ({ value, rule }) => {
    expect(() => validate(schema, value)).toThrow(
      expect.objectContaining({
        name: 'ValidationError',
        status: 400,
        violations: [expect.objectContaining({ rule })],
      }),
    );
  });
});
