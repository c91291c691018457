/**
 * Views live in the URL's fragment (`#/sandboxes/ana-1`), so the server serves one page and a
 * link or a reload shows the same view.
 */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { view: 'sandboxes' }
  | { view: 'sandbox'; name: string }
  | { view: 'new' }
  | { view: 'operation'; id: string }
  | { view: 'cleanup' }
  | { view: 'run'; id: string }
  | { view: 'audit' }
  | { view: 'not-found'; path: string };

/**
 * The view a fragment names.
 *
 * @example
 * parseRoute('#/sandboxes/ana-1'); // { view: 'sandbox', name: 'ana-1' }
 */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '' || path === '/' || !path.startsWith('/')) return { view: 'sandboxes' };
  const [first, second, ...rest] = path.slice(1).split('/').map(decodeURIComponent);
  if (rest.length > 0) return { view: 'not-found', path };
  if (first === 'sandboxes' && second) return { view: 'sandbox', name: second };
  if (first === 'sandboxes' || first === '') return { view: 'sandboxes' };
  if (first === 'new' && !second) return { view: 'new' };
  if (first === 'operations' && second) return { view: 'operation', id: second };
  if (first === 'cleanup' && second) return { view: 'run', id: second };
  if (first === 'cleanup') return { view: 'cleanup' };
  if (first === 'audit' && !second) return { view: 'audit' };
  return { view: 'not-found', path };
}

/** The fragment of a view. */
export const href = {
  sandboxes: () => '#/',
  sandbox: (name: string) => `#/sandboxes/${encodeURIComponent(name)}`,
  new: () => '#/new',
  operation: (id: string) => `#/operations/${encodeURIComponent(id)}`,
  cleanup: () => '#/cleanup',
  run: (id: string) => `#/cleanup/${encodeURIComponent(id)}`,
  audit: () => '#/audit',
};

export function navigate(to: string): void {
  window.location.hash = to;
}

/** The current view, following the fragment. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
