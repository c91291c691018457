import {
  createHttpHeaders,
  createPipelineRequest,
  type PipelineResponse,
  RestError,
} from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import {
  AppError,
  AzureRequestError,
  ConfigError,
  classifyError,
  LroTimeoutError,
  parseRetryAfter,
  RecordConflictError,
  readRetryAfterMs,
} from '../../../shared/errors.js';

const now = () => Date.parse('2026-01-01T00:00:00Z');

/** A RestError as core-client builds one from an ARM error response. */
function armRestError(
  status: number,
  body?: { code: string; message: string },
  headers: Record<string, string> = {},
): RestError {
  const request = createPipelineRequest({ url: 'https://management.azure.com/subscriptions/s' });
  const response: PipelineResponse = {
    request,
    status,
    headers: createHttpHeaders(headers),
    ...(body ? { bodyAsText: JSON.stringify({ error: body }) } : {}),
  };
  return new RestError(body?.message ?? `status ${status}`, {
    statusCode: status,
    ...(body ? { code: body.code } : {}),
    request,
    response,
  });
}

function networkError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyError', () => {
  it.each([
    {
      description: '429 with Retry-After seconds',
      error: armRestError(
        429,
        { code: 'TooManyRequests', message: 'slow down' },
        { 'retry-after': '7' },
      ),
      expected: {
        kind: 'transient',
        code: 'TooManyRequests',
        status: 429,
        message: 'slow down',
        retryAfterMs: 7000,
      },
    },
    {
      description: '429 with Retry-After as an HTTP date',
      error: armRestError(
        429,
        { code: 'TooManyRequests', message: 'x' },
        { 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' },
      ),
      expected: {
        kind: 'transient',
        code: 'TooManyRequests',
        status: 429,
        message: 'x',
        retryAfterMs: 30000,
      },
    },
    {
      description: '503 without a body',
      error: armRestError(503),
      expected: { kind: 'transient', code: 'Http503', status: 503, message: 'status 503' },
    },
    {
      description: '500 with an ARM body',
      error: armRestError(500, { code: 'InternalServerError', message: 'oops' }),
      expected: { kind: 'transient', code: 'InternalServerError', status: 500, message: 'oops' },
    },
    {
      description: '501 (it will never be implemented by retrying)',
      error: armRestError(501, { code: 'NotImplemented', message: 'no' }),
      expected: { kind: 'permanent', code: 'NotImplemented', status: 501, message: 'no' },
    },
    {
      description: '409 ResourceGroupBeingDeleted',
      error: armRestError(409, { code: 'ResourceGroupBeingDeleted', message: 'deprovisioning' }),
      expected: {
        kind: 'transient',
        code: 'ResourceGroupBeingDeleted',
        status: 409,
        message: 'deprovisioning',
      },
    },
    {
      description: '409 Conflict with Retry-After',
      error: armRestError(409, { code: 'Conflict', message: 'busy' }, { 'retry-after': '2' }),
      expected: {
        kind: 'transient',
        code: 'Conflict',
        status: 409,
        message: 'busy',
        retryAfterMs: 2000,
      },
    },
    {
      description: '409 Conflict without Retry-After',
      error: armRestError(409, { code: 'Conflict', message: 'busy' }),
      expected: { kind: 'permanent', code: 'Conflict', status: 409, message: 'busy' },
    },
    {
      description: '409 ScopeLocked',
      error: armRestError(409, { code: 'ScopeLocked', message: 'locked' }),
      expected: { kind: 'permanent', code: 'ScopeLocked', status: 409, message: 'locked' },
    },
    {
      description: '409 ScopeLocked even with Retry-After',
      error: armRestError(409, { code: 'ScopeLocked', message: 'locked' }, { 'retry-after': '5' }),
      expected: {
        kind: 'permanent',
        code: 'ScopeLocked',
        status: 409,
        message: 'locked',
        retryAfterMs: 5000,
      },
    },
    {
      description: '409 InvalidResourceGroupLocation',
      error: armRestError(409, { code: 'InvalidResourceGroupLocation', message: 'elsewhere' }),
      expected: {
        kind: 'permanent',
        code: 'InvalidResourceGroupLocation',
        status: 409,
        message: 'elsewhere',
      },
    },
    {
      description: '403 AuthorizationFailed',
      error: armRestError(403, { code: 'AuthorizationFailed', message: 'no rights' }),
      expected: {
        kind: 'permanent',
        code: 'AuthorizationFailed',
        status: 403,
        message: 'no rights',
      },
    },
    {
      description: '403 RequestDisallowedByPolicy',
      error: armRestError(403, { code: 'RequestDisallowedByPolicy', message: 'policy' }),
      expected: {
        kind: 'permanent',
        code: 'RequestDisallowedByPolicy',
        status: 403,
        message: 'policy',
      },
    },
    {
      description: '404 ResourceGroupNotFound',
      error: armRestError(404, { code: 'ResourceGroupNotFound', message: 'gone' }),
      expected: { kind: 'permanent', code: 'ResourceGroupNotFound', status: 404, message: 'gone' },
    },
    {
      description: '400 InvalidRequestContent',
      error: armRestError(400, { code: 'InvalidRequestContent', message: 'bad json' }),
      expected: {
        kind: 'permanent',
        code: 'InvalidRequestContent',
        status: 400,
        message: 'bad json',
      },
    },
    {
      description: 'a RestError without a status (the request never got an answer)',
      error: new RestError('write EPIPE', { code: 'REQUEST_SEND_ERROR' }),
      expected: { kind: 'transient', code: 'REQUEST_SEND_ERROR', message: 'write EPIPE' },
    },
    {
      description: 'ECONNRESET',
      error: networkError('ECONNRESET', 'read ECONNRESET'),
      expected: { kind: 'transient', code: 'ECONNRESET', message: 'read ECONNRESET' },
    },
    {
      description: 'ETIMEDOUT',
      error: networkError('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.1:443'),
      expected: { kind: 'transient', code: 'ETIMEDOUT', message: 'connect ETIMEDOUT 10.0.0.1:443' },
    },
    {
      description: 'socket hang up',
      error: new Error('socket hang up'),
      expected: { kind: 'transient', code: 'Error', message: 'socket hang up' },
    },
    {
      description: 'a programming error',
      error: new TypeError('x is not a function'),
      expected: { kind: 'permanent', code: 'TypeError', message: 'x is not a function' },
    },
    {
      description: 'a thrown string',
      error: 'boom',
      expected: { kind: 'permanent', code: 'UnknownError', message: 'boom' },
    },
    {
      description: 'an AppError keeps its own kind and code',
      error: new RecordConflictError('k', 'changed'),
      expected: { kind: 'transient', code: 'RecordConflict', message: 'changed' },
    },
    {
      description: 'an LRO timeout',
      error: new LroTimeoutError('delete rg', 1000),
      expected: {
        kind: 'transient',
        code: 'LroTimeout',
        message: 'delete rg did not finish within 1000 ms',
      },
    },
  ])('classifies $description', ({ error, expected }) => {
    // Act
    const classification = classifyError(error, now);

    // Assess
    expect(classification).toEqual(expected);
  });

  it('reads the ARM code from the body when the SDK left only the status', () => {
    // Prepare
    const error = armRestError(409, { code: 'ScopeLocked', message: 'locked' });
    error.code = undefined;

    // Act
    const classification = classifyError(error, now);

    // Assess
    expect(classification.code).toBe('ScopeLocked');
  });

  it('reads the ARM code from details, as the rest-level clients leave it', () => {
    // Prepare
    const error = new RestError('failed', { statusCode: 404 });
    error.details = { error: { code: 'ResourceNotFound', message: 'no such vm' } };

    // Act
    const classification = classifyError(error, now);

    // Assess
    expect(classification).toEqual({
      kind: 'permanent',
      code: 'ResourceNotFound',
      status: 404,
      message: 'no such vm',
    });
  });

  it('keeps the classification of an AzureRequestError it made', () => {
    // Prepare
    const wrapped = AzureRequestError.from(
      armRestError(429, { code: 'TooManyRequests', message: 'x' }, { 'retry-after': '3' }),
    );

    // Act
    const classification = classifyError(wrapped, now);

    // Assess
    expect(wrapped.cause).toBeInstanceOf(RestError);
    expect(classification).toEqual({
      kind: 'transient',
      code: 'TooManyRequests',
      status: 429,
      message: 'x',
      retryAfterMs: 3000,
    });
  });
});

