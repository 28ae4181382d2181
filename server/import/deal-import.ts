import { maxListedErrors, type CrmId, type DealImportMapping, type DealImportResult, type ImportRowError } from '../../core/schema';
import type { DealAuthor } from '../deals/deal-authority';
import type { Store } from '../store/store';
import { writeTransaction, type Tx } from '../store/transaction';
import { listUsers } from '../store/users';
import { listInstances } from '../store/workspace';
import { appendChanges, type ChangeEntry } from '../sync/change-log';
import { CsvSyntaxError, csvHeaders, csvRecords, type CsvRecord } from '../../core/csv';
import { DealRowReader, ImportFileProblem, httpOptionWords, type DealCsvRow, type ImportOptionWords } from './deals-csv';
import { DealRejected, upsertDeal, type DealWorkspace } from './deal-upsert';

/** Thrown out of a transaction to roll it back. */
class RolledBack extends Error {
  constructor() {
    super('rolled back');
  }
}

/** A CSV as a whole text or as pieces arriving (a file stream, a request body): only the latter keeps memory flat. */
export type CsvText = string | AsyncIterable<string> | Iterable<string>;

export interface DealImportOptions {
  mapping: DealImportMapping;
  crm?: CrmId;
  /** The tenant of rows without an instance column (implied when the workspace has one tenant of the CRM). */
  instance?: string;
  dryRun: boolean;
  author: DealAuthor;
  /** How the CRM and tenant options are spelt where the import was started (default: the HTTP query's). */
  words?: ImportOptionWords;
  /** Told after each chunk of records: records read so far. */
  onProgress?: (done: number) => void;
  /** Records read, checked and written between two yields to the event loop (default IMPORT_CHUNK_ROWS). */
  chunkRows?: number;
}

/**
 * A big import hands the event loop back this often, so timers, other sockets and the progress line keep moving
 * (issue 13 §7). A dry run also lets go of the database between chunks; a real import holds its one transaction.
 */
export const IMPORT_CHUNK_ROWS = 500;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What an import found so far: bounded whatever the file's size (the first maxListedErrors bad rows are kept). */
class ImportTally {
  counts = { created: 0, updated: 0, unchanged: 0 };
  errors: ImportRowError[] = [];
  moreErrors = 0;
  fileProblem: string | undefined;
  unmatched = new Set<string>();
  reader: DealRowReader | null = null;

  /** Errors come a chunk at a time, each chunk's lines after the previous chunk's: sorted within, they stay sorted. */
  addErrors(errors: ImportRowError[]): void {
    errors.sort((a, b) => a.line - b.line);
    for (const error of errors) {
      if (this.errors.length < maxListedErrors) this.errors.push(error);
      else this.moreErrors += 1;
    }
  }

  get ok(): boolean {
    return this.errors.length === 0 && this.fileProblem === undefined;
  }

  result(dryRun: boolean): DealImportResult {
    const ok = this.ok;
    return {
      dryRun,
      ok,
      rows: this.reader?.records ?? 0,
      ...(ok ? this.counts : { created: 0, updated: 0, unchanged: 0 }),
      errors: this.fileProblem === undefined ? this.errors : [{ line: 1, reason: this.fileProblem }],
      unmatchedOwners: [...this.unmatched].sort(),
      ...(this.fileProblem === undefined ? {} : { fileProblem: this.fileProblem }),
      moreErrors: this.moreErrors,
      preview: this.reader?.previewFields() ?? [],
    };
  }
}

async function readWorkspace(db: Tx): Promise<DealWorkspace> {
  return { users: await listUsers(db), tenants: await listInstances(db) };
}

