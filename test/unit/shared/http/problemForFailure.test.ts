import { describe, expect, it } from 'vitest';
import { problemForFailure } from '../../../../shared/http/problemForFailure.js';
import { createLogger } from '../../../../shared/logging/logger.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';

describe('problemForFailure', () => {
  it.each([
    {
      description: 'a throttled dependency that said when',
      error: armError(429, 'TooManyRequests', 'slow down', 'transient', 7_000),
      status: 503,
      retryAfter: '7',
      code: 'TooManyRequests',
    },
    {
      description: 'a dependency that is down and said nothing',
      error: armError(503, 'ServiceUnavailable', 'down'),
      status: 503,
      retryAfter: '5',
      code: 'ServiceUnavailable',
    },
    {
      description: 'a bug',
      error: new TypeError("Cannot read properties of undefined (reading 'x')"),
      status: 500,
      retryAfter: undefined,
      code: 'TypeError',
    },
  ])('answers $description with $status', ({ error, status, retryAfter, code }) => {
    // Prepare
    const entries: unknown[] = [];
    const logger = createLogger(undefined, {}, { sink: (entry) => entries.push(entry) });

    // Act
    const response = problemForFailure(error, '/api/sandboxes', logger);

    // Assess
    expect(response).toMatchObject({
      status,
      headers: { 'content-type': 'application/problem+json' },
      jsonBody: { status, code, instance: '/api/sandboxes' },
    });
    expect((response.headers as Record<string, string>)['retry-after']).toBe(retryAfter);
    expect(JSON.stringify(response.jsonBody)).not.toContain('properties of undefined');
    expect(entries).toHaveLength(1);
  });
});
