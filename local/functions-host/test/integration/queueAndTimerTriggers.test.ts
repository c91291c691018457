import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleStatusBlobName } from '../../src/ScheduleStatusStore.js';
import { type RunningAzurite, startAzurite } from '../../src/testing/startAzurite.js';
import { type HostProcess, startHostProcess } from '../../src/testing/startHostProcess.js';
import { base64Json, fixtureSettings, prepareFixtureApp, storageClients } from './fixtureApp.js';

let azurite: RunningAzurite;
let host: HostProcess;
let app: Awaited<ReturnType<typeof prepareFixtureApp>>;
let clients: ReturnType<typeof storageClients>;

beforeAll(async () => {
  azurite = await startAzurite();
  clients = storageClients(azurite.connectionString);
  app = await prepareFixtureApp(fixtureSettings(azurite.connectionString));
  host = await startHostProcess({ appDir: app.dir });
});

afterAll(async () => {
  await host?.stop();
  await azurite?.stop();
  await app?.remove();
});

const admin = (name: string, key: string | undefined, body?: unknown) =>
  fetch(`${host.url}/admin/functions/${name}`, {
    method: 'POST',
    headers: key ? { 'x-functions-key': key, 'content-type': 'application/json' } : {},
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const blobText = async (container: string, name: string) =>
  (
    await clients.blobs.getContainerClient(container).getBlockBlobClient(name).downloadToBuffer()
  ).toString('utf8');

function flakyRuns(h: HostProcess, name: string): Record<string, unknown>[] {
  return h
    .entries()
    .map((e) => String(e.message))
    .filter((m) => m.startsWith('flaky saw ') && m.includes(`"name":"${name}"`))
    .map((m) => JSON.parse(m.slice('flaky saw '.length)) as Record<string, unknown>);
}

describe('storage queue trigger', () => {
  it('creates its queues at start', async () => {
    const names: string[] = [];
    for await (const queue of clients.queues.listQueues()) names.push(queue.name);
    expect(names).toEqual(expect.arrayContaining(['flaky', 'fanout-out', 'slow']));
  });

  it('decodes a base64 message, passes its trigger metadata, and deletes it on success', async () => {
    // Prepare
    const queue = clients.queues.getQueueClient('flaky');
    // Act
    const sent = await queue.sendMessage(base64Json({ name: 'ok-1', fail: false }));
    await host.waitForLog(/Executed 'Functions\.flaky' \(Succeeded/);
    // Assess
    const [run] = flakyRuns(host, 'ok-1');
    expect(run).toMatchObject({
      message: { name: 'ok-1', fail: false },
      dequeueCount: 1,
      id: sent.messageId,
      hasPopReceipt: true,
    });
    expect(Date.parse(String(run?.insertionTime))).toBeGreaterThan(0);
    expect(Date.parse(String(run?.expirationTime))).toBeGreaterThan(
      Date.parse(String(run?.insertionTime)),
    );
    expect(Date.parse(String(run?.nextVisibleTime))).toBeGreaterThan(Date.now() - 60_000);
    await expect.poll(async () => (await queue.peekMessages()).peekedMessageItems.length).toBe(0);
  });

  it('retries a failing message until maxDequeueCount, then moves it to the poison queue', async () => {
    // Prepare
    const queue = clients.queues.getQueueClient('flaky');
    // Act
    await queue.sendMessage(base64Json({ name: 'poison-1', fail: true }));
    await host.waitForLog("Moving message to queue 'flaky-poison'");
    // Assess
    expect(flakyRuns(host, 'poison-1').map((run) => run.dequeueCount)).toEqual([1, 2, 3]);
    const poisoned = await clients.queues.getQueueClient('flaky-poison').receiveMessages();
    const body = Buffer.from(poisoned.receivedMessageItems[0]!.messageText, 'base64').toString(
      'utf8',
    );
    expect(JSON.parse(body)).toEqual({ name: 'poison-1', fail: true });
    expect((await queue.peekMessages()).peekedMessageItems).toHaveLength(0);
  });

  it('fans out an array on a queue output binding into one message each', async () => {
    // Act
    const res = await fetch(`${host.url}/api/fanout`, {
      method: 'POST',
      body: JSON.stringify({ count: 6, batch: 'b1' }),
    });
    // Assess
    expect(res.status).toBe(202);
    const listed = async () => {
      const names: string[] = [];
      for await (const blob of clients.blobs
        .getContainerClient('fanout')
        .listBlobsFlat({ prefix: 'b1/' }))
        names.push(blob.name);
      return names.sort();
    };
    await expect
      .poll(listed, { timeout: 15_000 })
      .toEqual(['b1/0.json', 'b1/1.json', 'b1/2.json', 'b1/3.json', 'b1/4.json', 'b1/5.json']);
    // Each invocation writes its blob before it returns and the host logs it executed: wait for
    // the last line too.
    await expect
      .poll(() => host.logs().match(/Executed 'Functions\.fanoutWorker' \(Succeeded/g)?.length)
      .toBe(6);
    expect(JSON.parse(await blobText('fanout', 'b1/4.json'))).toEqual({
      batch: 'b1',
      n: 4,
      done: true,
    });
  });
});

describe('timer trigger', () => {
  it('runs on demand through the admin API with the master key only', async () => {
    // Act
    const anonymous = await admin('yearly', undefined);
    const withFunctionKey = await admin('yearly', host.functionKey);
    const unknown = await admin('nothing-here', host.masterKey);
    const accepted = await admin('yearly', host.masterKey);
    // Assess
    expect([anonymous.status, withFunctionKey.status, unknown.status, accepted.status]).toEqual([
      401, 401, 404, 202,
    ]);
    const ran = await host.waitForLog('yearly ran');
    const timer = JSON.parse(String(JSON.parse(ran).message).slice('yearly ran '.length));
    expect(timer).toMatchObject({ isPastDue: false, schedule: { adjustForDST: true } });
  });

  it('retries a failing run per its fixedDelay retry policy', async () => {
    // Act
    expect((await admin('retrying', host.masterKey)).status).toBe(202);
    await host.waitForLog(/Executed 'Functions\.retrying' \(Succeeded/);
    // Assess
    const attempts = host
      .entries()
      .map((e) => String(e.message))
      .filter((m) => m.startsWith('retrying attempt'));
    expect(attempts).toEqual([
      'retrying attempt 1 retryCount=0',
      'retrying attempt 2 retryCount=1',
      'retrying attempt 3 retryCount=2',
    ]);
    expect(host.logs().match(/Executed 'Functions\.retrying' \(Failed/g)).toHaveLength(2);
  });
});

describe('schedule status and restarts', () => {
  it('fires a missed occurrence once with isPastDue, records it, and does not fire again after a restart', async () => {
    // Prepare: a status saying the last occurrence was due an hour ago
    const container = clients.blobs.getContainerClient('azure-webjobs-hosts');
    const status = container.getBlockBlobClient(scheduleStatusBlobName('host-app-test', 'yearly'));
    const missed = new Date(Date.now() - 3_600_000).toISOString();
    await container.createIfNotExists();
    await status.upload(
      JSON.stringify({ Last: '2020-01-01T00:00:00.000Z', Next: missed, LastUpdated: missed }),
      100,
    );
    // Act
    const first = await startHostProcess({ appDir: app.dir });
    const ran = await first.waitForLog('yearly ran');
    await first.waitForLog(/Executed 'Functions\.yearly' \(Succeeded/);
    await expect
      .poll(async () => JSON.parse((await status.downloadToBuffer()).toString()).Last)
      .toBe(missed);
    await first.stop();
    const second = await startHostProcess({ appDir: app.dir });
    await second.stop();
    // Assess
    const timer = JSON.parse(String(JSON.parse(ran).message).slice('yearly ran '.length));
    expect(timer).toMatchObject({
      isPastDue: true,
      scheduleStatus: { last: '2020-01-01T00:00:00.000Z', next: missed },
    });
    const saved = JSON.parse((await status.downloadToBuffer()).toString());
    expect(new Date(saved.Next).getUTCMonth()).toBe(0);
    expect(new Date(saved.Next).getTime()).toBeGreaterThan(Date.now());
    expect(second.logs()).not.toContain('is past due');
    expect(second.logs()).not.toContain('yearly ran');
  });
});

describe('graceful shutdown', () => {
  // Each test runs its own host; the shared one would compete for the messages.
  beforeAll(() => host.stop());

  it('lets a running message finish on SIGTERM, deletes it, and runs appTerminate hooks', async () => {
    // Prepare
    const own = await startHostProcess({ appDir: app.dir, drainTimeoutMs: 10_000 });
    const queue = clients.queues.getQueueClient('slow');
    await queue.sendMessage(base64Json({ name: 'drained', ms: 1_000 }));
    await own.waitForLog('slow started drained');
    // Act
    const code = await own.stop('SIGTERM');
    // Assess
    expect(code).toBe(0);
    expect(await blobText('slow', 'drained')).toBe('finished drained');
    expect((await queue.peekMessages()).peekedMessageItems).toHaveLength(0);
    expect(own.logs()).toContain('hook: appTerminate ran, appStart left yes');
  });

  it('releases a message still running when the drain bound passes, so that it runs again', async () => {
    // Prepare
    const own = await startHostProcess({ appDir: app.dir, drainTimeoutMs: 200 });
    const queue = clients.queues.getQueueClient('slow');
    await queue.sendMessage(base64Json({ name: 'released', ms: 3_000 }));
    await own.waitForLog('slow started released');
    // Act
    await own.stop('SIGTERM');
    const visibleAgain = (await queue.peekMessages()).peekedMessageItems;
    const again = await startHostProcess({ appDir: app.dir });
    await again.waitForLog('slow started released');
    await again.stop('SIGTERM');
    // Assess
    expect(own.logs()).toContain('1 unfinished queue message(s) released to reappear.');
    expect(own.logs()).not.toContain("Executed 'Functions.slow' (Succeeded");
    expect(visibleAgain).toHaveLength(1);
    expect(await blobText('slow', 'released')).toBe('finished released');
    expect((await queue.peekMessages()).peekedMessageItems).toHaveLength(0);
  });

  it('redelivers the message of a killed host once its lease lapses', async () => {
    // Prepare
    const own = await startHostProcess({ appDir: app.dir, queueLeaseMs: 2_000 });
    const queue = clients.queues.getQueueClient('slow');
    await queue.sendMessage(base64Json({ name: 'killed', ms: 60_000 }));
    await own.waitForLog('slow started killed');
    // Act
    await own.stop('SIGKILL');
    const again = await startHostProcess({ appDir: app.dir });
    const redelivered = await again.waitForLog('slow started killed', 15_000);
    await again.stop('SIGKILL');
    // Assess
    expect(JSON.parse(redelivered).level).toBe('information');
    expect(own.logs()).not.toContain('Host stopped.');
  });

  it('keeps a long-running message invisible by renewing its lease', async () => {
    // Prepare: a lease of 1 s, a run of 3 s
    const own = await startHostProcess({ appDir: app.dir, queueLeaseMs: 1_000 });
    const queue = clients.queues.getQueueClient('slow');
    await queue.sendMessage(base64Json({ name: 'renewed', ms: 3_000 }));
    // Act
    await own.waitForLog(/Executed 'Functions\.slow' \(Succeeded/, 20_000);
    await own.stop('SIGTERM');
    // Assess
    expect(own.logs().match(/slow started renewed/g)).toHaveLength(1);
    expect(await blobText('slow', 'renewed')).toBe('finished renewed');
  });
});
