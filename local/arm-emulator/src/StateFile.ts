import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StateSnapshot } from './ArmState.js';

/**
 * Persists the emulator's state to a JSON file. Writes are serialized and coalesced: every
 * caller of `persist()` resolves once a snapshot taken after its call is on disk, so an
 * acknowledged write survives a crash.
 *
 * @example
 * const file = new StateFile('.local/arm-state.json', () => state.snapshot(0, header));
 * await file.persist();
 */
export class StateFile {
  private writing: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;

  constructor(
    readonly path: string,
    private readonly snapshot: () => StateSnapshot,
  ) {}

  static async load(path: string): Promise<StateSnapshot | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const snapshot = JSON.parse(text) as StateSnapshot;
    if (snapshot.version !== 1) {
      throw new Error(`State file '${path}' has unsupported version ${String(snapshot.version)}.`);
    }
    return snapshot;
  }

  persist(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.writing.then(() => {
      this.queued = undefined;
      return this.writeNow();
    });
    this.queued = next;
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async writeNow(): Promise<void> {
    const text = JSON.stringify(this.snapshot());
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, text);
    await rename(temporary, this.path);
  }
}
