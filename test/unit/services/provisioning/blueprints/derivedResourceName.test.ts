import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derivedResourceName } from '../../../../../services/provisioning/blueprints/derivedResourceName.js';

describe('derivedResourceName', () => {
  it('is stable for the same sandbox', () => {
    expect(derivedResourceName('ana-1', { prefix: 'vm', maxLength: 64 })).toBe(
      derivedResourceName('ana-1', { prefix: 'vm', maxLength: 64 }),
    );
  });

  it('differs between sandboxes that clean to the same text', () => {
    const rule = { prefix: 'st', maxLength: 24, alphanumericOnly: true };
    expect(derivedResourceName('ana-1', rule)).not.toBe(derivedResourceName('ana.1', rule));
  });

  it('makes storage account names: 3-24 lowercase letters and digits (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_.()-]{1,90}$/), (sandbox) => {
        const name = derivedResourceName(sandbox, {
          prefix: 'st',
          maxLength: 24,
          alphanumericOnly: true,
        });
        expect(name).toMatch(/^[a-z0-9]{3,24}$/);
      }),
    );
  });

  it('makes hyphenated names within length, not starting or ending with a hyphen (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_.()-]{1,90}$/),
        fc.integer({ min: 20, max: 80 }),
        (sandbox, maxLength) => {
          const name = derivedResourceName(sandbox, { prefix: 'vm', maxLength });
          expect(name.length).toBeLessThanOrEqual(maxLength);
          expect(name).toMatch(/^vm(-[a-z0-9]+)*$/);
        },
      ),
    );
  });
});
