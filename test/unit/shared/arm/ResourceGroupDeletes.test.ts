import { describe, expect, it } from 'vitest';
import {
  deleteResumeToken,
  readDeleteResumeToken,
} from '../../../../shared/arm/ResourceGroupDeletes.js';

describe('delete resume tokens', () => {
  it('round-trip the operation ARM accepted', () => {
    // Prepare
    const operation = {
      location: 'https://arm/subscriptions/s/operationresults/abc?api-version=2021-04-01',
      acceptedAt: Date.parse('2026-03-01T12:00:00Z'),
      retryAfterMs: 15_000,
    };

    // Act
    const token = deleteResumeToken(operation);

    // Assess
    expect(readDeleteResumeToken(token)).toEqual(operation);
    expect(JSON.parse(token).state.config.operationLocation).toBe(operation.location);
  });

  it('reads a token the SDK serialized, without the time it was accepted', () => {
    // Prepare: `@azure/core-lro` 2's serialized Location-mode poller.
    const token = JSON.stringify({
      state: {
        status: 'running',
        config: {
          metadata: { mode: 'ResourceLocation' },
          operationLocation: 'https://arm/subscriptions/s/operationresults/x',
        },
      },
    });

    // Act & Assess
    expect(readDeleteResumeToken(token)).toEqual({
      location: 'https://arm/subscriptions/s/operationresults/x',
      acceptedAt: 0,
      retryAfterMs: 0,
    });
  });

  it.each([
    ['not JSON', 'token-1'],
    ['no location', '{"state":{}}'],
    ['a location that is not https', '{"state":{"config":{"operationLocation":"http://x"}}}'],
  ])('reads nothing from %s', (_description, token) => {
    expect(readDeleteResumeToken(token)).toBeUndefined();
  });
});
