/**
 * The app's HTTP routes as the running host reports them (`GET /admin/functions`, the real
 * host's admin API), so a suite that walks every route needs no list of its own: a function
 * added later is covered the day it is registered.
 */
import type { Stack } from '../stack.js';

export interface AppRoute {
  /** The function's name, as registered. */
  name: string;
  /** The path template with its parameters, as declared: `/api/sandboxes/{name}`. */
  template: string;
  /** Upper-case methods; empty means any method. */
  methods: string[];
  /** Route parameters in template order; optional ones end in `?`. */
  parameters: string[];
}

export interface FunctionMetadataResponse {
  name: string;
  invoke_url_template: string | null;
  isDisabled: boolean;
  config: { bindings: Array<{ type?: string; route?: string; methods?: string[] }> };
}

/**
 * Every enabled HTTP-triggered function of the app running on `stack`.
 *
 * @example
 * const routes = await listAppRoutes(stack);
 * routes.find((r) => r.name === 'getSandbox')?.template; // '/api/sandboxes/{name}'
 */
export async function listAppRoutes(stack: Stack): Promise<AppRoute[]> {
  const response = await stack.fetch('/admin/functions', { key: 'master', as: 'nobody' });
  if (response.status !== 200) {
    throw new Error(`GET /admin/functions answered ${response.status}`);
  }
  const functions = (await response.json()) as FunctionMetadataResponse[];
  return functions
    .map(appRouteOf)
    .filter((r): r is AppRoute => r !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The route of one function as the admin API describes it, or `undefined` for a disabled
 * function or one without an HTTP trigger.
 *
 * @example
 * appRouteOf(pageFunction)?.template; // '/{page:regex(^index.html$)?}'
 */
export function appRouteOf(fn: FunctionMetadataResponse): AppRoute | undefined {
  if (fn.isDisabled || !fn.invoke_url_template) return undefined;
  const trigger = fn.config.bindings.find((b) => b.type?.toLowerCase() === 'httptrigger');
  if (!trigger) return undefined;
  // The invoke URL is lower case; the binding's route keeps the parameters' names as declared.
  // Its path is cut off the origin as text: a route may hold a `?` (`{page:regex(^x$)?}`), which
  // a URL parser would take for the start of a query.
  const invokePath = decodeURI(fn.invoke_url_template.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, ''));
  const route = trigger.route ?? fn.name;
  const prefix = invokePath.slice(0, invokePath.length - route.length);
  const template = `${prefix}${route}`;
  return {
    name: fn.name,
    template,
    methods: (trigger.methods ?? []).map((m) => m.toUpperCase()),
    parameters: [...template.matchAll(/\{([^}:?]+)(?::[^}?]*)?(\?)?\}/g)].map(
      (m) => `${m[1]}${m[2] ?? ''}`,
    ),
  };
}

/**
 * Whether `path` (as sent, percent-encoded) is one the route's template matches: literal
 * segments without regard to case, one non-empty segment per parameter, an optional last one.
 *
 * @example
 * routeMatches(route, '/api/sandboxes/ana-1'); // true for '/api/sandboxes/{name}'
 */
export function routeMatches(route: AppRoute, path: string): boolean {
  const want = route.template.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (got.length > want.length) return false;
  for (const [i, part] of want.entries()) {
    const value = got[i];
    const parameter = /^\{[^}]*\}$/.test(part);
    if (value === undefined) return parameter && part.endsWith('?}') && i === want.length - 1;
    if (!parameter && part.toLowerCase() !== value.toLowerCase()) return false;
  }
  return got.length === want.length || want.at(-1)?.endsWith('?}') === true;
}
