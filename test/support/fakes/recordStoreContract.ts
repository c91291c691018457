/**
 * The behaviour every `RecordStore` must have, run against the blob store (integration, Azurite)
 * and the in-memory fake (unit), so the fake the service tests rely on cannot drift.
 */
import { describe, expect, it } from 'vitest';
import { RecordConflictError } from '../../../shared/errors.js';
import type { RecordStore } from '../../../shared/records/RecordStore.js';
import { updateRecord } from '../../../shared/records/updateRecord.js';

/**
 * @example
 * recordStoreContract('InMemoryRecordStore', async () => new InMemoryRecordStore());
 */
export function recordStoreContract(name: string, freshStore: () => Promise<RecordStore>): void {
  describe(`${name} keeps the RecordStore contract`, () => {
    it('round-trips a record with its ETag', async () => {
      // Prepare
      const store = await freshStore();

      // Act
      const created = await store.create('operations/op-1.json', {
        status: 'queued',
        steps: [1, 2],
      });
      const read = await store.get('operations/op-1.json');

      // Assess
      expect(created.value).toEqual({ status: 'queued', steps: [1, 2] });
      expect(read).toEqual({ value: { status: 'queued', steps: [1, 2] }, etag: created.etag });
    });

    it('answers undefined for what does not exist', async () => {
      // Prepare
      const store = await freshStore();

      // Act & Assess
      expect(await store.get('nope.json')).toBeUndefined();
      expect(await store.getText('nope.md')).toBeUndefined();
    });

    it('refuses to create a record twice', async () => {
      // Prepare
      const store = await freshStore();
      await store.create('k.json', { v: 1 });

      // Act
      const outcome = store.create('k.json', { v: 2 });

      // Assess
      await expect(outcome).rejects.toBeInstanceOf(RecordConflictError);
      await expect(outcome).rejects.toMatchObject({
        key: 'k.json',
        kind: 'transient',
        code: 'RecordConflict',
      });
      expect((await store.get('k.json'))?.value).toEqual({ v: 1 });
    });

    it('replaces only while the ETag matches', async () => {
      // Prepare
      const store = await freshStore();
      const first = await store.create('k.json', { v: 1 });
      const second = await store.replace('k.json', { v: 2 }, first.etag);

      // Act
      const stale = store.replace('k.json', { v: 3 }, first.etag);

      // Assess
      await expect(stale).rejects.toBeInstanceOf(RecordConflictError);
      expect(second.etag).not.toBe(first.etag);
      expect(await store.get('k.json')).toEqual({ value: { v: 2 }, etag: second.etag });
    });

    it('treats replacing a record that is not there as a conflict', async () => {
      // Prepare
      const store = await freshStore();

      // Act
      const outcome = store.replace('never.json', { v: 1 }, '"0x8DC0000000000000"');

      // Assess
      await expect(outcome).rejects.toBeInstanceOf(RecordConflictError);
    });

    it('puts unconditionally, with a new ETag', async () => {
      // Prepare
      const store = await freshStore();
      const created = await store.create('k.json', { v: 1 });

      // Act
      const put = await store.put('k.json', { v: 9 });

      // Assess
      expect(put.etag).not.toBe(created.etag);
      expect(await store.get('k.json')).toEqual({ value: { v: 9 }, etag: put.etag });
    });

    it('stores text documents', async () => {
      // Prepare
      const store = await freshStore();

      // Act
      await store.putText(
        'cleanup/runs/r1/summary.md',
        '# Run r1\n\nNothing to do. ✓',
        'text/markdown',
      );
      await store.putText('cleanup/runs/r1/summary.md', '# Run r1\n\nDone. ✓', 'text/markdown');

      // Assess
      expect(await store.getText('cleanup/runs/r1/summary.md')).toBe('# Run r1\n\nDone. ✓');
    });

    it('lists the folders directly under a prefix, each once, in lexical order', async () => {
      // Prepare
      const store = await freshStore();
      for (const key of [
        'runs/r2/run.json',
        'runs/r1/items/sub/a.json',
        'runs/r1/run.json',
        'runs/r10/run.json',
        'runs/latest.json',
        'ops/x.json',
      ]) {
        await store.put(key, {});
      }

      // Act
      const folders: string[] = [];
      for await (const folder of store.listFolders('runs/')) folders.push(folder);

      // Assess
      expect(folders).toEqual(['runs/r1/', 'runs/r10/', 'runs/r2/']);
    });

    it('lists the keys under a prefix in lexical order', async () => {
      // Prepare
      const store = await freshStore();
      for (const key of [
        'runs/r1/b.json',
        'runs/r2/a.json',
        'runs/r1/a.json',
        'runs/r10/a.json',
        'ops/x.json',
      ]) {
        await store.put(key, {});
      }

      // Act
      const listed: string[] = [];
      for await (const key of store.list('runs/r1/')) listed.push(key);
      const all: string[] = [];
      for await (const key of store.list('')) all.push(key);

      // Assess
      expect(listed).toEqual(['runs/r1/a.json', 'runs/r1/b.json']);
      expect(all).toEqual([
        'ops/x.json',
        'runs/r1/a.json',
        'runs/r1/b.json',
        'runs/r10/a.json',
        'runs/r2/a.json',
      ]);
    });

    it('lets concurrent updateRecord calls all land', async () => {
      // Prepare
      const store = await freshStore();
      await store.create('counter.json', { n: 0 });

      // Act
      await Promise.all(
        Array.from({ length: 8 }, () =>
          updateRecord<{ n: number }>(store, 'counter.json', (c) => ({ n: c.n + 1 }), {
            retries: 20,
          }),
        ),
      );

      // Assess
      expect((await store.get<{ n: number }>('counter.json'))?.value).toEqual({ n: 8 });
    });

    it('appends to a log, creating it on first use, each text whole', async () => {
      // Prepare
      const store = await freshStore();
      const lines = Array.from({ length: 12 }, (_, i) => `{"n":${i}}\n`);

      // Act: the first appends race to create the log.
      await Promise.all(lines.map((line) => store.append('logs/day.jsonl', line)));
      await store.append('logs/day.jsonl', '{"n":"last"}\n');

      // Assess
      const text = (await store.getText('logs/day.jsonl')) ?? '';
      const read = text.split('\n').filter(Boolean);
      expect(read.slice(0, 12).sort()).toEqual(lines.map((l) => l.trim()).sort());
      expect(read[12]).toBe('{"n":"last"}');
      expect(await collect(store.list('logs/'))).toEqual(['logs/day.jsonl']);
    });

    it('appends to a log said to be new, and keeps one that was not', async () => {
      // Prepare
      const store = await freshStore();
      await store.append('logs/old.jsonl', '{"n":1}\n');

      // Act
      await store.append('logs/new.jsonl', '{"n":1}\n', { likelyNew: true });
      await store.append('logs/old.jsonl', '{"n":2}\n', { likelyNew: true });
      await store.append('logs/new.jsonl', '{"n":2}\n');

      // Assess
      expect(await store.getText('logs/new.jsonl')).toBe('{"n":1}\n{"n":2}\n');
      expect(await store.getText('logs/old.jsonl')).toBe('{"n":1}\n{"n":2}\n');
    });
  });
}

async function collect(keys: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const key of keys) all.push(key);
  return all;
}
