import { describe, expect, it } from 'vitest';
import { ApiConformance } from '../../support/openapi/ApiConformance.js';

// The checker every end-to-end answer goes through must itself catch what does not match.
const conformance = new ApiConformance({
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {
    '/api/things/{id}': {
      get: {
        responses: {
          200: {
            description: 'ok',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    at: { type: 'string', format: 'date-time' },
                  },
                  required: ['id'],
                  additionalProperties: false,
                },
              },
            },
          },
          404: { $ref: '#/components/responses/Problem404' },
        },
      },
    },
    '/api/things/latest': { get: { responses: { 204: { description: 'nothing' } } } },
  },
  components: {
    responses: {
      Problem404: {
        description: 'not found',
        content: {
          'application/problem+json': {
            schema: {
              type: 'object',
              required: ['code'],
              properties: { code: { type: 'string' } },
            },
          },
        },
      },
    },
  },
});

const answer = (
  status: number,
  body: unknown,
  contentType = 'application/json',
  path = '/api/things/7',
) => ({
  method: 'GET',
  path,
  status,
  contentType,
  body: body === undefined ? '' : JSON.stringify(body),
});

describe('ApiConformance', () => {
  it('accepts an answer as documented', () => {
    expect(conformance.check(answer(200, { id: '7', at: '2026-01-01T00:00:00Z' }))).toEqual([]);
  });

  it.each([
    [answer(200, { id: 7 }), 'GET /api/things/7 → 200: /id must be string {"type":"string"}'],
    [
      answer(200, { id: '7', extra: true }),
      'GET /api/things/7 → 200: (body) must NOT have additional properties {"additionalProperty":"extra"}',
    ],
    [
      answer(200, { id: '7', at: 'yesterday' }),
      'GET /api/things/7 → 200: /at must match format "date-time" {"format":"date-time"}',
    ],
    [answer(500, {}), 'GET /api/things/7 → 500: the document lists no 500 for /api/things/{id}'],
    [
      answer(404, {}, 'application/problem+json'),
      'GET /api/things/7 → 404: (body) must have required property \'code\' {"missingProperty":"code"}',
    ],
    [
      answer(404, { code: 'x' }, 'text/html'),
      "GET /api/things/7 → 404: 'text/html' is not among the documented application/problem+json",
    ],
  ])('refuses %j', (observed, message) => {
    expect(conformance.check(observed)).toEqual([message]);
  });

  it('prefers a literal path to a template', () => {
    expect(
      conformance.check(answer(204, undefined, null as unknown as string, '/api/things/latest')),
    ).toEqual([]);
  });

  it('leaves alone what the document does not describe', () => {
    expect(conformance.check({ ...answer(200, {}), path: '/admin/functions/x' })).toBeUndefined();
  });
});
