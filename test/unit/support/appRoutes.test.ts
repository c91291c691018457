import { describe, expect, it } from 'vitest';
import { appRouteOf, routeMatches } from '../../support/reliability/appRoutes.js';

/** A function as `GET /admin/functions` describes it (the real host's admin API). */
function described(route: string, invokePath: string) {
  return {
    name: 'fn',
    invoke_url_template: `http://127.0.0.1:7071${invokePath}`,
    isDisabled: false,
    config: { bindings: [{ type: 'httpTrigger', route, methods: ['get'] }] },
  };
}

describe('appRouteOf', () => {
  it('keeps a route whose constraint holds a ? whole, and finds its optional parameter', () => {
    // Act
    const route = appRouteOf(
      described('{page:regex(^index.html$)?}', '/{page:regex(^index.html$)?}'),
    );

    // Assess
    expect(route).toMatchObject({
      template: '/{page:regex(^index.html$)?}',
      methods: ['GET'],
      parameters: ['page?'],
    });
    expect(routeMatches(route!, '/')).toBe(true);
  });

  it('puts the route prefix before the declared route, keeping its parameter names', () => {
    // Act
    const route = appRouteOf(described('sandboxes/{name}', '/api/sandboxes/{name}'));

    // Assess
    expect(route).toMatchObject({ template: '/api/sandboxes/{name}', parameters: ['name'] });
  });
});
