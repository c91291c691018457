import { describe, expect, it } from 'vitest';
import {
  extendRequestSchema,
  sandboxRequestSchema,
} from '../../../../services/provisioning/sandboxRequestSchema.js';
import { sandboxBodyFactory } from '../../../support/provision/fixtures.js';

describe('sandboxRequestSchema', () => {
  it.each([
    { description: 'the minimal request', body: sandboxBodyFactory(), path: undefined },
    {
      description: 'every field',
      body: sandboxBodyFactory({
        owner: 'a',
        ttlHours: 1.5,
        parameters: { x: 1 },
        tags: { t: 'v' },
      }),
      path: undefined,
    },
    {
      description: 'a missing blueprint',
      body: { name: 'a', location: 'eastus' },
      path: 'blueprint',
    },
    { description: 'an empty name', body: sandboxBodyFactory({ name: '' }), path: 'name' },
    { description: 'a negative TTL', body: sandboxBodyFactory({ ttlHours: -1 }), path: 'ttlHours' },
    {
      description: 'a non-string tag value',
      body: sandboxBodyFactory({ tags: { n: 1 } }),
      path: 'tags.n',
    },
    {
      description: 'an owner with a newline',
      body: sandboxBodyFactory({ owner: 'a\nb' }),
      path: 'owner',
    },
    { description: 'an unknown field', body: sandboxBodyFactory({ sku: 'x' }), path: '' },
  ])('$description → issue at $path', ({ body, path }) => {
    // Act
    const result = sandboxRequestSchema.safeParse(body);

    // Assess
    expect(result.success).toBe(path === undefined);
    if (!result.success) expect(result.error.issues[0]?.path.join('.')).toBe(path);
  });

  it('normalizes a display-name location', () => {
    expect(
      sandboxRequestSchema.parse(sandboxBodyFactory({ location: 'West Europe' })).location,
    ).toBe('westeurope');
  });
});

describe('extendRequestSchema', () => {
  it.each([
    { body: { ttlHours: 4 }, ok: true },
    { body: { ttlHours: 0 }, ok: false },
    { body: {}, ok: false },
    { body: { ttlHours: 4, extra: true }, ok: false },
  ])('$body valid: $ok', ({ body, ok }) => {
    expect(extendRequestSchema.safeParse(body).success).toBe(ok);
  });
});
