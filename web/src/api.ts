/**
 * The client of the API, for the page and the CLI: every call sends the signed-in person's token,
 * and every error comes back as the API's problem+json, thrown as a `ProblemError` that the page
 * shows field by field and the CLI turns into its exit status.
 */
import type {
  Accepted,
  AcceptedRun,
  AuditEntry,
  AuditPage,
  Blueprint,
  Caller,
  CleanupRun,
  CleanupRunSummary,
  JsonSchema,
  Operation,
  Policy,
  Problem,
  Resource,
  Sandbox,
} from './apiTypes.js';

/** An answer of the API that is not a success, with its problem details. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = 'ProblemError';
  }
}

/** What a call answered: the parsed body and the headers (`Retry-After`, `Location`). */
export interface Answer<T> {
  body: T;
  headers: Headers;
}

/**
 * `Retry-After` in milliseconds (seconds on the wire), or `fallbackMs`.
 *
 * @example
 * retryAfterMs(new Headers({ 'retry-after': '2' }), 5_000); // 2000
 */
export function retryAfterMs(headers: Headers, fallbackMs: number): number {
  const seconds = Number(headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : fallbackMs;
}

/** A problem made up for an answer that brought none (a proxy's page, a lost connection). */
function problemOf(status: number, path: string, detail: string): Problem {
  return {
    type: 'about:blank',
    title: status === 0 ? 'Network error' : `HTTP ${status}`,
    status,
    detail,
    instance: path,
    code: status === 0 ? 'NetworkError' : `Http${status}`,
  };
}

export class ApiClient {
  constructor(
    /** An access token for the API, fresh enough to send. */
    private readonly token: () => Promise<string>,
    private readonly base = '',
  ) {}

  async call<T>(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; accept?: string } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await this.token()}`,
      accept: options.accept ?? 'application/json',
      ...options.headers,
    };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    } catch {
      throw new ProblemError(
        problemOf(0, path, 'The API cannot be reached. Check your connection.'),
      );
    }
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok) {
      if (type.includes('json')) {
        const body = (await response.json()) as Partial<Problem>;
        if (typeof body.detail === 'string') {
          throw new ProblemError({ ...problemOf(response.status, path, body.detail), ...body });
        }
      }
      throw new ProblemError(
        problemOf(
          response.status,
          path,
          `The API answered ${response.status} ${response.statusText}.`,
        ),
      );
    }
    const body = (type.includes('json') ? await response.json() : await response.text()) as T;
    return { body, headers: response.headers };
  }

  private async get<T>(path: string): Promise<T> {
    return (await this.call<T>('GET', path)).body;
  }

  me = () => this.get<Caller>('/api/me');
  /** The caller's sandboxes; an admin's own when `owner` names them, every one otherwise. */
  listSandboxes = (owner?: string) =>
    this.get<{ value: Sandbox[] }>(
      `/api/sandboxes${owner ? `?${new URLSearchParams({ owner })}` : ''}`,
    ).then((b) => b.value);
  getSandbox = (name: string) => this.get<Sandbox>(`/api/sandboxes/${encodeURIComponent(name)}`);
  listResources = (name: string) =>
    this.get<{ value: Resource[] }>(`/api/sandboxes/${encodeURIComponent(name)}/resources`).then(
      (b) => b.value,
    );
  history = (name: string) =>
    this.get<{ value: AuditEntry[] }>(`/api/sandboxes/${encodeURIComponent(name)}/history`).then(
      (b) => b.value,
    );
  extendSandbox = async (name: string, ttlHours: number) =>
    (
      await this.call<Sandbox>('POST', `/api/sandboxes/${encodeURIComponent(name)}/extend`, {
        body: { ttlHours },
      })
    ).body;
  deleteSandbox = async (name: string) =>
    (await this.call<Accepted>('DELETE', `/api/sandboxes/${encodeURIComponent(name)}`)).body;
  createSandbox = (request: Record<string, unknown>, idempotencyKey: string) =>
    this.call<Accepted>('POST', '/api/sandboxes', {
      body: request,
      headers: { 'idempotency-key': idempotencyKey },
    });
  /**
   * Sets the sandbox's power schedule (`PATCH /api/sandboxes/{name}` with `{ powerSchedule }`),
   * `off` to opt out. Servers without power schedules answer 404 or 405.
   */
  setPowerSchedule = async (name: string, powerSchedule: string) =>
    (
      await this.call<Sandbox>('PATCH', `/api/sandboxes/${encodeURIComponent(name)}`, {
        body: { powerSchedule },
      })
    ).body;
  operation = (id: string) =>
    this.call<Operation>('GET', `/api/operations/${encodeURIComponent(id)}`);
  blueprints = () => this.get<{ value: Blueprint[] }>('/api/blueprints').then((b) => b.value);
  policy = () => this.get<Policy>('/api/policy');
  listRuns = (top = 20) =>
    this.get<{ value: CleanupRunSummary[] }>(`/api/cleanup/runs?top=${top}`).then((b) => b.value);
  run = (id: string) => this.get<CleanupRun>(`/api/cleanup/runs/${encodeURIComponent(id)}`);
  runSummary = async (id: string) =>
    (
      await this.call<string>(
        'GET',
        `/api/cleanup/runs/${encodeURIComponent(id)}?format=markdown`,
        {
          accept: 'text/markdown',
        },
      )
    ).body;
  startRun = async (dryRun: boolean) =>
    (await this.call<AcceptedRun>('POST', '/api/cleanup/runs', { body: { dryRun } })).body;
  approveRun = async (id: string) =>
    (await this.call<AcceptedRun>('POST', `/api/cleanup/runs/${encodeURIComponent(id)}/approve`))
      .body;
  audit = (day: string, skip: number, top = 50) =>
    this.get<AuditPage>(
      `/api/audit?${new URLSearchParams({ day, skip: String(skip), top: String(top) })}`,
    );
}

/**
 * The top-level fields of a sandbox request, from the API's own description: the page offers
 * every field the API accepts (new ones included) without knowing them in advance.
 */
export async function sandboxRequestSchema(openApiUrl: string): Promise<JsonSchema> {
  const response = await fetch(openApiUrl, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`The API's description answered ${response.status}.`);
  const document = (await response.json()) as {
    components?: { schemas?: Record<string, JsonSchema> };
  };
  return document.components?.schemas?.SandboxRequest ?? { type: 'object', properties: {} };
}
