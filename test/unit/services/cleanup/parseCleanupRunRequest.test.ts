import { describe, expect, it } from 'vitest';
import { parseCleanupRunRequest } from '../../../../services/cleanup/parseCleanupRunRequest.js';

describe('parseCleanupRunRequest', () => {
  it.each([
    { description: 'no body as a dry run', body: undefined, expected: 'dry-run' },
    { description: 'an empty object as a dry run', body: {}, expected: 'dry-run' },
    { description: 'dryRun true as a dry run', body: { dryRun: true }, expected: 'dry-run' },
    { description: 'dryRun false as apply', body: { dryRun: false }, expected: 'apply' },
  ])('reads $description', ({ body, expected }) => {
    // Act
    const mode = parseCleanupRunRequest(body);

    // Assess
    expect(mode).toBe(expected);
  });

  it.each([
    {
      description: 'a string dryRun',
      body: { dryRun: 'false' },
      message: 'Invalid request: dryRun: Invalid input: expected boolean, received string',
    },
    {
      description: 'an unknown field',
      body: { dryrun: false },
      message: 'Invalid request: dryrun: Unrecognized key: "dryrun"',
    },
    {
      description: 'an array',
      body: [],
      message: 'Invalid request: body: Invalid input: expected object, received array',
    },
  ])('rejects $description', ({ body, message }) => {
    // Act
    const act = () => parseCleanupRunRequest(body);

    // Assess
    expect(act).toThrow(message);
  });
});
