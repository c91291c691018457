/**
 * The behaviour every `TableStore` must have, run against the Azure Table store (integration,
 * Azurite) and the in-memory fake (unit), so the fake the service tests rely on cannot drift.
 */
import { describe, expect, it } from 'vitest';
import { RecordConflictError } from '../../../shared/errors.js';
import type { TableStore } from '../../../shared/tables/TableStore.js';

/**
 * @example
 * tableStoreContract('InMemoryTableStore', async () => new InMemoryTableStore());
 */
export function tableStoreContract(name: string, freshStore: () => Promise<TableStore>): void {
  describe(`${name} keeps the TableStore contract`, () => {
    it('round-trips a row with its ETag', async () => {
      // Prepare
      const store = await freshStore();

      // Act
      const [etag] = await store.transact('run-1', [
        { kind: 'create', rowKey: 'item|s|g', value: { status: 'pending', tags: { a: 'ä' } } },
      ]);
      const read = await store.get('run-1', 'item|s|g');

      // Assess
      expect(read).toEqual({
        rowKey: 'item|s|g',
        value: { status: 'pending', tags: { a: 'ä' } },
        etag,
      });
    });

    it('answers undefined for a row that does not exist', async () => {
      // Prepare
      const store = await freshStore();

      // Act & Assess
      expect(await store.get('run-1', 'nope')).toBeUndefined();
    });

    it('keeps a record larger than one table property', async () => {
      // Prepare
      const store = await freshStore();
      const value = { text: 'x'.repeat(70_000), emoji: '🧹'.repeat(1000) };

      // Act
      await store.transact('run-1', [{ kind: 'upsert', rowKey: 'big', value }]);

      // Assess
      expect((await store.get('run-1', 'big'))?.value).toEqual(value);
    });

    it('refuses to create a row twice', async () => {
      // Prepare
      const store = await freshStore();
      await store.transact('run-1', [{ kind: 'create', rowKey: 'r', value: { v: 1 } }]);

      // Act
      const outcome = store.transact('run-1', [{ kind: 'create', rowKey: 'r', value: { v: 2 } }]);

      // Assess
      await expect(outcome).rejects.toBeInstanceOf(RecordConflictError);
      await expect(outcome).rejects.toMatchObject({ kind: 'transient', code: 'RecordConflict' });
      expect((await store.get('run-1', 'r'))?.value).toEqual({ v: 1 });
    });

    it('replaces only while the ETag matches, and treats a missing row as a conflict', async () => {
      // Prepare
      const store = await freshStore();
      const [first] = await store.transact('run-1', [
        { kind: 'create', rowKey: 'r', value: { v: 1 } },
      ]);
      const [second] = await store.transact('run-1', [
        { kind: 'replace', rowKey: 'r', value: { v: 2 }, etag: first! },
      ]);

      // Act
      const stale = store.transact('run-1', [
        { kind: 'replace', rowKey: 'r', value: { v: 3 }, etag: first! },
      ]);
      const missing = store.transact('run-1', [
        { kind: 'replace', rowKey: 'never', value: { v: 1 }, etag: first! },
      ]);

      // Assess
      await expect(stale).rejects.toBeInstanceOf(RecordConflictError);
      await expect(missing).rejects.toBeInstanceOf(RecordConflictError);
      expect(second).not.toBe(first);
      expect(await store.get('run-1', 'r')).toEqual({ rowKey: 'r', value: { v: 2 }, etag: second });
    });

    it('writes a transaction all together, with an ETag per row that a replace accepts', async () => {
      // Prepare
      const store = await freshStore();
      const [etag] = await store.transact('run-1', [
        { kind: 'create', rowKey: 'item|a', value: { n: 0 } },
      ]);

      // Act
      const etags = await store.transact('run-1', [
        { kind: 'replace', rowKey: 'item|a', value: { n: 1 }, etag: etag! },
        { kind: 'create', rowKey: 'item|b', value: { n: 2 } },
        { kind: 'upsert', rowKey: 'tally|0', value: { n: 3 } },
      ]);
      const next = await store.transact('run-1', [
        { kind: 'replace', rowKey: 'item|a', value: { n: 4 }, etag: etags[0]! },
        { kind: 'replace', rowKey: 'tally|0', value: { n: 5 }, etag: etags[2]! },
      ]);

      // Assess
      expect(etags).toHaveLength(3);
      expect(next).toHaveLength(2);
      expect((await store.get('run-1', 'item|a'))?.etag).toBe(next[0]);
      expect((await store.get('run-1', 'item|b'))?.etag).toBe(etags[1]);
      expect((await store.get('run-1', 'tally|0'))?.value).toEqual({ n: 5 });
    });

    it('applies none of a transaction when one action conflicts', async () => {
      // Prepare
      const store = await freshStore();
      const [etag] = await store.transact('run-1', [
        { kind: 'create', rowKey: 'item|a', value: { n: 0 } },
      ]);
      await store.transact('run-1', [
        { kind: 'replace', rowKey: 'item|a', value: { n: 1 }, etag: etag! },
      ]);

      // Act
      const outcome = store.transact('run-1', [
        { kind: 'create', rowKey: 'item|b', value: { n: 2 } },
        { kind: 'replace', rowKey: 'item|a', value: { n: 9 }, etag: etag! },
      ]);

      // Assess
      await expect(outcome).rejects.toBeInstanceOf(RecordConflictError);
      expect(await store.get('run-1', 'item|b')).toBeUndefined();
      expect((await store.get('run-1', 'item|a'))?.value).toEqual({ n: 1 });
    });

    it('refuses a transaction of more than 100 actions, or one that writes a row twice', async () => {
      // Prepare
      const store = await freshStore();
      const many = Array.from({ length: 101 }, (_, i) => ({
        kind: 'upsert' as const,
        rowKey: `r${i}`,
        value: {},
      }));

      // Act & Assess
      await expect(store.transact('run-1', many)).rejects.toThrow(
        'a transaction takes at most 100 actions, not 101',
      );
      await expect(
        store.transact('run-1', [
          { kind: 'upsert', rowKey: 'r', value: {} },
          { kind: 'upsert', rowKey: 'r', value: {} },
        ]),
      ).rejects.toThrow('a transaction may write each row once');
    });

    it('lists the rows of one partition under a prefix, in row key order, across pages', async () => {
      // Prepare
      const store = await freshStore();
      const keys = await createItems(store, 1150);
      await store.transact('run-1', [
        { kind: 'upsert', rowKey: 'tally|0', value: {} },
        { kind: 'upsert', rowKey: 'item', value: {} },
      ]);
      await store.transact('run-2', [{ kind: 'upsert', rowKey: 'item|s|other', value: {} }]);

      // Act
      const items: string[] = [];
      for await (const row of store.list('run-1', 'item|')) items.push(row.rowKey);
      const all: string[] = [];
      for await (const row of store.list('run-1', '')) all.push(row.rowKey);

      // Assess
      expect(items).toEqual(keys);
      expect(all).toHaveLength(1152);
      expect(all[0]).toBe('item');
      expect(all.at(-1)).toBe('tally|0');
    });

    it('lists from a cursor, at most a given number of rows, across pages', async () => {
      // Prepare: 1,050 items around rows of other prefixes.
      const store = await freshStore();
      const keys = await createItems(store, 1050);
      await store.transact('run-1', [
        { kind: 'upsert', rowKey: 'a', value: {} },
        { kind: 'upsert', rowKey: 'tally|0', value: {} },
      ]);
      const read = async (prefix: string, options: { after?: string; limit?: number }) => {
        const rows: string[] = [];
        for await (const row of store.list('run-1', prefix, options)) rows.push(row.rowKey);
        return rows;
      };

      // Act
      const first = await read('item|', { limit: 3 });
      const next = await read('item|', { after: first.at(-1)!, limit: 3 });
      const rest = await read('item|', { after: keys[10]! });
      const beyondAPage = await read('item|', { after: keys[20]!, limit: 1010 });
      const beforeThePrefix = await read('item|', { after: 'a', limit: 2 });
      const anyPrefix = await read('', { after: keys.at(-1)! });
      const none = await read('item|', { limit: 0 });

      // Assess
      expect(first).toEqual(keys.slice(0, 3));
      expect(next).toEqual(keys.slice(3, 6));
      expect(rest).toEqual(keys.slice(11));
      expect(beyondAPage).toEqual(keys.slice(21, 1031));
      expect(beforeThePrefix).toEqual(keys.slice(0, 2));
      expect(anyPrefix).toEqual(['tally|0']);
      expect(none).toEqual([]);
    });
  });
}

/** Creates `n` empty rows `item|s|g-0000`… in partition `run-1`, a hundred a transaction. */
async function createItems(store: TableStore, n: number): Promise<string[]> {
  const keys = Array.from({ length: n }, (_, i) => `item|s|g-${String(i).padStart(4, '0')}`);
  for (let i = 0; i < keys.length; i += 100) {
    await store.transact(
      'run-1',
      keys.slice(i, i + 100).map((rowKey) => ({ kind: 'create' as const, rowKey, value: {} })),
    );
  }
  return keys;
}
