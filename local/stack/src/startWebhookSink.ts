/**
 * A local webhook receiver: it records every request it receives, answers 204 (or what a test
 * scripted), prints one line per event, and serves what it got:
 *
 * - `GET /_sink/events`: a JSON array of the bodies it accepted, as received, oldest first;
 * - `GET /_sink/requests`: every request, with its headers, raw body and the status it answered;
 * - `POST /_sink/responses` `[{ "status": 503, "delayMs": 0, "retryAfter": "1", "path": "/a" }, …]`:
 *   answers for the next requests (to `path`, when one is given), in order; then 204 again;
 * - `DELETE /_sink/events`: forgets everything.
 *
 * Any other path receives webhooks, so one sink can stand for several receivers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The body exactly as received. */
  body: string;
  /**
   * What the sink answered; `0` while it is still holding the answer back, and for good when the
   * sender hung up before it answered (such a body is not accepted).
   */
  status: number;
  receivedAt: string;
}

export interface SinkResponse {
  status: number;
  /** Hold the answer back this long (a slow receiver). */
  delayMs?: number;
  retryAfter?: string;
  /** Only for requests to this path. */
  path?: string;
}

export interface WebhookSink {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  requests(): SinkRequest[];
  /** The accepted bodies, parsed when they are JSON. */
  events(): unknown[];
  respondWith(...responses: SinkResponse[]): void;
  clear(): void;
  close(): Promise<void>;
}

export interface WebhookSinkOptions {
  /** Default 0: any free port. */
  port?: number;
  host?: string;
  /** Where the one line per event goes. Default: nowhere. */
  write?: (line: string) => void;
}

/**
 * @example
 * const sink = await startWebhookSink({ write: (line) => process.stdout.write(line) });
 * // point NOTIFY_WEBHOOKS at `${sink.url}/events`
 */
export async function startWebhookSink(options: WebhookSinkOptions = {}): Promise<WebhookSink> {
  const received: SinkRequest[] = [];
  const accepted: string[] = [];
  const script: SinkResponse[] = [];
  const write = options.write ?? (() => {});

  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const path = new URL(req.url ?? '/', 'http://sink').pathname;
      if (path === '/_sink/events' && req.method === 'GET') {
        return sendJson(res, 200, accepted.map(parseOrKeep));
      }
      if (path === '/_sink/events' && req.method === 'DELETE') {
        received.length = 0;
        accepted.length = 0;
        script.length = 0;
        return sendJson(res, 204);
      }
      if (path === '/_sink/requests' && req.method === 'GET') return sendJson(res, 200, received);
      if (path === '/_sink/responses' && req.method === 'POST') {
        const list = JSON.parse(body || '[]') as SinkResponse[];
        if (!Array.isArray(list) || list.some((r) => !Number.isInteger(r?.status))) {
          return sendJson(res, 400, { error: 'expected [{ "status": 503 }, …]' });
        }
        script.push(...list);
        return sendJson(res, 204);
      }
      const entry: SinkRequest = {
        method: req.method ?? 'POST',
        path,
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [
            k,
            Array.isArray(v) ? v.join(', ') : String(v),
          ]),
        ),
        body,
        status: 0,
        receivedAt: new Date().toISOString(),
      };
      received.push(entry);
      const scripted = script.findIndex((r) => r.path === undefined || r.path === path);
      const answer = scripted < 0 ? { status: 204 } : script.splice(scripted, 1)[0]!;
      if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
      if (req.socket.destroyed) {
        write(`${describe(entry)} (the sender hung up first)\n`);
        return;
      }
      entry.status = answer.status;
      if (answer.status >= 200 && answer.status < 300) accepted.push(body);
      write(`${describe(entry)}\n`);
      res.writeHead(answer.status, answer.retryAfter ? { 'retry-after': answer.retryAfter } : {});
      res.end();
    } catch (error) {
      sendJson(res, 400, { error: (error as Error).message });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    requests: () => received.map((r) => ({ ...r, headers: { ...r.headers } })),
    events: () => accepted.map(parseOrKeep),
    respondWith: (...responses) => void script.push(...responses),
    clear: () => {
      received.length = 0;
      accepted.length = 0;
      script.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, value?: unknown): void {
  if (value === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function parseOrKeep(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** One line for people: the event's type, subject and id, and what the sink answered. */
function describe(entry: SinkRequest): string {
  const event = parseOrKeep(entry.body) as {
    type?: unknown;
    subject?: unknown;
    id?: unknown;
    text?: unknown;
  };
  const what =
    typeof event === 'object' && event !== null && typeof event.type === 'string'
      ? `${event.type} ${String(event.subject ?? '')} id=${String(event.id ?? '')}`
      : `${entry.headers['content-type'] ?? 'a body'} (${entry.body.length} bytes)`;
  return `webhook sink <- ${what} on ${entry.path}: answered ${entry.status}`;
}
