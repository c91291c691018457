/**
 * What one storage operation costs Azurite as its stores fill: the same operations timed with few
 * and with many items stored beside them. Azure Storage finds a blob, a message or an entity by
 * its key, whatever else is stored; Azurite keeps each kind in one LokiJS collection and answers
 * most requests by scanning it (every blob of the account, every message of every queue, every
 * row of a table for a query). These figures show how much of a large local run's slowdown is
 * the emulator's, not the app's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { startAzurite } from '@sandbox-automation/functions-host/testing';
import pLimit from 'p-limit';
import type { Figure } from './figure.js';

/** Azurite as `npm start` runs it (data on disk), on free ports, in a folder of its own. */
async function startBenchAzurite(): Promise<{ connectionString: string; stop(): Promise<void> }> {
  const location = await mkdtemp(join(tmpdir(), 'sandbox-bench-azurite-'));
  const azurite = await startAzurite({ location });
  return {
    connectionString: azurite.connectionString,
    async stop() {
      await azurite.stop();
      await rm(location, { recursive: true, force: true });
    },
  };
}

/** Milliseconds per call of `op`, over `times` calls one after another. */
async function timePerCall(times: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < times; i++) await op(i);
  return (performance.now() - started) / times;
}

/** Runs `count` calls of `op`, 32 at a time. */
async function fill(count: number, op: (i: number) => Promise<unknown>): Promise<void> {
  const limit = pLimit(32);
  await Promise.all(Array.from({ length: count }, (_, i) => limit(() => op(i))));
}

/** A blob written and read back, with `stored` other blobs in the account. */
async function blobCost(container: ContainerClient, stored: number): Promise<number> {
  await fill(stored, (i) =>
    container.getBlockBlobClient(`filler/${stored}/${i}.json`).upload('{}', 2),
  );
  return timePerCall(200, async (i) => {
    const blob = container.getBlockBlobClient(`probe/${stored}/${i}.json`);
    await blob.upload('{}', 2);
    await blob.downloadToBuffer();
  });
}

/** A message received and deleted, with `queued` messages in its queue. */
async function queueCost(connectionString: string, queued: number): Promise<number> {
  const queue = new QueueClient(connectionString, `probe-${queued}`);
  await queue.createIfNotExists();
  await fill(queued, () => queue.sendMessage('x'.repeat(200)));
  let n = 0;
  const perBatch = await timePerCall(10, async () => {
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32 });
    for (const m of receivedMessageItems) {
      await queue.deleteMessage(m.messageId, m.popReceipt);
      n++;
    }
  });
  await queue.delete();
  return (perBatch * 10) / n;
}

/** A query of a partition of 16 rows, with `rows` other rows in the table. */
async function tableCost(connectionString: string, rows: number): Promise<number> {
  const table = TableClient.fromConnectionString(connectionString, `probe${rows}`, {
    allowInsecureConnection: true,
  });
  await table.createTable();
  await fill(rows, (i) => table.createEntity({ partitionKey: 'run-a', rowKey: `item|${i}` }));
  await fill(16, (i) => table.createEntity({ partitionKey: 'run-b', rowKey: `tally|${i}` }));
  return timePerCall(100, async () => {
    for await (const _ of table.listEntities({
      queryOptions: { filter: "PartitionKey eq 'run-b' and RowKey ge 'tally|'" },
    })) {
      // read every row of the page
    }
  });
}

/**
 * @example
 * for (const figure of await azuriteFigures()) console.log(formatFigure(figure));
 */
export async function azuriteFigures(): Promise<Figure[]> {
  const azurite = await startBenchAzurite();
  try {
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const few = blobs.getContainerClient('few');
    const many = blobs.getContainerClient('many');
    await Promise.all([few.createIfNotExists(), many.createIfNotExists()]);
    const blobFew = await blobCost(few, 1_000);
    const blobMany = await blobCost(many, 10_000 - 1_000);
    const queueFew = await queueCost(azurite.connectionString, 100);
    const queueMany = await queueCost(azurite.connectionString, 5_000);
    const tableFew = await tableCost(azurite.connectionString, 100);
    const tableMany = await tableCost(azurite.connectionString, 5_000);
    return [
      {
        name: 'Azurite: a blob written and read, 10,000 blobs in the account',
        value: blobMany,
        unit: 'ms',
        baseline: { name: 'with 1,000 blobs', value: blobFew },
      },
      {
        name: 'Azurite: a message received and deleted, 5,000 messages queued',
        value: queueMany,
        unit: 'ms',
        baseline: { name: 'with 100 queued', value: queueFew },
      },
      {
        name: "Azurite: a query of one run's 16 tally rows, 5,000 other rows in the table",
        value: tableMany,
        unit: 'ms',
        baseline: { name: 'with 100 other rows', value: tableFew },
      },
    ];
  } finally {
    await azurite.stop();
  }
}
