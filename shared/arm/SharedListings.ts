import type { Clock } from '../clock.js';

/** A listing and the instant it started: everything it shows was true at some point after that. */
export interface Listing<T> {
  startedAt: number;
  value: T;
}

/**
 * Listings of a whole subscription (its groups, its locks) shared by whoever needs one. A caller
 * asks for a listing that started at or after some instant and gets the latest one, joins one in
 * flight, or starts a new one: many concurrent readers cost one listing, not one each.
 *
 * @example
 * const locks = new SharedListings((sub) => groups.listLocksInSubscription(sub), clock);
 * const { value } = await locks.startedSince(sub, clock.now().getTime() - 2_000);
 */
export class SharedListings<T> {
  private readonly latest = new Map<string, { startedAt: number; value: Promise<T> }>();

  constructor(
    private readonly load: (key: string) => Promise<T>,
    private readonly clock: Clock,
  ) {}

  /** A listing of `key` that started at or after `notBefore` (ms since the epoch). */
  async startedSince(key: string, notBefore: number): Promise<Listing<T>> {
    const current = this.latest.get(key);
    if (current && current.startedAt >= notBefore) {
      return { startedAt: current.startedAt, value: await current.value };
    }
    return this.start(key);
  }

  /** When the latest listing of `key` started (it may still be running). */
  lastStartedAt(key: string): number | undefined {
    return this.latest.get(key)?.startedAt;
  }

  private async start(key: string): Promise<Listing<T>> {
    const startedAt = this.clock.now().getTime();
    const entry = { startedAt, value: this.load(key) };
    this.latest.set(key, entry);
    // A failed listing is forgotten, so the next caller lists again instead of inheriting it.
    entry.value.catch(() => {
      if (this.latest.get(key) === entry) this.latest.delete(key);
    });
    return { startedAt, value: await entry.value };
  }
}
