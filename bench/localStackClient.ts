/**
 * Talking to a running local stack from a benchmark, through what `.local/runtime.json` says:
 * the host's HTTP API with its keys, and the ARM emulator's control API over HTTPS with its CA.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';

/** The parts of `.local/runtime.json` a benchmark uses. */
export interface StackRuntime {
  host: { url: string; functionKey: string; masterKey: string };
  arm: { endpoint: string; subscriptionId: string; caCertPath: string };
  identity: { endpoint: string; header: string };
}

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

  /** Calls the host's API with the admin (master) key. */
  async host<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: T }> {
    const response = await fetch(`${this.runtime.host.url}${path}`, {
      method,
      headers: {
        'x-functions-key': this.runtime.host.masterKey,
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
