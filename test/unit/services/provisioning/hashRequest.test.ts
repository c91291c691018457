import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashRequest } from '../../../../services/provisioning/hashRequest.js';
import { recordKeys } from '../../../../shared/records/recordKeys.js';

describe('hashRequest', () => {
  it('ignores key order at every depth (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.dictionary(fc.string(), fc.jsonValue())),
        (value) => {
          const reversed = Object.fromEntries(
            Object.entries(value)
              .reverse()
              .map(([k, v]) => [k, Object.fromEntries(Object.entries(v).reverse())]),
          );
          expect(hashRequest(reversed)).toBe(hashRequest(value));
        },
      ),
    );
  });

  it.each([
    { description: 'a changed value', a: { ttlHours: 8 }, b: { ttlHours: 9 } },
    { description: 'an added field', a: { name: 'a' }, b: { name: 'a', owner: 'b' } },
    { description: 'array order', a: { x: [1, 2] }, b: { x: [2, 1] } },
  ])('tells apart $description', ({ a, b }) => {
    expect(hashRequest(a)).not.toBe(hashRequest(b));
  });
});

describe('recordKeys.idempotency', () => {
  it('is per owner (case-insensitively) and key, and keeps the key out of the blob name', () => {
    // Act
    const key = recordKeys.idempotency('Ana@Contoso.com', '../../x');

    // Assess
    expect(key).toMatch(/^idempotency\/[0-9a-f]{64}\.json$/);
    expect(key).toBe(recordKeys.idempotency('ana@contoso.com', '../../x'));
    expect(key).not.toBe(recordKeys.idempotency('bob@contoso.com', '../../x'));
  });
});
