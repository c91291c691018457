/**
 * ARM requests by what they do, not which resource they name: the method and the path's resource
 * types, with every name and id a `*` and the query left out. `PUT
 * /subscriptions/…/resourceGroups/ch-1/providers/Microsoft.Network/virtualNetworks/vnet-x` is
 * `PUT subscriptions/*\/resourcegroups/*\/providers/microsoft.network/virtualnetworks/*`.
 *
 * @example
 * armRequestKey('DELETE', '/subscriptions/s/resourcegroups/rg1?api-version=2021-04-01');
 * // 'DELETE subscriptions/*\/resourcegroups/*'
 */
export function armRequestKey(method: string, url: string): string {
  const segments = url.split('?')[0]!.split('/').filter(Boolean);
  const out: string[] = [];
  let i = 0;
  while (i < segments.length) {
    const segment = segments[i]!.toLowerCase();
    out.push(segment);
    if (segment === 'providers') {
      // The namespace, then type and name pairs.
      if (segments[i + 1] !== undefined) out.push(segments[i + 1]!.toLowerCase());
      i += 2;
      while (i < segments.length) {
        out.push(segments[i]!.toLowerCase());
        if (i + 1 < segments.length) out.push('*');
        i += 2;
      }
      break;
    }
    if (i + 1 < segments.length) out.push('*');
    i += 2;
  }
  return `${method.toUpperCase()} ${out.join('/')}`;
}

/** The resource a request is about: its path in lower case, without the query. */
export function armResourceOf(url: string): string {
  return url.split('?')[0]!.toLowerCase().replace(/\/+$/, '');
}
