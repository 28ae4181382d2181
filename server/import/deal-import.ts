import type { Locale } from '../../core/i18n';
import { maxListedErrors, type CrmId, type DealImportMapping, type DealImportResult, type ImportRowError } from '../../core/schema';
import type { DealAuthor } from '../deals/deal-authority';
import type { Store } from '../store/store';
import { DealTotalsChange } from '../plan/deal-totals';
import { writeTransaction, type Tx } from '../store/transaction';
import { listUsers } from '../store/users';
import { listInstances } from '../store/workspace';
import { CsvSyntaxError, csvHeaders, type CsvRecord } from '../../core/csv';
import { csvRecords } from './csv-parser';
import { DealRowReader, ImportFileProblem, httpOptionWords, type DealCsvRow, type ImportOptionWords } from './deals-csv';
import { ImportApplier } from './apply-thread';
import { clearImport, openImport, stageChunk } from './deal-import-staging';
import type { DealWorkspace } from './deal-upsert';

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
  /** The importer's language, for the reasons of bad rows and the preview's words (default English). */
  locale?: Locale;
  /** Told after each chunk of records: records read so far. */
  onProgress?: (done: number) => void;
  /**
   * The process answers others while it imports (the server): a big apply on SQLite then runs on a thread of its
   * own (apply-thread.ts). A CLI import is a process of its own and applies on its thread, without a second heap.
   */
  applyAside?: boolean;
  /** Told when every row is checked and a real import starts applying them (one short transaction). */
  onApplying?: () => void;
  /** Records read, checked and written between two yields to the event loop (default IMPORT_CHUNK_ROWS). */
  chunkRows?: number;
}

/**
 * A big import hands the event loop and the database back this often, so timers, other sockets, other requests'
 * queries and the progress line keep moving (issue 13 §7).
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

/**
 * Imports a deals CSV all-or-nothing, reading it as a stream so that no more than a chunk of rows is ever held.
 *
 * Each chunk is checked and planned against the deals as they stand and staged, in a short transaction of its own,
 * with a turn of the event loop after it (deal-import-staging.ts): the database is free between chunks, so other
 * requests are not kept waiting behind a big file. Once every row is known good, a real import applies the staged
 * plans in one set-based transaction; a dry run stops before. A bad row anywhere, a crash or an abort leaves
 * nothing written: staged rows are visible to no reader, and are cleared (or swept by the next import).
 */
export async function importDeals(store: Store, text: CsvText, options: DealImportOptions, now: string): Promise<DealImportResult> {
  const pieces = typeof text === 'string' ? [text] : text;
  const records = csvRecords(pieces);
  const tally = new ImportTally();
  const totals = new DealTotalsChange();
  const importId = await openImport(store);
  const applier = new ImportApplier(store, options.applyAside === true);
  try {
    const workspace = await readWorkspace(store.db);
    for await (const chunk of chunksOf(records, workspace, options, tally)) {
      const found = await writeTransaction(store, (tx) => stageChunk(tx, store, importId, workspace, chunk.rows, now, options.locale));
      for (const plan of found.staged) {
        tally.counts[plan.outcome] += 1;
        if (plan.unmatchedOwner) tally.unmatched.add(plan.unmatchedOwner);
        if (plan.history) totals.add(plan.previous ? [plan.previous] : [], [plan.row]);
      }
      tally.addErrors([...chunk.errors, ...found.errors]);
      options.onProgress?.(tally.reader?.records ?? 0);
      if (tally.ok && !options.dryRun) applier.staged(tally.counts.created + tally.counts.updated);
      await nextTurn();
    }
    if (tally.ok && !options.dryRun) {
      options.onApplying?.();
      await applier.apply(importId, tally.counts, totals, now);
    }
  } catch (error) {
    if (error instanceof ImportFileProblem) tally.fileProblem = error.text.render(options.locale ?? 'en');
    else if (error instanceof CsvSyntaxError) {
      // The file stops being CSV here: the rows above were read, nothing below can be.
      if (error.line === 1 || tally.reader === null) tally.fileProblem = error.message;
      else tally.addErrors([{ line: error.line, reason: error.reason }]);
    } else throw error;
  } finally {
    applier.end();
    await records.return(undefined);
    await clearImport(store, importId);
  }
  return tally.result(options.dryRun);
}
