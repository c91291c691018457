/**
 * Talking to a running local stack from a benchmark, through what `.local/runtime.json` says:
 * the host's API with a token of the local admin service principal (its admin API with the master
 * key), and the ARM emulator's control API over HTTPS with its CA.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { type RuntimeInfo, requestToken } from '@sandbox-automation/local-stack';

/** The parts of `.local/runtime.json` a benchmark uses. */
export type StackRuntime = Pick<RuntimeInfo, 'host' | 'arm' | 'identity' | 'entra'>;

/** The local tenant's admin pipeline (`Sandbox.Admin`), which benchmarks act as. */
const BENCH_PRINCIPAL = 'sandbox-operations';

/** A logged ARM request, as `GET /_emulator/requests` lists it. */
export interface EmulatorRequest {
  time: string;
  method: string;
  url: string;
  status: number;
  requestId: string;
}

export interface EmulatorStats {
  total: number;
  byStatus: Record<string, number>;
  byMethod: Record<string, number>;
  throttled: number;
  resourceGroups: number;
}

/**
 * @example
 * const stack = new LocalStackClient(JSON.parse(readFileSync('.local/runtime.json', 'utf8')));
 * await stack.emulator('POST', 'seed', { resourceGroups: [...] });
 */
export class LocalStackClient {
  private readonly agent: Agent;
  private token: Promise<string> | undefined;

  constructor(readonly runtime: StackRuntime) {
    this.agent = new Agent({ ca: readFileSync(runtime.arm.caCertPath), keepAlive: true });
  }

  /** Calls the emulator's control API (`/_emulator/{path}`). */
  emulator<T>(method: string, path: string, body?: unknown): Promise<T> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.runtime.arm.endpoint}/_emulator/${path}`,
        {
          agent: this.agent,
          method,
          headers: text
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }
            : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 500) >= 400) {
              reject(new Error(`${method} /_emulator/${path} answered ${res.statusCode}: ${raw}`));
            } else {
              resolve((raw ? JSON.parse(raw) : undefined) as T);
            }
          });
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  }

  stats(): Promise<EmulatorStats> {
    return this.emulator('GET', 'stats');
  }

  async requests(method?: string): Promise<EmulatorRequest[]> {
    const query = `requests?limit=100000${method ? `&method=${method}` : ''}`;
    return (await this.emulator<{ value: EmulatorRequest[] }>('GET', query)).value;
  }

  /**
   * Calls the host: its API (`/api/…`) as the local admin pipeline, with a bearer token; its admin
   * API (`/admin/…`) with the master key.
   */
  async host<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: T }> {
    // A token lasts an hour: longer than any benchmark.
    this.token ??= requestToken(this.runtime as RuntimeInfo, { app: BENCH_PRINCIPAL });
    const credential: Record<string, string> = path.startsWith('/admin/')
      ? { 'x-functions-key': this.runtime.host.masterKey }
      : { authorization: `Bearer ${await this.token}` };
    const response = await fetch(`${this.runtime.host.url}${path}`, {
      method,
      headers: {
        ...credential,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as T };
  }

  close(): void {
    this.agent.destroy();
  }
}
