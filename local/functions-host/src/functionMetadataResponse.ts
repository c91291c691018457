import type { RegisteredFunction } from './FunctionRegistry.js';

/**
 * One function as the real host's admin API lists it (`GET /admin/functions`), with the member
 * names of its `FunctionMetadataResponse`. The file links are null: a v4 app has no
 * `function.json` on disk, and this host has no virtual file system to link to.
 */
export interface FunctionMetadataResponse {
  name: string;
  script_root_path_href: null;
  script_href: null;
  config_href: null;
  test_data_href: null;
  href: string;
  /** The HTTP trigger's URL (lower case, route parameters as written); null for other triggers. */
  invoke_url_template: string | null;
  language: 'node';
  /** The function's configuration: its bindings, each with its `name`, as the app registered them. */
  config: { bindings: Record<string, unknown>[] };
  files: null;
  test_data: null;
  isDisabled: boolean;
  isDirect: boolean;
  isProxy: boolean;
}

/**
 * The admin API's description of `fn`: the real host's shape (`href` under
 * `{baseUrl}/admin/functions/`, the invoke URL built from the route prefix and the HTTP
 * trigger's route, or the function's name when it has none, all in lower case).
 *
 * @example
 * functionMetadataResponse(fn, { baseUrl: 'http://127.0.0.1:7071', routePrefix: 'api', disabled: false })
 *   .invoke_url_template; // 'http://127.0.0.1:7071/api/hello/{name?}'
 */
export function functionMetadataResponse(
  fn: RegisteredFunction,
  context: { baseUrl: string; routePrefix: string; disabled: boolean },
): FunctionMetadataResponse {
  const { name } = fn.metadata;
  const base = context.baseUrl.replace(/\/+$/, '');
  const bindings: Record<string, unknown>[] = Object.entries(fn.metadata.bindings).map(
    ([bindingName, info]) => ({ name: bindingName, ...info }),
  );
  const trigger = bindings.find((b) => String(b.type).toLowerCase() === 'httptrigger');
  let invokeUrl: string | null = null;
  if (trigger) {
    const route = typeof trigger.route === 'string' && trigger.route !== '' ? trigger.route : name;
    const prefix = context.routePrefix.replace(/\/+$/, '');
    invokeUrl = `${base}${prefix === '' ? '' : `/${prefix}`}/${route}`.toLowerCase();
  }
  return {
    name,
    script_root_path_href: null,
    script_href: null,
    config_href: null,
    test_data_href: null,
    href: `${base}/admin/functions/${name}`,
    invoke_url_template: invokeUrl,
    language: 'node',
    config: { bindings },
    files: null,
    test_data: null,
    isDisabled: context.disabled,
    isDirect: false,
    isProxy: false,
  };
}
