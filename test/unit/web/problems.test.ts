import { describe, expect, it } from 'vitest';
import type { Problem } from '../../../web/src/apiTypes.js';
import { placeProblem } from '../../../web/src/problems.js';
import { parseRoute } from '../../../web/src/router.js';

const problem = (errors: Problem['errors']): Problem => ({
  type: 'urn:sandbox-automation:problem:policy-violation',
  title: 'Policy violation',
  status: 422,
  detail: 'Policy violated',
  instance: '/api/sandboxes',
  code: 'PolicyViolation',
  ...(errors ? { errors } : {}),
});

describe('placeProblem', () => {
  const fields = new Set(['/name', '/location', '/parameters/containerName', '/tags']);

  it('puts each error on the field it points at, or the field its policy rule is about', () => {
    // Act
    const placed = placeProblem(
      problem([
        {
          pointer: '/parameters/containerName',
          detail: 'too short',
          rule: 'parameters.containerName',
        },
        { pointer: '/', detail: "'mars' is not allowed", rule: 'location-allowed' },
        { pointer: '/', detail: 'a tag name is too long', rule: 'tag-name-length' },
        { pointer: '/', detail: 'you hold 5 sandboxes', rule: 'owner-quota' },
      ]),
      fields,
    );

    // Assess
    expect(Object.fromEntries(placed.byField)).toEqual({
      '/parameters/containerName': ['too short'],
      '/location': ["'mars' is not allowed"],
      '/tags': ['a tag name is too long'],
    });
    expect(placed.general).toEqual(['you hold 5 sandboxes']);
  });

  it('shows the problem’s detail when it names no field', () => {
    expect(placeProblem(problem(undefined), fields).general).toEqual(['Policy violated']);
  });
});

describe('parseRoute', () => {
  it.each([
    ['', { view: 'sandboxes' }],
    ['#/', { view: 'sandboxes' }],
    ['#code=abc&state=x', { view: 'sandboxes' }],
    ['#/sandboxes/ana%2D1', { view: 'sandbox', name: 'ana-1' }],
    ['#/new', { view: 'new' }],
    ['#/operations/3f0c', { view: 'operation', id: '3f0c' }],
    ['#/cleanup', { view: 'cleanup' }],
    ['#/cleanup/20260115T090000Z-3f9a1c', { view: 'run', id: '20260115T090000Z-3f9a1c' }],
    ['#/audit', { view: 'audit' }],
    ['#/nowhere/at/all', { view: 'not-found', path: '/nowhere/at/all' }],
  ])('reads %s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });
});
