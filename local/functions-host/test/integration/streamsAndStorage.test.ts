/**
 * `test/fixtures/stream-app` on the host: HTTP streams on, a blob trigger with a blob output, and
 * table input and output through Azurite. References:
 * - HTTP streams: Azure/azure-functions-nodejs-library `src/http/httpProxy.ts` (the worker's proxy
 *   keyed by `x-ms-invocation-id`, its response headers and cookies) and `src/http/HttpRequest.ts`
 *   `createStreamRequest` (the URL from `X-Forwarded-Host/Proto`, headers and route parameters
 *   from the trigger metadata); Azure/azure-functions-host
 *   `src/WebJobs.Script/Http/DefaultHttpProxyService.cs` (the host forwards each request with the
 *   invocation id and logs "The client disconnected while the function was processing the
 *   request.").
 * - Blob trigger: MicrosoftDocs/azure-docs `functions-bindings-storage-blob-trigger.md` (receipts
 *   in `azure-webjobs-hosts/blobreceipts`, 5 tries, then `webjobs-blobtrigger-poison`), and
 *   Azure/azure-webjobs-sdk `BlobTriggerMessage` (Type, FunctionId, BlobType, ContainerName,
 *   BlobName, ETag).
 * - Tables: MicrosoftDocs/azure-docs `functions-bindings-storage-table-input.md` and `-output.md`
 *   (one entity by partition and row key, or a filtered query with `take`; an object or an array
 *   written, each with PartitionKey and RowKey).
 * - Lifecycle lines: Azure/azure-functions-host (`Host lock lease acquired by instance ID '…'.`,
 *   `Job host started`, `Host initialized (…ms)`).
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningAzurite, startAzurite } from '../../src/testing/startAzurite.js';
import { type HostProcess, startHostProcess } from '../../src/testing/startHostProcess.js';
import { fixtureSettings, prepareFixtureApp, storageClients } from './fixtureApp.js';

let azurite: RunningAzurite;
let host: HostProcess;
let app: Awaited<ReturnType<typeof prepareFixtureApp>>;
let clients: ReturnType<typeof storageClients>;

beforeAll(async () => {
  azurite = await startAzurite();
  clients = storageClients(azurite.connectionString);
  app = await prepareFixtureApp(fixtureSettings(azurite.connectionString), 'stream-app');
  host = await startHostProcess({ appDir: app.dir });
});

afterAll(async () => {
  await host?.stop();
  await azurite?.stop();
  await app?.remove();
});

const url = (path: string) => `${host.url}${path}`;

/** Peak resident memory of a process, in MiB, from /proc. */
async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
}

