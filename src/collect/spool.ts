import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../shared/errors.ts';
import type { AccountRecord } from '../snapshot/types.ts';

/**
 * Account records on disk until the snapshot header can be written. Accounts finish in whatever
 * order their calls allow, while the snapshot wants the header (complete only once every account
 * and SCP is read) first and the records in account-id order; holding the records in memory would
 * grow with the organization. Only an offset and a length per account stay in memory.
 */
export class RecordSpool {
  private readonly index = new Map<string, { offset: number; length: number }>();
  private size = 0;
  private disposed?: Promise<void>;

  private constructor(
    private readonly dir: string,
    private readonly handle: FileHandle,
  ) {}

  /** A private temporary folder under `parent` (the system's temporary folder by default). */
  static async create(parent: string = tmpdir()): Promise<RecordSpool> {
    let dir: string;
    try {
      dir = await mkdtemp(join(parent, '.trailproof-records-'));
    } catch (err) {
      throw new UserError(`cannot create a temporary folder in ${parent} for the account records (${(err as NodeJS.ErrnoException).code ?? String(err)}); set TMPDIR to a writable folder`);
    }
    try {
      // Owner-only: the records hold the organization's configuration.
      return new RecordSpool(dir, await open(join(dir, 'records.jsonl'), 'w+', 0o600));
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  has(accountId: string): boolean {
    return this.index.has(accountId);
  }

  /** Stores (or replaces) an account's record. Concurrent puts are safe: each takes its own range. */
  async put(record: AccountRecord): Promise<void> {
    const bytes = Buffer.from(JSON.stringify(record), 'utf8');
    const offset = this.size;
    this.size += bytes.length;
    await this.handle.write(bytes, 0, bytes.length, offset);
    // Indexed only once written, so a reader never sees a range that is still being filled.
    this.index.set(record.accountId, { offset, length: bytes.length });
  }

  async get(accountId: string): Promise<AccountRecord | undefined> {
    const at = this.index.get(accountId);
    if (!at) return undefined;
    const bytes = Buffer.alloc(at.length);
    await this.handle.read(bytes, 0, at.length, at.offset);
    return JSON.parse(bytes.toString('utf8')) as AccountRecord;
  }

  /** The records of `accountIds`, in that order; an id never put is a programming error. */
  async *read(accountIds: readonly string[]): AsyncGenerator<AccountRecord> {
    for (const id of accountIds) {
      const record = await this.get(id);
      if (!record) throw new Error(`no record collected for account ${id}`);
      yield record;
    }
  }

  dispose(): Promise<void> {
    this.disposed ??= (async () => {
      await this.handle.close().catch(() => undefined);
      await rm(this.dir, { recursive: true, force: true });
    })();
    return this.disposed;
  }
}
