import { HttpResponse } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { problem } from '../../../../shared/http/problem.js';

describe('problem', () => {
  it.each([
    { status: 400, title: 'Bad Request' },
    { status: 403, title: 'Forbidden' },
    { status: 409, title: 'Conflict' },
    { status: 422, title: 'Unprocessable Content' },
    { status: 503, title: 'Service Unavailable' },
    { status: 418, title: 'Client Error' },
    { status: 599, title: 'Server Error' },
  ])('defaults the title of $status to "$title"', ({ status, title }) => {
    // Act
    const response = problem(status);

    // Assess
    expect(response).toEqual({
      status,
      headers: { 'content-type': 'application/problem+json' },
      jsonBody: { type: 'about:blank', title, status },
    });
  });

  it('carries detail, instance, field errors, extensions and extra headers', () => {
    // Act
    const response = problem(422, {
      type: 'https://sandbox.example/problems/policy',
      title: 'Request violates policy',
      detail: 'Location mars is not allowed.',
      instance: '/api/sandboxes',
      errors: [
        { pointer: '/location', detail: 'not in ALLOWED_LOCATIONS', rule: 'allowed-locations' },
      ],
      operationId: 'op-1',
      headers: { 'retry-after': '5' },
    });

    // Assess
    expect(response).toEqual({
      status: 422,
      headers: { 'retry-after': '5', 'content-type': 'application/problem+json' },
      jsonBody: {
        type: 'https://sandbox.example/problems/policy',
        title: 'Request violates policy',
        status: 422,
        detail: 'Location mars is not allowed.',
        instance: '/api/sandboxes',
        errors: [
          { pointer: '/location', detail: 'not in ALLOWED_LOCATIONS', rule: 'allowed-locations' },
        ],
        operationId: 'op-1',
      },
    });
  });

  it('lets no extension override a standard member', () => {
    // Act
    const response = problem(404, { status: 200, title: 'Gone fishing' } as never);

    // Assess
    expect(response.jsonBody).toMatchObject({ status: 404, title: 'Gone fishing' });
  });

  it('keeps the problem content type through the Functions HttpResponse', async () => {
    // Act
    const response = new HttpResponse(problem(409, { detail: 'exists' }));

    // Assess
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'exists',
    });
  });

  it.each([200, 302, 600, 404.5])('refuses status %s', (status) => {
    // Act & Assess
    expect(() => problem(status)).toThrow(
      `a problem response needs a 4xx or 5xx status, got ${status}`,
    );
  });
});
