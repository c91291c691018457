/**
 * `HttpRequest`s and `InvocationContext`s as the Functions worker would build them, for calling
 * the provisioning HTTP handlers directly in fast tests.
 */
import {
  type HttpHandler,
  HttpRequest,
  type HttpRequestInit,
  type HttpResponseInit,
  InvocationContext,
} from '@azure/functions';

export function httpRequestFactory(init: {
  method?: string;
  path: string;
  body?: string;
  headers?: Record<string, string | undefined>;
  params?: Record<string, string>;
}): HttpRequest {
  const headers = Object.fromEntries(
    Object.entries(init.headers ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  return new HttpRequest({
    url: `http://localhost${init.path}`,
    method: init.method ?? 'GET',
    headers,
    params: init.params ?? {},
    ...(init.body === undefined ? {} : { body: { string: init.body } }),
  } as HttpRequestInit);
}

export function invocationContextFactory(
  triggerMetadata: Record<string, unknown> = {},
): InvocationContext {
  return new InvocationContext({ invocationId: 'inv-1', functionName: 'test', triggerMetadata });
}

/** Calls a handler; the provisioning handlers answer plain `HttpResponseInit` objects. */
export async function invoke(
  handler: HttpHandler,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  return (await handler(request, invocationContextFactory())) as HttpResponseInit;
}
