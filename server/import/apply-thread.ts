import { sql } from 'kysely';
import { DealTotalsChange, type DealTotalsCells } from '../plan/deal-totals';
import { openStore, type Store } from '../store/store';
import { serverModule, startThread, type ModuleThread } from '../worker-thread';
import { applyImport, clearImport, StaleImport, type ImportOutcome } from './deal-import-staging';

/*
 * Issue 13 §7: on SQLite an import's apply is a few statements over every staged row, seconds at 100k rows, and
 * better-sqlite3 runs each one on the calling thread. In the server process (a dashboard import) that would stall
 * every other request, so a big apply runs on a thread of its own with its own connection; the server's readers go
 * on reading (WAL) and its writers wait for the lock without blocking (writeTransaction). PostgreSQL's driver is
 * asynchronous already. A small apply stalls nothing worth a thread.
 */
/** From this many rows written, an apply on this thread would stall the process for more than about 0.1 s. */
const onThreadFrom = 2_000;
/** Rows staged when the thread is started, so that it has loaded by the time the file is checked. */
const startThreadFrom = onThreadFrom / 2;

interface ApplyInput {
  file: string;
  importId: string;
  counts: Record<ImportOutcome, number>;
  cells: DealTotalsCells;
  now: string;
}

/** Applies one staged import with applyImport: on this thread, or on another for a big one on a SQLite file. */
export class ImportApplier {
  private thread: ModuleThread | null = null;

  /** `aside`: whether big applies on a SQLite file run on a thread of their own. */
  constructor(private readonly store: Store, private readonly aside: boolean) {}

  /** Told the rows staged so far: once the import is sure to be big, its thread starts loading. */
  staged(rows: number): void {
    if (rows >= startThreadFrom) this.threadIfUseful();
  }

  /** Throws StaleImport as applyImport does. */
  async apply(importId: string, counts: Record<ImportOutcome, number>, totals: DealTotalsChange, now: string): Promise<void> {
    const thread = counts.created + counts.updated >= onThreadFrom ? this.threadIfUseful() : null;
    if (!thread) {
      this.end();
      return applyImport(this.store, importId, counts, totals, now);
    }
    const input: ApplyInput = { file: this.store.file!, importId, counts, cells: totals.cells, now };
    const answer = await thread.call<'applied' | 'stale'>(applyOnThisThread.name, input);
    if (answer === 'stale') throw new StaleImport();
  }

  /** Ends a thread started and not used (the import was refused, or turned out small). */
  end(): void {
    this.thread?.end();
  }

  private threadIfUseful(): ModuleThread | null {
    if (!this.aside || this.store.kind !== 'sqlite' || this.store.file === undefined) return null;
    return (this.thread ??= startThread(serverModule('import/apply-thread')));
  }
}

/**
 * The thread's side: the same apply on a connection of its own to the same file. The rest of the import's heavy
 * writing happens here too: clearing its staged rows, and checkpointing the WAL the apply grew (otherwise the next
 * commit on the server's thread would copy it into the database, seconds at 100k rows, on that thread).
 */
export async function applyOnThisThread({ file, importId, counts, cells, now }: ApplyInput): Promise<'applied' | 'stale'> {
  const store = openStore(`file:${file}`);
  try {
    await applyImport(store, importId, counts, DealTotalsChange.of(cells), now);
    return 'applied';
  } catch (error) {
    if (error instanceof StaleImport) return 'stale';
    throw error;
  } finally {
    await clearImport(store, importId);
    await sql`pragma wal_checkpoint(PASSIVE)`.execute(store.db);
    await store.close();
  }
}
