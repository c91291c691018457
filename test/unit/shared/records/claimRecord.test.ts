import { describe, expect, it } from 'vitest';
import { claimRecord } from '../../../../shared/records/claimRecord.js';
import { InMemoryRecordStore } from '../../../support/fakes/InMemoryRecordStore.js';

interface Claim {
  holder: string;
}

/** Holders named in `active` are still at work. */
const options = (active: string[]) => ({
  holderOf: (c: Claim) => c.holder,
  isActive: async (c: Claim) => active.includes(c.holder),
});

describe('claimRecord', () => {
  it('creates a free claim', async () => {
    // Prepare
    const store = new InMemoryRecordStore();

    // Act
    const outcome = await claimRecord(store, 'k.json', { holder: 'a' }, options([]));

    // Assess
    expect(outcome).toEqual({ won: true });
    expect((await store.get('k.json'))?.value).toEqual({ holder: 'a' });
  });

  it('leaves a claim to an active holder and says who holds it', async () => {
    // Prepare
    const store = new InMemoryRecordStore();
    await store.create('k.json', { holder: 'a' });

    // Act
    const outcome = await claimRecord(store, 'k.json', { holder: 'b' }, options(['a']));

    // Assess
    expect(outcome).toEqual({ won: false, held: { holder: 'a' } });
    expect((await store.get('k.json'))?.value).toEqual({ holder: 'a' });
  });

  it('takes over a claim whose holder has ended', async () => {
    // Prepare
    const store = new InMemoryRecordStore();
    await store.create('k.json', { holder: 'a' });

    // Act
    const outcome = await claimRecord(store, 'k.json', { holder: 'b' }, options([]));

    // Assess
    expect(outcome).toEqual({ won: true });
    expect((await store.get('k.json'))?.value).toEqual({ holder: 'b' });
  });

  it('counts a retry by the holder itself as won', async () => {
    // Prepare
    const store = new InMemoryRecordStore();
    await store.create('k.json', { holder: 'a' });

    // Act
    const outcome = await claimRecord(store, 'k.json', { holder: 'a' }, options(['a']));

    // Assess
    expect(outcome).toEqual({ won: true });
  });

  it('loses a stale claim to a claimant that took it over first, and names it', async () => {
    // Prepare: 'c' takes the stale claim over just before 'b' writes.
    const store = new InMemoryRecordStore();
    await store.create('k.json', { holder: 'a' });
    store.beforeWrite = async (key, kind) => {
      if (kind !== 'replace') return;
      store.beforeWrite = undefined;
      await store.put(key, { holder: 'c' });
    };

    // Act
    const outcome = await claimRecord(store, 'k.json', { holder: 'b' }, options(['c']));

    // Assess
    expect(outcome).toEqual({ won: false, held: { holder: 'c' } });
  });

  it('gives exactly one of many concurrent claimants the claim', async () => {
    // Prepare
    const store = new InMemoryRecordStore();
    const claimants = ['a', 'b', 'c', 'd', 'e', 'f'];

    // Act
    const outcomes = await Promise.all(
      claimants.map((holder) => claimRecord(store, 'k.json', { holder }, options(claimants))),
    );

    // Assess
    const winners = claimants.filter((_, i) => outcomes[i]?.won);
    expect(winners).toHaveLength(1);
    expect((await store.get('k.json'))?.value).toEqual({ holder: winners[0] });
    for (const outcome of outcomes.filter((o) => !o.won)) {
      expect(outcome).toEqual({ won: false, held: { holder: winners[0] } });
    }
  });

  it('gives up with a 503 when the claim keeps changing under it', async () => {
    // Prepare: every write of ours finds someone else's new ended holder first.
    const store = new InMemoryRecordStore();
    await store.create('k.json', { holder: 'a' });
    let n = 0;
    store.beforeWrite = async (key, kind) => {
      if (kind === 'replace') await store.put(key, { holder: `gone-${n++}` });
    };

    // Act
    const act = claimRecord(store, 'k.json', { holder: 'b' }, options([]));

    // Assess
    await expect(act).rejects.toMatchObject({
      status: 503,
      code: 'ClaimContended',
      message: "The claim 'k.json' kept changing; retry later.",
    });
  });
});
