import { describe, expect, it } from 'vitest';
import { RecordConflictError, RecordNotFoundError } from '../../../../shared/errors.js';
import { updateRecord } from '../../../../shared/records/updateRecord.js';
import { InMemoryRecordStore } from '../../../support/fakes/InMemoryRecordStore.js';

interface Counter {
  n: number;
  by: string[];
}

describe('updateRecord', () => {
  it('applies the change and returns the new record with its ETag', async () => {
    // Prepare
    const store = new InMemoryRecordStore();
    const created = await store.create<Counter>('c.json', { n: 1, by: [] });

    // Act
    const updated = await updateRecord<Counter>(store, 'c.json', (c) => ({
      n: c.n + 1,
      by: [...c.by, 'a'],
    }));

    // Assess
    expect(updated.value).toEqual({ n: 2, by: ['a'] });
    expect(updated.etag).not.toBe(created.etag);
    expect((await store.get('c.json'))?.etag).toBe(updated.etag);
  });

  it('re-reads and re-applies when another writer got there first', async () => {
    // Prepare
    const store = new InMemoryRecordStore();
    await store.create<Counter>('c.json', { n: 1, by: [] });
    let interfered = false;
    store.beforeWrite = async (key, kind) => {
      if (kind === 'replace' && !interfered) {
        interfered = true;
        const current = await store.get<Counter>(key);
        await store.put<Counter>(key, { n: (current?.value.n ?? 0) + 10, by: ['other'] });
      }
    };
    let calls = 0;

    // Act
    const updated = await updateRecord<Counter>(store, 'c.json', (c) => {
      calls += 1;
      return { n: c.n + 1, by: [...c.by, 'me'] };
    });

    // Assess
    expect(calls).toBe(2);
    expect(updated.value).toEqual({ n: 12, by: ['other', 'me'] });
  });

  it('gives up with RecordConflictError after the retries', async () => {
    // Prepare
    const store = new InMemoryRecordStore();
    await store.create<Counter>('c.json', { n: 1, by: [] });
    store.beforeWrite = async (key, kind) => {
      if (kind === 'replace') await store.put<Counter>(key, { n: 0, by: ['always-first'] });
    };
    let calls = 0;

    // Act
    const outcome = updateRecord<Counter>(
      store,
      'c.json',
      (c) => {
        calls += 1;
        return { ...c, n: c.n + 1 };
      },
      { retries: 2 },
    );

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(RecordConflictError);
    expect(calls).toBe(3);
  });

  it('creates the record from initial when there is none', async () => {
    // Prepare
    const store = new InMemoryRecordStore();

    // Act
    const created = await updateRecord<Counter>(store, 'new.json', (c) => ({ ...c, n: c.n + 1 }), {
      initial: () => ({ n: 0, by: [] }),
    });

    // Assess
    expect(created.value).toEqual({ n: 1, by: [] });
    expect((await store.get('new.json'))?.value).toEqual({ n: 1, by: [] });
  });

  it('retries when two writers create the same record at once', async () => {
    // Prepare
    const store = new InMemoryRecordStore();
    store.beforeWrite = async (key, kind) => {
      if (kind === 'create') {
        store.beforeWrite = undefined;
        await store.create<Counter>(key, { n: 5, by: ['other'] });
      }
    };

    // Act
    const result = await updateRecord<Counter>(
      store,
      'c.json',
      (c) => ({ n: c.n + 1, by: [...c.by, 'me'] }),
      {
        initial: () => ({ n: 0, by: [] }),
      },
    );

    // Assess
    expect(result.value).toEqual({ n: 6, by: ['other', 'me'] });
  });

  it('fails with RecordNotFoundError when there is no record and no initial', async () => {
    // Act
    const outcome = updateRecord<Counter>(new InMemoryRecordStore(), 'missing.json', (c) => c);

    // Assess
    await expect(outcome).rejects.toThrow(new RecordNotFoundError('missing.json'));
  });

  it('writes nothing when the change returns undefined', async () => {
    // Prepare
    const store = new InMemoryRecordStore();
    const created = await store.create<Counter>('c.json', { n: 1, by: [] });

    // Act
    const result = await updateRecord<Counter>(store, 'c.json', () => undefined);

    // Assess
    expect(result.etag).toBe(created.etag);
  });
});