/** The file's rows in chunks of good rows, after its header is read and the mapping checked against it. */
async function* chunksOf(records: AsyncIterator<CsvRecord>, workspace: DealWorkspace, options: DealImportOptions, tally: ImportTally): AsyncGenerator<{ rows: DealCsvRow[]; errors: ImportRowError[] }> {
  const header = await records.next();
  const reader = new DealRowReader(csvHeaders(header.done ? undefined : header.value), options.mapping, {
    ...options,
    ...workspace,
    words: options.words ?? httpOptionWords,
  });
  tally.reader = reader;
  const size = options.chunkRows ?? IMPORT_CHUNK_ROWS;
  let chunk: { rows: DealCsvRow[]; errors: ImportRowError[] } = { rows: [], errors: [] };
  for (let next = await records.next(); !next.done; next = await records.next()) {
    const row = reader.read(next.value);
    if ('write' in row) chunk.rows.push(row);
    else chunk.errors.push(row);
    if (reader.records % size === 0) {
      yield chunk;
      chunk = { rows: [], errors: [] };
    }
  }
  if (chunk.rows.length > 0 || chunk.errors.length > 0 || reader.records % size !== 0) yield chunk;
}

/** Writes one chunk of rows through upsertDeal; a row the database refuses joins the chunk's errors. */
async function writeChunk(tx: Tx, store: Store, workspace: DealWorkspace, chunk: { rows: DealCsvRow[]; errors: ImportRowError[] }, tally: ImportTally, now: string): Promise<ChangeEntry[]> {
  const changes: ChangeEntry[] = [];
  for (const { line, write } of chunk.rows) {
    try {
      const result = await upsertDeal(tx, store.kind, workspace, write, now);
      tally.counts[result.outcome] += 1;
      if (result.change) changes.push(result.change);
      if (result.unmatchedOwner) tally.unmatched.add(result.unmatchedOwner);
    } catch (error) {
      if (!(error instanceof DealRejected)) throw error;
      chunk.errors.push({ line, reason: error.message });
    }
  }
  tally.addErrors(chunk.errors);
  return changes;
}

/**
 * Imports a deals CSV all-or-nothing, reading it as a stream so that no more than a chunk of rows is ever held.
 *
 * A real import writes every row in one transaction, a chunk at a time, and rolls it back if any row is bad: the
 * database keeps the all-or-nothing promise, so nothing needs staging and no half-imported state is ever visible.
 * A dry run writes each chunk in its own transaction and rolls it back: rows of a file are distinct records, so
 * each row's outcome is what the real import would find, while the database is free between chunks and other
 * requests are not kept waiting behind a big preview (issue 13 §7).
 */
export async function importDeals(store: Store, text: CsvText, options: DealImportOptions, now: string): Promise<DealImportResult> {
  const pieces = typeof text === 'string' ? [text] : text;
  const records = csvRecords(pieces);
  const tally = new ImportTally();
  const progress = () => options.onProgress?.(tally.reader?.records ?? 0);
  try {
    if (options.dryRun) {
      const workspace = await readWorkspace(store.db);
      for await (const chunk of chunksOf(records, workspace, options, tally)) {
        await writeTransaction(store, async (tx) => {
          await writeChunk(tx, store, workspace, chunk, tally, now);
          throw new RolledBack();
        }).catch((error: unknown) => {
          if (!(error instanceof RolledBack)) throw error;
        });
        progress();
        await nextTurn();
      }
    } else {
      let attempts = 0;
      await writeTransaction(store, async (tx) => {
        // PostgreSQL retries a transaction that hit a deadlock; the stream it read from cannot be read twice.
        if (++attempts > 1) throw new Error('The import met a conflicting write and its file was already read; nothing was imported, run it again.');
        const workspace = await readWorkspace(tx);
        for await (const chunk of chunksOf(records, workspace, options, tally)) {
          const changes = await writeChunk(tx, store, workspace, chunk, tally, now);
          // Appended a chunk at a time, so a million rows never hold a million change entries in memory.
          if (tally.ok) await appendChanges(tx, changes, now);
          progress();
          await nextTurn();
        }
        if (!tally.ok) throw new RolledBack();
      });
    }
  } catch (error) {
    if (error instanceof ImportFileProblem) tally.fileProblem = error.message;
    else if (error instanceof CsvSyntaxError) {
      // The file stops being CSV here: the rows above were read, nothing below can be.
      if (error.line === 1 || tally.reader === null) tally.fileProblem = error.message;
      else tally.addErrors([{ line: error.line, reason: error.reason }]);
    } else if (!(error instanceof RolledBack)) throw error;
  } finally {
    await records.return(undefined);
  }
  return tally.result(options.dryRun);
}
