import { describe, expect, it } from 'vitest';
import { readJsonBody } from '../../../../shared/http/readJsonBody.js';
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
      name: 'UnsupportedMediaTypeError',
      message: 'Send the body as application/json.',
    },
    {
      description: 'a declared length over the limit',
      body: '{}',
      headers: { 'content-type': 'application/json', 'content-length': '70000' },
      status: 413,
      name: 'ContentTooLargeError',
      message: 'The body may be at most 65536 bytes.',
    },
    {
      description: 'an actual body over the limit',
      body: `"${'x'.repeat(70_000)}"`,
      headers: { 'content-type': 'application/json' },
      status: 413,
      name: 'ContentTooLargeError',
      message: 'The body may be at most 65536 bytes.',
    },
    {
      description: 'an empty body',
      body: '',
      headers: { 'content-type': 'application/json' },
      status: 400,
      name: 'ValidationError',
      message: 'The body is empty.',
    },
    {
      description: 'broken JSON',
      body: '{',
      headers: { 'content-type': 'application/json' },
      status: 400,
      name: 'ValidationError',
      message: expect.stringMatching(/^The body is not valid JSON: /),
    },
  ])('refuses $description with $status', async ({ body, headers, status, name, message }) => {
    // Act
    const act = readJsonBody(post(body, headers));

    // Assess
    await expect(act).rejects.toMatchObject({ name, status, message });
  });

  it.each([
    { description: 'no body at all', body: '', headers: {} },
    {
      description: 'an empty body of another type',
      body: '',
      headers: { 'content-type': 'text/plain' },
    },
  ])('reads $description as undefined when the body is optional', async ({ body, headers }) => {
    expect(await readJsonBody(post(body, headers), { optional: true })).toBeUndefined();
  });

  it('still checks an optional body that is present', async () => {
    await expect(
      readJsonBody(post('{"a":1}', { 'content-type': 'text/plain' }), { optional: true }),
    ).rejects.toMatchObject({ status: 415 });
  });
});