/** POSTs `total` bytes of zeros in 1 MiB chunks, with backpressure, and returns the answer. */
function postZeros(path: string, total: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url(path), { method: 'POST' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(1024 * 1024);
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

describe('HTTP streams', () => {
  it('forwards the request to the worker and streams the answer back, headers and cookies included', async () => {
    // Prepare
    const bytes = new Uint8Array([0, 1, 2, 0xfe, 0xff]);
    // Act
    const res = await fetch(url('/api/echo?x=1'), {
      method: 'POST',
      body: bytes,
      headers: { 'content-type': 'application/x-test', 'x-custom': 'custom value' },
    });
    // Assess
    expect(res.status).toBe(201);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    expect(res.headers.get('content-type')).toBe('application/x-test');
    expect(res.headers.get('x-echo-header')).toBe('custom value');
    expect(res.headers.get('x-echo-url')).toBe(url('/api/echo?x=1'));
    expect(res.headers.get('x-ms-invocation-id')).toMatch(/^[0-9a-f-]{36}$/);
    // In stream mode the worker writes Set-Cookie itself (the `cookie` package) and the host
    // passes it through.
    expect(res.headers.getSetCookie()).toEqual(['session=abc; Path=/; HttpOnly; SameSite=Lax']);
  });

  it('frames the invocation in Executing and Executed lines with the id the worker saw', async () => {
    // Act
    const res = await fetch(url('/api/echo'), { method: 'POST', body: 'x' });
    await res.arrayBuffer();
    // Assess
    const id = res.headers.get('x-ms-invocation-id');
    await host.waitForLog(
      new RegExp(`Executed 'Functions\\.streamEcho' \\(Succeeded, Id=${id}, Duration=\\d+ms\\)`),
    );
  });

  it('runs preInvocation and postInvocation hooks around a streamed function', async () => {
    // Act
    const res = await fetch(url('/api/hooked'), { method: 'PUT' });
    // Assess
    expect(await res.json()).toEqual({ sawMethod: 'PUT', original: 'from the handler' });
  });

  it('passes 2 GiB up without holding it: memory stays flat', async () => {
    // Act
    const up = await postZeros('/api/count', 2 * 1024 ** 3);
    // Assess
    expect(up).toEqual({ status: 200, body: JSON.stringify({ bytes: 2 * 1024 ** 3 }) });
    expect(await peakRssMiB(host.pid)).toBeLessThan(256);
  }, 180_000);

  it('passes 2 GiB down as it is produced: the first bytes arrive before the last are made', async () => {
    // Act
    const down = await fetch(url('/api/download/2048'));
    const reader = down.body!.getReader();
    const first = await reader.read();
    const producedBeforeFirstChunk = host.logs().includes('download produced 2048 MiB');
    let received = first.value?.length ?? 0;
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      received += next.value.length;
    }
    // Assess
    expect(producedBeforeFirstChunk).toBe(false);
    expect(received).toBe(2 * 1024 ** 3);
  }, 180_000);

  it('answers 500 with an empty body when the function throws, and logs the failure', async () => {
    // Act
    const res = await fetch(url('/api/fails'));
    // Assess
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
    await host.waitForLog(/Executed 'Functions\.streamFails' \(Failed, Id=[0-9a-f-]{36}/);
    await host.waitForLog('this stream function always fails');
  });

  it('answers 500 when the function runs past functionTimeout', async () => {
    // Prepare
    const own = await startHostProcess({
      appDir: app.dir,
      settings: { AzureFunctionsJobHost__functionTimeout: '00:00:01' },
    });
    // Act
    const res = await fetch(`${own.url}/api/slow/3000`);
    // Assess
    expect(res.status).toBe(500);
    await own.waitForLog("Timeout value of 1000ms exceeded by function 'Functions.streamSlow'");
    await own.stop();
  });

  it('answers 504 at once when the function returns no response, and says why', async () => {
    // Act
    const res = await fetch(url('/api/nothing'));
    // Assess
    expect(res.status).toBe(504);
    await host.waitForLog('The function completed without an HTTP response.');
  });

  it('logs a client that goes away, and the invocation still completes', async () => {
    // Prepare
    const controller = new AbortController();
    const pending = fetch(url('/api/slow/800'), { signal: controller.signal }).catch(
      (error: Error) => error.name,
    );
    await host.waitForLog('slow started 800');
    // Act
    controller.abort();
    // Assess
    expect(await pending).toBe('AbortError');
    await host.waitForLog('The client disconnected while the function was processing the request.');
    await host.waitForLog(/Executed 'Functions\.streamSlow' \(Succeeded/);
  });
});

describe('blob trigger with a blob output', () => {
  it('processes a new blob once, with its name, URI, properties and metadata', async () => {
    // Prepare
    const uploads = clients.blobs.getContainerClient('uploads');
    await uploads.createIfNotExists();
    // Act
    await uploads.getBlockBlobClient('a/note.txt').uploadData(Buffer.from('hello'), {
      blobHTTPHeaders: { blobContentType: 'text/plain' },
      metadata: { origin: 'test' },
    });
    await host.waitForLog(/Executed 'Functions\.processUpload' \(Succeeded/, 20_000);
    // Assess
    const processed = await clients.blobs
      .getContainerClient('processed')
      .getBlockBlobClient('a/note.txt')
      .downloadToBuffer();
    expect(processed.toString()).toBe('processed:hello');
    const line = host
      .entries()
      .map((e) => String(e.message))
      .find((m) => m.startsWith('processUpload saw ') && m.includes('a/note.txt'))!;
    expect(JSON.parse(line.slice('processUpload saw '.length))).toEqual({
      name: 'a/note.txt',
      blobTrigger: 'uploads/a/note.txt',
      uri: `${azurite.blobEndpoint}/uploads/a/note.txt`,
      length: 5,
      contentType: 'text/plain',
      metadata: { origin: 'test' },
      size: 5,
    });
  });

  it('keeps a receipt per blob version, so a restart does not process it again', async () => {
    // Prepare
    const uploads = clients.blobs.getContainerClient('uploads');
    await uploads.createIfNotExists();
    await uploads.getBlockBlobClient('once.txt').uploadData(Buffer.from('once'));
    await host.waitForLog(/processUpload saw .*once\.txt/, 20_000);
    await host.waitForLog(/Executed 'Functions\.processUpload' \(Succeeded/);
    // Act
    const again = await startHostProcess({ appDir: app.dir });
    await again.waitForLog('Job host started');
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    await again.stop();
    // Assess
    const receipts: string[] = [];
    for await (const blob of clients.blobs
      .getContainerClient('azure-webjobs-hosts')
      .listBlobsFlat({ prefix: 'blobreceipts/host-app-test/Host.Functions.processUpload/' })) {
      receipts.push(blob.name);
    }
    expect(receipts.some((name) => name.endsWith('/uploads/once.txt'))).toBe(true);
    expect(again.logs()).not.toMatch(/processUpload saw .*once\.txt/);
  }, 60_000);

  it('tries a failing blob 5 times, then writes the real host’s message to webjobs-blobtrigger-poison', async () => {
    // Prepare
    const uploads = clients.blobs.getContainerClient('uploads');
    await uploads.createIfNotExists();
    // Act
    const uploaded = await uploads.getBlockBlobClient('fail-1.txt').uploadData(Buffer.from('x'));
    await host.waitForLog("moved to queue 'webjobs-blobtrigger-poison'", 30_000);
    // Assess
    const attempts = host
      .entries()
      .filter(
        (e) =>
          String(e.message).startsWith('processUpload saw ') &&
          String(e.message).includes('fail-1.txt'),
      );
    expect(attempts).toHaveLength(5);
    const poisoned = await clients.queues
      .getQueueClient('webjobs-blobtrigger-poison')
      .receiveMessages();
    const message = Buffer.from(poisoned.receivedMessageItems[0]!.messageText, 'base64').toString();
    expect(JSON.parse(message)).toEqual({
      Type: 'BlobTrigger',
      FunctionId: 'Host.Functions.processUpload',
      BlobType: 'BlockBlob',
      ContainerName: 'uploads',
      BlobName: 'fail-1.txt',
      ETag: uploaded.etag,
    });
  }, 60_000);
});

describe('table bindings', () => {
  const table = () =>
    TableClient.fromConnectionString(azurite.connectionString, 'people', {
      allowInsecureConnection: true,
    });

  it('writes an array of entities, then reads one back by partition and row key', async () => {
    // Act
    const added = await fetch(url('/api/people'), {
      method: 'POST',
      body: JSON.stringify([
        { PartitionKey: 'blue', RowKey: '1', Name: 'Ada', Role: 'dev' },
        { PartitionKey: 'blue', RowKey: '2', Name: 'Bob', Role: 'ops' },
      ]),
    });
    // With streams on, the answer reaches the client before output bindings are written, as on
    // Azure: the entity is there once the invocation has ended.
    await host.waitForLog(/Executed 'Functions\.addPeople' \(Succeeded/);
    const one = await fetch(url('/api/people/blue/1'));
    // Assess
    expect(added.status).toBe(201);
    const entity = (await one.json()) as Record<string, string>;
    expect(entity).toMatchObject({ PartitionKey: 'blue', RowKey: '1', Name: 'Ada', Role: 'dev' });
    expect(Date.parse(String(entity.Timestamp))).toBeGreaterThan(0);
    expect((await table().getEntity('blue', '2')).Name).toBe('Bob');
  });

  it('gives null for a missing entity (the function answers 404)', async () => {
    expect((await fetch(url('/api/people/blue/404'))).status).toBe(404);
  });

  it('reads a partition through a filter, at most `take` entities', async () => {
    // Prepare
    await fetch(url('/api/people'), {
      method: 'POST',
      body: JSON.stringify(
        ['a', 'b', 'c'].map((id) => ({ PartitionKey: 'green', RowKey: id, Role: 'dev' })),
      ),
    });
    await expect.poll(async () => (await fetch(url('/api/people/green/c'))).status).toBe(200);
    // Act
    const res = await fetch(url('/api/people/green'));
    // Assess
    const devs = (await res.json()) as { RowKey: string; Role: string }[];
    expect(devs.map((d) => [d.RowKey, d.Role])).toEqual([
      ['a', 'dev'],
      ['b', 'dev'],
    ]);
  });

  it('fails the invocation for an entity without a RowKey, naming it', async () => {
    // Act
    await fetch(url('/api/people'), {
      method: 'POST',
      body: JSON.stringify({ PartitionKey: 'red', Name: 'no key' }),
    });
    // Assess: the answer was already sent (streams), the invocation fails with the reason.
    await host.waitForLog(/Executed 'Functions\.addPeople' \(Failed/);
    await host.waitForLog('RowKey must be specified for the table output binding.');
  });
});

describe('lifecycle lines', () => {
  it("logs the real host's startup lines, the primary host lock included", async () => {
    await host.waitForLog(/Host lock lease acquired by instance ID '0{24}[0-9A-F]{8}'\./, 20_000);
    const messages = host.entries().map((e) => String(e.message));
    expect(
      messages.some((m) => m.startsWith('Starting Host (HostId=host-app-test, InstanceId=')),
    ).toBe(true);
    expect(messages).toContain('Job host started');
    expect(messages.some((m) => /^Host initialized \(\d+ms\)$/.test(m))).toBe(true);
    expect(
      messages.some((m) => m.includes("Mapped function route 'api/echo' [post] to 'streamEcho'")),
    ).toBe(true);
  });
});

describe('drain on shutdown', () => {
  it('lets a streaming response finish on SIGTERM', async () => {
    // Prepare
    const own = await startHostProcess({ appDir: app.dir, drainTimeoutMs: 10_000 });
    const pending = fetch(`${own.url}/api/slow/1500`);
    await own.waitForLog('slow started 1500');
    // Act
    const stopped = own.stop('SIGTERM');
    const res = await pending;
    // Assess
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('slept 1500');
    expect(await stopped).toBe(0);
  });
});
