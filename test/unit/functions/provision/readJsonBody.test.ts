import { describe, expect, it } from 'vitest';
import { readJsonBody } from '../../../../functions/provision/readJsonBody.js';
import { httpRequestFactory } from '../../../support/provision/httpRequestFactory.js';

const post = (body: string, headers: Record<string, string | undefined>) =>
  httpRequestFactory({ method: 'POST', path: '/api/sandboxes', body, headers });

describe('readJsonBody', () => {
  it.each([
    { description: 'application/json', type: 'application/json' },
    { description: 'a charset parameter', type: 'application/json; charset=utf-8' },
    { description: 'a +json type', type: 'application/vnd.sandbox+json' },
  ])('reads $description', async ({ type }) => {
    expect(await readJsonBody(post('{"a":1}', { 'content-type': type }))).toEqual({ a: 1 });
  });

  it.each([
    {
      description: 'text/plain',
      body: '{}',
      headers: { 'content-type': 'text/plain' },
      status: 415,
      message: 'Send the body as application/json.',
    },
    {
      description: 'a declared length over the limit',
      body: '{}',
      headers: { 'content-type': 'application/json', 'content-length': '70000' },
      status: 413,
      message: 'The body may be at most 65536 bytes.',
    },
    {
      description: 'an actual body over the limit',
      body: `"${'x'.repeat(70_000)}"`,
      headers: { 'content-type': 'application/json' },
      status: 413,
      message: 'The body may be at most 65536 bytes.',
    },
    {
      description: 'an empty body',
      body: '',
      headers: { 'content-type': 'application/json' },
      status: 400,
      message: 'The body is empty.',
    },
    {
      description: 'broken JSON',
      body: '{',
      headers: { 'content-type': 'application/json' },
      status: 400,
      message: expect.stringMatching(/^The body is not valid JSON: /),
    },
  ])('refuses $description with $status', async ({ body, headers, status, message }) => {
    // Act
    const act = readJsonBody(post(body, headers));

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'HttpInputError', status, message });
  });
});
