/**
 * What ARM authorizes a request as: the operation (`{namespace}/{type}[/{childType}]/{verb}`)
 * and the scope it is checked over. ARM derives both from the URL, keeping its casing, which is
 * why real messages read `Microsoft.Resources/subscriptions/resourcegroups/delete` for a path with
 * `resourcegroups`.
 */

export type ArmOperation =
  /** Authenticated callers only: polling URLs and tenant-level reads. */
  | { kind: 'open' }
  /** `GET /subscriptions`: the subscriptions in which the caller holds any role. */
  | { kind: 'subscriptions' }
  /** `GET /subscriptions/{id}`: allowed to anyone holding a role in it. */
  | { kind: 'subscription'; action: string; scope: string }
  | {
      kind: 'check';
      action: string;
      scope: string;
      /** The subscription in the path, to leave unknown ones to the routes' own 404. */
      subscriptionId: string;
      /** A list that ARM narrows to what the caller may read, rather than refusing outright. */
      list?: boolean;
      /** The resource type written, for linked access checks. */
      writesType?: string;
    };

const VERBS: Record<string, string> = {
  GET: 'read',
  HEAD: 'read',
  PUT: 'write',
  PATCH: 'write',
  DELETE: 'delete',
  POST: 'action',
};

const pathOf = (segments: string[]) => `/${segments.join('/')}`;

/**
 * Maps a request to the operation ARM checks before routing it.
 *
 * @example
 * armOperationOf('DELETE', ['subscriptions', 's', 'resourcegroups', 'rg']);
 * // { kind: 'check', action: 'Microsoft.Resources/subscriptions/resourcegroups/delete', scope: '/subscriptions/s/resourcegroups/rg', … }
 */
export function armOperationOf(method: string, segments: string[]): ArmOperation {
  const s = segments;
  const l = segments.map((segment) => segment.toLowerCase());
  const n = l.length;
  const verb = VERBS[method.toUpperCase()] ?? 'read';
  if (l[0] !== 'subscriptions' || n < 2) {
    return n === 1 && l[0] === 'subscriptions' ? { kind: 'subscriptions' } : { kind: 'open' };
  }
  const subscriptionId = s[1] as string;
  if (n === 2) {
    return {
      kind: 'subscription',
      action: 'Microsoft.Resources/subscriptions/read',
      scope: pathOf(s),
    };
  }
  // The polling URLs ARM hands out: any authenticated caller may follow them.
  if (l[2] === 'operationresults') return { kind: 'open' };
  if (
    l[2] === 'providers' &&
    l[4] === 'locations' &&
    /^(operation(statuse|result)s|operationsstatus|asyncoperations)$/.test(l[6] ?? '')
  )
    return { kind: 'open' };

  const check = (
    action: string,
    scope: string[],
    extra: { list?: boolean; writesType?: string } = {},
  ) => ({ kind: 'check', action, scope: pathOf(scope), subscriptionId, ...extra }) as const;

  const providers = l.lastIndexOf('providers');
  if (providers >= 2 && providers + 1 < n) {
    const namespace = s[providers + 1] as string;
    const rest = s.slice(providers + 2);
    const prefix = s.slice(0, providers);
    if (rest.length === 0) return { kind: 'open' };
    const types = rest.filter((_, i) => i % 2 === 0);
    if (rest.length % 2 === 0) {
      const type = [namespace, ...types].join('/');
      return check(`${type}/${verb}`, s, verb === 'write' ? { writesType: type } : {});
    }
    const parent = rest.length === 1 ? prefix : s.slice(0, n - 1);
    if (verb === 'action') {
      return check(
        `${[namespace, ...types.slice(0, -1), rest[rest.length - 1]].join('/')}/action`,
        parent,
      );
    }
    return check(`${[namespace, ...types].join('/')}/${verb}`, parent, { list: verb === 'read' });
  }
  const resources = `Microsoft.Resources/subscriptions/${s[2]}`;
  if (l[2] === 'resourcegroups') {
    if (n === 3) return check(`${resources}/read`, s.slice(0, 2), { list: true });
    if (n === 4) return check(`${resources}/${verb}`, s);
    if (n === 5 && verb === 'read')
      return check(`${resources}/${s[4]}/read`, s.slice(0, 4), { list: true });
    return check(`${resources}/${s.slice(4).join('/')}/${verb}`, s.slice(0, 4));
  }
  if (l[2] === 'resources' && n === 3)
    return check(`${resources}/read`, s.slice(0, 2), { list: true });
  return check(`Microsoft.Resources/subscriptions/${s.slice(2).join('/')}/${verb}`, s.slice(0, 2));
}
