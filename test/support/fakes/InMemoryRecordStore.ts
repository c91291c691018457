/**
 * An in-memory `RecordStore` with the blob store's semantics: values are stored as JSON text (so
 * a caller can never mutate a stored record through a reference), every write gets a new ETag,
 * `create` and `replace` throw `RecordConflictError` exactly where the blob store does. It counts
 * its operations (a listing as one per page of a thousand, as the blob service pages).
 */
import { RecordConflictError } from '../../../shared/errors.js';
import type {
  AppendOptions,
  RecordStore,
  StoredRecord,
} from '../../../shared/records/RecordStore.js';

interface Entry {
  text: string;
  etag: string;
  contentType: string;
}

export class InMemoryRecordStore implements RecordStore {
  private readonly entries = new Map<string, Entry>();
  private version = 0;
  /** Storage operations by kind: one per request the real store would send. */
  readonly operations = {
    get: 0,
    create: 0,
    replace: 0,
    put: 0,
    putText: 0,
    getText: 0,
    append: 0,
    list: 0,
  };
  /**
   * Runs before every write with the key; a test can write to the same key here to simulate a
   * concurrent writer, or throw to simulate a storage failure.
   */
  beforeWrite?: (
    key: string,
    kind: 'create' | 'replace' | 'put' | 'putText' | 'append',
  ) => void | Promise<void>;

  async get<T>(key: string): Promise<StoredRecord<T> | undefined> {
    this.operations.get += 1;
    const entry = this.entries.get(key);
    return entry && { value: JSON.parse(entry.text) as T, etag: entry.etag };
  }

  async create<T>(key: string, value: T): Promise<StoredRecord<T>> {
    this.operations.create += 1;
    await this.beforeWrite?.(key, 'create');
    if (this.entries.has(key)) throw new RecordConflictError(key, `record ${key} already exists`);
    return this.store(key, value);
  }

  async replace<T>(key: string, value: T, etag: string): Promise<StoredRecord<T>> {
    this.operations.replace += 1;
    await this.beforeWrite?.(key, 'replace');
    if (this.entries.get(key)?.etag !== etag) {
      throw new RecordConflictError(key, `record ${key} changed since it was read`);
    }
    return this.store(key, value);
  }

  async put<T>(key: string, value: T): Promise<StoredRecord<T>> {
    this.operations.put += 1;
    await this.beforeWrite?.(key, 'put');
    return this.store(key, value);
  }

  async putText(key: string, text: string, contentType: string): Promise<void> {
    this.operations.putText += 1;
    await this.beforeWrite?.(key, 'putText');
    this.entries.set(key, { text, etag: this.nextEtag(), contentType });
  }

  async getText(key: string): Promise<string | undefined> {
    this.operations.getText += 1;
    return this.entries.get(key)?.text;
  }

  async append(key: string, text: string, options: AppendOptions = {}): Promise<void> {
    // As the blob service counts it: an Append Block, and on a log's first entry a 404, a create
    // and the Append Block again; a log said to be new, a create and an Append Block.
    this.operations.append += options.likelyNew ? 2 : this.entries.has(key) ? 1 : 3;
    await this.beforeWrite?.(key, 'append');
    const log = this.entries.get(key);
    this.entries.set(key, {
      text: (log?.text ?? '') + text,
      etag: this.nextEtag(),
      contentType: log?.contentType ?? 'application/x-ndjson',
    });
  }

  async *list(prefix: string): AsyncIterable<string> {
    const keys = [...this.entries.keys()].filter((k) => k.startsWith(prefix)).sort();
    this.operations.list += Math.max(1, Math.ceil(keys.length / 1000));
    for (const key of keys) yield key;
  }

  async *listFolders(prefix: string): AsyncIterable<string> {
    const folders = new Set<string>();
    for (const key of this.entries.keys()) {
      if (!key.startsWith(prefix)) continue;
      const slash = key.indexOf('/', prefix.length);
      if (slash >= 0) folders.add(key.slice(0, slash + 1));
    }
    for (const folder of [...folders].sort()) yield folder;
  }

  /** Every key, sorted: for assertions. */
  keys(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** The stored content type of `key` (`application/json` for records). */
  contentTypeOf(key: string): string | undefined {
    return this.entries.get(key)?.contentType;
  }

  private store<T>(key: string, value: T): StoredRecord<T> {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`record ${key} is not JSON-serializable`);
    const etag = this.nextEtag();
    this.entries.set(key, { text, etag, contentType: 'application/json' });
    return { value: JSON.parse(text) as T, etag };
  }

  private nextEtag(): string {
    this.version += 1;
    return `"0x${this.version.toString(16).toUpperCase()}"`;
  }
}
