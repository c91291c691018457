/**
 * What every answer of the API must be, whatever was sent: never a 5xx other than a 503 that
 * says when to retry, every app error as RFC 9457 problem+json with exactly the app's members,
 * `WWW-Authenticate` on a 401, `Retry-After` on a 429 or 503, and no success for a credential
 * that proves nobody. Answers the host gives itself (no route) are empty.
 */
import { PROBLEM_CONTENT_TYPE, problemType } from '../../../shared/http/problem.js';

export interface ObservedResponse {
  status: number;
  headers: Headers;
  text: string;
}

export interface ResponseContext {
  method: string;
  /** The path as the server saw it (percent-encoded, dot segments resolved). */
  path: string;
  /** Whether the principal holds a token that should verify; undefined when either is fair. */
  validPrincipal: boolean | undefined;
  /** Whether the route answers without any credential. */
  publicRoute: boolean;
}

const REQUIRED = ['type', 'title', 'status', 'detail', 'instance', 'code'];
const ALLOWED = new Set([...REQUIRED, 'errors']);
/**
 * The extension members the app documents, by problem code: the work already under way. Each is
 * a string, always there for its code's one cause (`operationId` only when a teardown is known).
 */
const EXTENSIONS: Readonly<Record<string, { member: string; always: boolean }>> = {
  SandboxBeingDeleted: { member: 'operationId', always: false },
  CleanupRunActive: { member: 'runId', always: true },
};
/** What the host itself answers, with no body: no such route, headers too large. */
const HOST_ANSWERS = new Set([404, 431]);

/**
 * The rules `response` breaks, in words; empty when it keeps them all.
 *
 * @example
 * assessResponse({ status: 500, headers: new Headers(), text: '' }, context); // ['500 …']
 */
export function assessResponse(response: ObservedResponse, context: ResponseContext): string[] {
  const problems: string[] = [];
  const { status, headers, text } = response;
  const contentType = headers.get('content-type');
  const retryAfter = headers.get('retry-after');
  if (status >= 500 && !(status === 503 && retryAfter)) {
    problems.push(`${status} answered${retryAfter ? '' : ' (no Retry-After)'}`);
  }
  if ((status === 429 || status === 503) && !/^\d+$/.test(retryAfter ?? '')) {
    problems.push(`${status} without a Retry-After in seconds`);
  }
  if (status < 400) {
    if (context.validPrincipal === false && !context.publicRoute) {
      problems.push(`${status} for a credential that proves nobody`);
    }
    return problems;
  }
  if (context.method === 'HEAD') return problems;
  if (text === '' && contentType === null) {
    if (!HOST_ANSWERS.has(status)) problems.push(`${status} with an empty body`);
    return problems;
  }
  if (contentType !== PROBLEM_CONTENT_TYPE) {
    problems.push(`${status} as ${contentType ?? 'no content type'}, not ${PROBLEM_CONTENT_TYPE}`);
    return problems;
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    problems.push(`${status} problem+json that is not JSON: ${text.slice(0, 80)}`);
    return problems;
  }
  const extension = typeof body.code === 'string' ? EXTENSIONS[body.code] : undefined;
  const missing = REQUIRED.filter((k) => !(k in body));
  const extra = Object.keys(body).filter((k) => !ALLOWED.has(k) && k !== extension?.member);
  if (extension && (extension.always || extension.member in body)) {
    const value = body[extension.member];
    if (typeof value !== 'string' || value === '')
      problems.push(`problem ${body.code} without a ${extension.member}`);
  }
  if (missing.length > 0) problems.push(`problem without ${missing.join(', ')}`);
  if (extra.length > 0) problems.push(`problem with unknown members ${extra.join(', ')}`);
  if (body.status !== status) problems.push(`problem status ${body.status} on a ${status}`);
  if (typeof body.code !== 'string' || body.type !== problemType(body.code)) {
    problems.push(`problem type ${String(body.type)} does not name its code ${String(body.code)}`);
  }
  for (const member of ['title', 'detail'] as const) {
    if (typeof body[member] !== 'string' || body[member] === '') {
      problems.push(`problem ${member} is not a non-empty string`);
    }
  }
  if (body.instance !== context.path) {
    problems.push(`problem instance ${String(body.instance)} is not the path ${context.path}`);
  }
  if (body.errors !== undefined) {
    const errors = body.errors;
    const wellFormed =
      Array.isArray(errors) &&
      errors.every(
        (e) =>
          typeof e?.pointer === 'string' &&
          e.pointer.startsWith('/') &&
          typeof e.detail === 'string' &&
          typeof e.rule === 'string',
      );
    if (!wellFormed) problems.push('problem errors[] without pointer, detail and rule');
  }
  if (status === 401 && !headers.get('www-authenticate')?.startsWith('Bearer')) {
    problems.push('401 without WWW-Authenticate: Bearer');
  }
  return problems;
}
