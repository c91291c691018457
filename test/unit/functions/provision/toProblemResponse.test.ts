import { describe, expect, it } from 'vitest';
import { HttpInputError } from '../../../../functions/provision/HttpInputError.js';
import { toProblemResponse } from '../../../../functions/provision/toProblemResponse.js';
import {
  EnqueueFailedError,
  IdempotencyKeyReuseError,
  InvalidRequestError,
  NotSandboxOwnerError,
  OperationNotFoundError,
  PolicyViolationError,
  SandboxExistsError,
  SandboxNotFoundError,
} from '../../../../services/provisioning/ProvisioningError.js';
import { silentLogger } from '../../../../shared/logging/logger.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';

describe('toProblemResponse', () => {
  const cases = [
    { error: new HttpInputError(415, 'Unsupported Media Type', 'json please'), status: 415 },
    {
      error: new InvalidRequestError([{ rule: 'parameters.vmSize', message: 'bad' }]),
      status: 400,
    },
    { error: new PolicyViolationError([{ rule: 'ttl-max', message: 'too long' }]), status: 422 },
    { error: new IdempotencyKeyReuseError('op'), status: 422 },
    { error: new SandboxExistsError('a'), status: 409 },
    { error: new NotSandboxOwnerError('a', 'bob'), status: 403 },
    { error: new SandboxNotFoundError('a'), status: 404 },
    { error: new OperationNotFoundError('x'), status: 404 },
    { error: new EnqueueFailedError('op', new Error('down')), status: 503 },
    { error: armError(429, 'TooManyRequests', 'slow', 'transient', 12_000), status: 503 },
    { error: new TypeError('bug'), status: 500 },
  ];
  it.each(cases)('maps $error.name to $status problem+json', ({ error, status }) => {
    // Act
    const response = toProblemResponse(error, 'http://localhost/api/sandboxes?x=1', silentLogger);

    // Assess
    expect(response).toMatchObject({
      status,
      headers: { 'content-type': 'application/problem+json' },
      jsonBody: { status, instance: '/api/sandboxes' },
    });
  });

  it('points each field violation at its JSON location and names the rule', () => {
    // Act
    const response = toProblemResponse(
      new InvalidRequestError([{ rule: 'parameters.vmSize', message: 'bad' }]),
      '/api/sandboxes',
      silentLogger,
    );

    // Assess
    expect(response.jsonBody).toMatchObject({
      errors: [{ pointer: '/parameters/vmSize', rule: 'parameters.vmSize', detail: 'bad' }],
    });
  });

  it("asks for a retry after the server's Retry-After when throttled", () => {
    // Act
    const response = toProblemResponse(
      armError(429, 'TooManyRequests', 'slow', 'transient', 12_000),
      '/x',
      silentLogger,
    );

    // Assess
    expect(response.headers).toMatchObject({ 'retry-after': '12' });
  });
});
