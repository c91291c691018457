import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWebhookSink, type WebhookSink } from '../src/startWebhookSink.js';

let sink: WebhookSink;
let lines: string[];

beforeEach(async () => {
  lines = [];
  sink = await startWebhookSink({ write: (line) => void lines.push(line) });
});
afterEach(async () => {
  await sink.close();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${sink.url}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json', ...headers },
    body,
  });

describe('startWebhookSink', () => {
  it('serves the bodies it accepted at /_sink/events, oldest first, and prints one line each', async () => {
    // Prepare
    const first = JSON.stringify({ id: 'e1', type: 'sandbox.deleted', subject: 'ana-1' });
    const second = JSON.stringify({ id: 'e2', type: 'vm.started', subject: 'ana-1' });

    // Act
    const answers = [(await post(first)).status, (await post(second)).status];
    const events = await (await fetch(`${sink.url}/_sink/events`)).json();

    // Assess
    expect(answers).toEqual([204, 204]);
    expect(events).toEqual([JSON.parse(first), JSON.parse(second)]);
    expect(lines).toEqual([
      'webhook sink <- sandbox.deleted ana-1 id=e1 on /events: answered 204\n',
      'webhook sink <- vm.started ana-1 id=e2 on /events: answered 204\n',
    ]);
  });

  it('keeps every request with its headers and raw body at /_sink/requests', async () => {
    // Act
    await post('{"id": "e1"}', { 'webhook-id': 'e1' });
    const [request] = (await (await fetch(`${sink.url}/_sink/requests`)).json()) as unknown[];

    // Assess
    expect(request).toMatchObject({
      method: 'POST',
      path: '/events',
      body: '{"id": "e1"}',
      status: 204,
      headers: { 'webhook-id': 'e1', 'content-type': 'application/cloudevents+json' },
    });
  });

  it('answers as scripted, then 204 again, and lists only what it accepted as events', async () => {
    // Prepare
    await fetch(`${sink.url}/_sink/responses`, {
      method: 'POST',
      body: JSON.stringify([{ status: 503, retryAfter: '1' }, { status: 429 }]),
    });

    // Act
    const first = await post('{"id":"e1"}');
    const statuses = [
      first.status,
      (await post('{"id":"e1"}')).status,
      (await post('{"id":"e1"}')).status,
    ];

    // Assess
    expect(statuses).toEqual([503, 429, 204]);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(sink.events()).toEqual([{ id: 'e1' }]);
    expect(sink.requests().map((r) => r.status)).toEqual([503, 429, 204]);
  });

  it('refuses a script that is not a list of statuses', async () => {
    const answer = await fetch(`${sink.url}/_sink/responses`, {
      method: 'POST',
      body: '{"status":500}',
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: 'expected [{ "status": 503 }, …]' });
  });

  it('forgets everything on DELETE /_sink/events', async () => {
    await post('{"id":"e1"}');
    await fetch(`${sink.url}/_sink/events`, { method: 'DELETE' });
    expect(await (await fetch(`${sink.url}/_sink/events`)).json()).toEqual([]);
  });
});

describe('startWebhookSink: scripted paths and senders that hang up', () => {
  it('answers a script entry only on its path', async () => {
    // Prepare
    sink.respondWith({ status: 500, path: '/b' });

    // Act
    const onA = await fetch(`${sink.url}/a`, { method: 'POST', body: '{}' });
    const onB = await fetch(`${sink.url}/b`, { method: 'POST', body: '{}' });

    // Assess
    expect([onA.status, onB.status]).toEqual([204, 500]);
  });

  it('does not accept a body whose sender hung up before the answer', async () => {
    // Prepare
    sink.respondWith({ status: 204, delayMs: 300 });
    const controller = new AbortController();

    // Act
    const sent = fetch(`${sink.url}/slow`, {
      method: 'POST',
      body: '{"id":"e9"}',
      signal: controller.signal,
    });
    await waitFor(() => sink.requests().length === 1);
    controller.abort();
    await sent.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 500));

    // Assess
    expect(sink.requests().map((r) => r.status)).toEqual([0]);
    expect(sink.events()).toEqual([]);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
