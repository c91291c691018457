import { describe, expect, it } from 'vitest';
import { RecordConflictError } from '../../../../shared/errors.js';
import { RecordJournal } from '../../../../shared/records/RecordJournal.js';
import { InMemoryRecordStore } from '../../../support/fakes/InMemoryRecordStore.js';

describe('RecordJournal', () => {
  it('creates a record only when there is none', async () => {
    // Prepare
    const store = new InMemoryRecordStore();
    const journal = await RecordJournal.open<{ n: number }>(store, 'r.json');
    await store.create('r.json', { n: 9 });

    // Act
    const act = journal.create({ n: 1 });

    // Assess
    await expect(act).rejects.toBeInstanceOf(RecordConflictError);
  });

  it('replaces only the version it holds, so a claim loses to another writer', async () => {
    // Prepare
    const store = new InMemoryRecordStore();
    await store.create('r.json', { n: 1 });
    const mine = await RecordJournal.open<{ n: number }>(store, 'r.json');
    const theirs = await RecordJournal.open<{ n: number }>(store, 'r.json');
    await theirs.replace({ n: 2 });

    // Act
    const act = mine.replace({ n: 3 });

    // Assess
    await expect(act).rejects.toBeInstanceOf(RecordConflictError);
    expect((await store.get('r.json'))?.value).toEqual({ n: 2 });
  });

  it('keeps the version it wrote, so it can write again', async () => {
    // Prepare
    const store = new InMemoryRecordStore();
    const journal = await RecordJournal.open<{ n: number }>(store, 'r.json');

    // Act
    await journal.replace({ n: 1 });
    await journal.replace({ n: 2 });

    // Assess
    expect(journal.value).toEqual({ n: 2 });
    expect((await store.get('r.json'))?.etag).toBe(journal.stored?.etag);
  });

  it('re-reads and re-applies an update after a conflict', async () => {
    // Prepare
    const store = new InMemoryRecordStore();
    await store.create('r.json', { n: 1 });
    const journal = await RecordJournal.open<{ n: number }>(store, 'r.json');
    await store.put('r.json', { n: 10 });

    // Act
    const value = await journal.update((r) => ({ n: r.n + 1 }));

    // Assess
    expect(value).toEqual({ n: 11 });
  });
});
