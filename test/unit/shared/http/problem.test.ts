import { describe, expect, it } from 'vitest';
import {
  CleanupRunNotApprovableError,
  CleanupRunNotFoundError,
} from '../../../../services/cleanup/errors.js';
import {
  EnqueueFailedError,
  IdempotencyKeyReuseError,
  NotSandboxOwnerError,
  OperationNotFoundError,
  SandboxExistsError,
  SandboxNotFoundError,
} from '../../../../services/provisioning/errors.js';
import {
  ConflictError,
  ContentTooLargeError,
  ForbiddenError,
  PolicyViolationError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../../../shared/apiErrors.js';
import { problemResponse, problemType } from '../../../../shared/http/problem.js';
import { silentLogger } from '../../../../shared/logging/logger.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';

describe('problemResponse', () => {
  const cases = [
    {
      error: new UnsupportedMediaTypeError('json please'),
      status: 415,
      code: 'UnsupportedMediaType',
    },
    { error: new ContentTooLargeError('too big'), status: 413, code: 'ContentTooLarge' },
    {
      error: new ValidationError([{ rule: 'parameters.vmSize', message: 'bad' }]),
      status: 400,
      code: 'InvalidRequest',
    },
    {
      error: new PolicyViolationError([{ rule: 'ttl-max', message: 'too long' }]),
      status: 422,
      code: 'PolicyViolation',
    },
    { error: new IdempotencyKeyReuseError('op'), status: 422, code: 'IdempotencyKeyReuse' },
    { error: new SandboxExistsError('a'), status: 409, code: 'SandboxExists' },
    { error: new NotSandboxOwnerError('a', 'bob'), status: 403, code: 'Forbidden' },
    { error: new SandboxNotFoundError('a'), status: 404, code: 'SandboxNotFound' },
    { error: new OperationNotFoundError('x'), status: 404, code: 'OperationNotFound' },
    { error: new EnqueueFailedError('op', new Error('down')), status: 503, code: 'EnqueueFailed' },
    { error: new UnauthorizedError('who?'), status: 401, code: 'Unauthorized' },
    { error: new ForbiddenError('no'), status: 403, code: 'Forbidden' },
    { error: new CleanupRunNotFoundError('r'), status: 404, code: 'CleanupRunNotFound' },
    {
      error: new CleanupRunNotApprovableError('r', 'applying'),
      status: 409,
      code: 'CleanupRunNotApprovable',
    },
    {
      error: armError(429, 'TooManyRequests', 'slow', 'transient', 12_000),
      status: 503,
      code: 'TooManyRequests',
    },
    { error: new TypeError('bug'), status: 500, code: 'InternalError' },
  ];
  it.each(cases)('maps $error.name to $status problem+json', ({ error, status, code }) => {
    // Act
    const response = problemResponse(error, '/api/sandboxes', silentLogger);

    // Assess
    expect(response).toMatchObject({
      status,
      headers: { 'content-type': 'application/problem+json' },
      jsonBody: { status, code, instance: '/api/sandboxes' },
    });
  });

  it.each(cases)('answers $error.name with exactly the members of the one shape', ({ error }) => {
    // Act
    const body = problemResponse(error, '/x', silentLogger).jsonBody as Record<string, unknown>;

    // Assess
    const members = Object.keys(body).sort();
    const expected = ['code', 'detail', 'instance', 'status', 'title', 'type'];
    expect(members.filter((m) => m !== 'errors')).toEqual(expected);
    expect(body.type).toMatch(/^urn:sandbox-automation:problem:[a-z0-9-]+$/);
    expect(typeof body.title).toBe('string');
    expect(typeof body.detail).toBe('string');
  });

  it('adds the extension members an error names, never over the standard ones', () => {
    // Act
    const body = problemResponse(
      new ConflictError('busy', {
        code: 'SandboxBeingDeleted',
        extensions: { operationId: 'op-1', status: 200, type: 'x' },
      }),
      '/x',
    ).jsonBody;

    // Assess
    expect(body).toEqual({
      operationId: 'op-1',
      type: 'urn:sandbox-automation:problem:sandbox-being-deleted',
      title: 'Conflict',
      status: 409,
      detail: 'busy',
      instance: '/x',
      code: 'SandboxBeingDeleted',
    });
  });

  it('lists errors[] for validation and policy failures only', () => {
    // Act
    const invalid = problemResponse(
      new ValidationError([{ rule: 'ttlHours', message: 'bad' }]),
      '/x',
    ).jsonBody;
    const notFound = problemResponse(new SandboxNotFoundError('a'), '/x').jsonBody;

    // Assess
    expect(invalid).toHaveProperty('errors');
    expect(notFound).not.toHaveProperty('errors');
  });

  it('points each field violation at its JSON location and names the rule', () => {
    // Act
    const response = problemResponse(
      new ValidationError([
        { rule: 'parameters.vmSize', message: 'bad' },
        { rule: 'location-allowed', message: 'no' },
      ]),
      '/api/sandboxes',
      silentLogger,
    );

    // Assess
    expect(response.jsonBody).toMatchObject({
      errors: [
        { pointer: '/parameters/vmSize', rule: 'parameters.vmSize', detail: 'bad' },
        { pointer: '/', rule: 'location-allowed', detail: 'no' },
      ],
    });
  });

  it("asks for a retry after the server's Retry-After when throttled", () => {
    // Act
    const response = problemResponse(
      armError(429, 'TooManyRequests', 'slow', 'transient', 12_000),
      '/x',
      silentLogger,
    );

    // Assess
    expect(response.headers).toMatchObject({ 'retry-after': '12' });
  });

  it('asks for a retry on a transient error of the API', () => {
    // Act
    const response = problemResponse(new EnqueueFailedError('op', new Error('down')), '/x');

    // Assess
    expect(response.headers).toMatchObject({ 'retry-after': '5' });
  });

  it('reveals nothing of an unexpected failure', () => {
    // Act
    const response = problemResponse(new Error('secret detail'), '/x');

    // Assess
    expect(JSON.stringify(response.jsonBody)).not.toContain('secret');
  });
});

describe('problemType', () => {
  it.each([
    ['SandboxNotFound', 'urn:sandbox-automation:problem:sandbox-not-found'],
    ['InvalidRequest', 'urn:sandbox-automation:problem:invalid-request'],
    ['TooManyRequests', 'urn:sandbox-automation:problem:too-many-requests'],
    ['Forbidden', 'urn:sandbox-automation:problem:forbidden'],
  ])('names %s as %s', (code, type) => {
    expect(problemType(code)).toBe(type);
  });
});
