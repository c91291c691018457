import { describe, expect, it } from 'vitest';
import { cleanupProblem } from '../../../../functions/cleanup/cleanupProblem.js';
import {
  CleanupRunNotApprovableError,
  CleanupRunNotFoundError,
  InvalidCleanupRequestError,
  NotCleanupAdminError,
} from '../../../../services/cleanup/CleanupError.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';

describe('cleanupProblem', () => {
  it.each([
    {
      description: 'a bad request',
      error: new InvalidCleanupRequestError('x'),
      status: 400,
      code: 'InvalidRequest',
    },
    {
      description: 'no principal',
      error: new NotCleanupAdminError(undefined),
      status: 401,
      code: 'Forbidden',
    },
    {
      description: 'a non-admin',
      error: new NotCleanupAdminError('eve'),
      status: 403,
      code: 'Forbidden',
    },
    {
      description: 'an unknown run',
      error: new CleanupRunNotFoundError('r'),
      status: 404,
      code: 'CleanupRunNotFound',
    },
    {
      description: 'a run that cannot be approved',
      error: new CleanupRunNotApprovableError('r', 'applying'),
      status: 409,
      code: 'CleanupRunNotApprovable',
    },
    {
      description: 'a throttled dependency',
      error: armError(429, 'TooManyRequests', 'x', 'transient', 7000),
      status: 503,
      code: 'TooManyRequests',
    },
    { description: 'anything else', error: new Error('boom'), status: 500, code: 'Error' },
  ])('maps $description to $status', ({ error, status, code }) => {
    // Act
    const response = cleanupProblem(error, '/api/cleanup/runs');

    // Assess
    expect(response).toMatchObject({
      status,
      jsonBody: { status, code, instance: '/api/cleanup/runs' },
    });
  });

  it('asks a caller to come back when the dependency said when', () => {
    // Act
    const response = cleanupProblem(armError(429, 'TooManyRequests', 'x', 'transient', 7000), '/x');

    // Assess
    expect(response.headers).toMatchObject({ 'retry-after': '7' });
  });
});