describe('readRetryAfterMs', () => {
  it.each([
    { description: 'delta-seconds', headers: { 'Retry-After': '5' }, expected: 5000 },
    { description: 'fractional seconds', headers: { 'retry-after': '0.25' }, expected: 250 },
    {
      description: 'retry-after-ms wins',
      headers: { 'retry-after': '5', 'retry-after-ms': '120' },
      expected: 120,
    },
    { description: 'x-ms-retry-after-ms', headers: { 'x-ms-retry-after-ms': '80' }, expected: 80 },
    {
      description: 'an HTTP date',
      headers: { 'retry-after': 'Thu, 01 Jan 2026 00:01:00 GMT' },
      expected: 60000,
    },
    {
      description: 'a date in the past',
      headers: { 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' },
      expected: 0,
    },
    { description: 'garbage', headers: { 'retry-after': 'soon' }, expected: undefined },
    { description: 'a negative number', headers: { 'retry-after': '-3' }, expected: undefined },
    { description: 'no header', headers: {}, expected: undefined },
    {
      description: 'core HttpHeaders',
      headers: createHttpHeaders({ 'retry-after': '2' }),
      expected: 2000,
    },
    { description: 'fetch Headers', headers: new Headers({ 'retry-after': '3' }), expected: 3000 },
  ])('reads $description', ({ headers, expected }) => {
    // Act
    const ms = readRetryAfterMs(headers, now);

    // Assess
    expect(ms).toBe(expected);
  });

  it('parses a bare value', () => {
    // Act & Assess
    expect(parseRetryAfter(' 10 ', now)).toBe(10_000);
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('the error hierarchy', () => {
  it('names each error and keeps the cause', () => {
    // Prepare
    const cause = new Error('root');

    // Act
    const errors = [
      new AppError('a', { kind: 'permanent', code: 'A', cause }),
      new RecordConflictError('k', 'c', cause),
      new ConfigError([{ setting: 'X', message: 'is required' }]),
    ];

    // Assess
    expect(errors.map((e) => e.name)).toEqual(['AppError', 'RecordConflictError', 'ConfigError']);
    expect(errors[0]?.cause).toBe(cause);
    expect(errors[1]?.cause).toBe(cause);
    expect(errors.every((e) => e instanceof AppError)).toBe(true);
    expect(errors[2]?.message).toBe('Invalid app settings: X is required');
  });
});
