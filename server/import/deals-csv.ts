import {
  CrmId,
  DealIngest,
  ownerColumns,
  personNameKey,
  previewValueLimit,
  type CrmInstance,
  type DealColumn,
  type DealImportMapping,
  type ImportPreviewField,
  type ImportRowError,
  type RecordType,
  type User,
} from '../../core/schema';
import { said, type Locale, type Said } from '../../core/i18n';
import { fieldName, joined, notANumber, numberCell, zodReason } from './cells';
import { importMessages } from './i18n';
import type { CsvRecord } from '../../core/csv';
import type { DealAuthor } from '../deals/deal-authority';
import type { DealWrite } from './deal-upsert';

export interface DealCsvRow {
  line: number;
  write: DealWrite;
}

const numeric = new Set<DealColumn>(['amount', 'probability']);
const lowerCase = new Set<DealColumn>(['kind', 'status', 'recordType', 'crm']);
/** Fields with few values, each worth showing in the preview even without a value map. */
const enumerated = new Set<DealColumn>(['crm', 'instance', 'recordType', 'kind', 'status', 'currency', ...ownerColumns]);

/** A cell as the ingest schema wants it; a bare date in closedAt means that day (UTC midnight keeps the date). */
function cellValue(column: DealColumn, text: string, name: string | Said): { value: unknown } | { error: Said } {
  if (numeric.has(column)) {
    const value = numberCell(text);
    return value === null ? { error: notANumber(name, text) } : { value };
  }
  if (column === 'closedAt' && /^\d{4}-\d{2}-\d{2}$/.test(text)) return { value: `${text}T00:00:00Z` };
  if (column === 'currency') return { value: text.toUpperCase() };
  if (lowerCase.has(column)) return { value: text.toLowerCase() };
  return { value: text };
}

/** How the options that say what a file lacks are written where the import was started. */
export interface ImportOptionWords {
  crm: string;
  instance: string;
}
export const cliOptionWords: ImportOptionWords = { crm: '--crm <crm> (or --set crm=<crm>)', instance: '--instance <tenant>' };
export const httpOptionWords: ImportOptionWords = { crm: '?crm=<crm> (or a crm constant in the mapping)', instance: '?instance=<tenant>' };

/** Whose the rows are: the CRM and tenant of rows without those columns, the workspace, the author. */
export interface DealCsvContext {
  crm?: CrmId;
  instance?: string;
  tenants: readonly CrmInstance[];
  users: readonly User[];
  author: DealAuthor;
  words: ImportOptionWords;
  /** Whose language the reasons are worded in: the importer's (default English). */
  locale?: Locale;
}

/** The file cannot be read at all (a missing column, no CRM named): no row is worth checking. */
export class ImportFileProblem extends Error {
  constructor(readonly text: Said) {
    super(text.render('en'));
  }
}

/** The tenant of a row: its own cell, the import's ?instance=, or the workspace's only tenant of that CRM. */
function tenantOfRow(cell: unknown, crm: CrmId, context: DealCsvContext): string | null {
  if (typeof cell === 'string') return cell;
  if (context.instance !== undefined) return context.instance;
  const tenants = context.tenants.filter((tenant) => tenant.crm === crm);
  return tenants.length === 1 ? tenants[0]!.instance : null;
}

const ingestRow = DealIngest.omit({ instance: true });

/** The users a display name may mean, by personNameKey. */
function usersByName(users: readonly User[]): Map<string, User[]> {
  const byName = new Map<string, User[]>();
  for (const user of users) {
    const key = personNameKey(user.name);
    byName.set(key, [...(byName.get(key) ?? []), user]);
  }
  return byName;
}

type Reading = { value: unknown; becomes: string } | { error: Said };

/** One field's source: a column (with its place in the header) or a constant. */
interface FieldSource {
  field: DealColumn;
  column: string | null;
  index: number;
  constant: string | null;
  values: Record<string, string> | undefined;
}

/**
 * Reads the records of a deals CSV, one at a time, into deal writes through a mapping (columns, value maps,
 * constants), checking each. An empty cell leaves that field as it is. (A row naming the same record as an earlier
 * one is refused when the import stages it: deal-import-staging.ts.) Remembers what each previewed value became.
 */
export class DealRowReader {
  private readonly sources: FieldSource[];
  private readonly byName: Map<string, User[]>;
  private readonly preview = new Map<DealColumn, { column: string | null; values: Map<string, { becomes: string | null; rows: number; error?: string }>; more: Set<string> }>();
  records = 0;

  /** Throws ImportFileProblem when the header lacks a mapped column or nothing says the rows' CRM. */
  constructor(
    private readonly headers: string[],
    private readonly mapping: DealImportMapping,
    private readonly context: DealCsvContext,
  ) {
    const absent = Object.entries(mapping.columns).filter(([, header]) => !headers.includes(header)).map(([field, header]) => `${field} → "${header}"`);
    if (absent.length > 0) {
      throw new ImportFileProblem(said(importMessages, 'missingColumns', { absent: absent.join(', '), headers: headers.map((h) => `"${h}"`).join(', ') }));
    }
    if (mapping.columns.crm === undefined && mapping.constants.crm === undefined && context.crm === undefined) {
      throw new ImportFileProblem(said(importMessages, 'noCrm', { option: context.words.crm }));
    }
    this.byName = usersByName(context.users);
    this.sources = [
      ...(Object.entries(mapping.columns) as [DealColumn, string][]).map(([field, column]) => ({ field, column, index: headers.indexOf(column), constant: null, values: mapping.values[field] })),
      ...(Object.entries(mapping.constants) as [DealColumn, string][]).map(([field, constant]) => ({ field, column: null, index: -1, constant, values: undefined })),
    ];
    for (const source of this.sources) {
      if (source.constant !== null || source.values !== undefined || enumerated.has(source.field)) this.preview.set(source.field, { column: source.column, values: new Map(), more: new Set() });
    }
  }

  /** A field's cell after the value map: what it is, in words for the preview, or why it is bad. */
  private reading(source: FieldSource, raw: string): Reading | null {
    const { field } = source;
    let text = raw.trim();
    if (source.values !== undefined) {
      const mapped = source.values[text];
      if (mapped === undefined) {
        if (text === '') return null;
        return { error: said(importMessages, 'notInMapping', { field, text, example: text.includes(' ') ? `"${text}"` : text }) };
      }
      text = mapped.trim();
    }
    if (text === '') return null;
    if (field === 'ownerName') {
      const matches = this.byName.get(personNameKey(text)) ?? [];
      if (matches.length > 1) return { error: said(importMessages, 'ownerNameShared', { text, count: matches.length, emails: matches.map((u) => u.email).join(', ') }) };
      const user = matches[0];
      return { value: { user, name: text }, becomes: user ? `${user.name} <${user.email}>` : this.word(said(importMessages, 'noOwner')) };
    }
    const cell = cellValue(field, text, fieldName(field, source.column));
    return 'error' in cell ? cell : { value: cell.value, becomes: String(cell.value) };
  }

  private remember(field: DealColumn, source: string, reading: Reading | null): void {
    const entry = this.preview.get(field);
    if (!entry) return;
    const known = entry.values.get(source);
    if (known) {
      known.rows += 1;
      return;
    }
    if (entry.values.size >= previewValueLimit) {
      // Counting every distinct value past the limit would hold each id of a big file; a bounded count says "many".
      if (entry.more.size < 10 * previewValueLimit) entry.more.add(source);
      return;
    }
    entry.values.set(source, reading === null ? { becomes: this.word(said(importMessages, 'leftAsItIs')), rows: 1 } : 'error' in reading ? { becomes: null, rows: 1, error: this.word(reading.error) } : { becomes: reading.becomes, rows: 1 });
  }

  read(record: CsvRecord): DealCsvRow | ImportRowError {
    this.records += 1;
    const { context } = this;
    if (record.fields.length !== this.headers.length) return { line: record.line, reason: this.word(said(importMessages, 'fieldCount', { count: record.fields.length, header: this.headers.length })) };
    const values: Partial<Record<DealColumn, unknown>> = {};
    const problems: Said[] = [];
    for (const source of this.sources) {
      const raw = source.constant ?? record.fields[source.index] ?? '';
      const reading = this.reading(source, raw);
      this.remember(source.field, source.constant === null ? raw.trim() : '', reading);
      if (reading === null) continue;
      if ('error' in reading) problems.push(reading.error);
      else values[source.field] = reading.value;
    }
    const { crm: crmCell, instance: instanceCell, crmId, ownerName, ...fields } = values;
    if (ownerName !== undefined) {
      // A name that is one user's: that user, shown under the name the CRM uses; else kept as a label, unmatched.
      const { user, name } = ownerName as { user: User | undefined; name: string };
      fields.ownerLabel = name;
      if (user) fields.ownerEmail = user.email;
    }
    const crm = CrmId.safeParse(crmCell ?? context.crm);
    if (!crm.success) problems.push(said(importMessages, 'unknownCrm', { text: String(crmCell ?? '') }));
    const instance = crm.success ? tenantOfRow(instanceCell, crm.data, context) : null;
    if (crm.success && instance === null) {
      problems.push(context.tenants.some((tenant) => tenant.crm === crm.data)
        ? said(importMessages, 'whichTenant', { crm: crm.data, option: context.words.instance })
        : said(importMessages, 'noTenant', { crm: crm.data }));
    }
    if (typeof crmId !== 'string') problems.push(said(importMessages, 'emptyCrmId', { column: this.mapping.columns.crmId ?? 'crmId' }));
    const parsed = ingestRow.safeParse(fields);
    if (!parsed.success) problems.push(zodReason(parsed.error, fields, (field) => this.mapping.columns[field as DealColumn]));
    if (problems.length > 0 || !crm.success || instance === null || !parsed.success || typeof crmId !== 'string') {
      return { line: record.line, reason: this.word(joined(problems)) };
    }
    const { recordType, ...dealFields } = parsed.data;
    return { line: record.line, write: { crm: crm.data, instance, crmId, recordType: recordType as RecordType, fields: dealFields, source: 'import', author: context.author } };
  }

  /** A reason or preview word in the importer's language. */
  private word(text: Said): string {
    return text.render(this.context.locale ?? 'en');
  }

  /** What each previewed field's values became, over the rows read so far. */
  previewFields(): ImportPreviewField[] {
    return [...this.preview].map(([field, entry]) => ({
      field,
      column: entry.column,
      values: [...entry.values].map(([source, value]) => ({ source, ...value })).sort((a, b) => b.rows - a.rows || a.source.localeCompare(b.source)),
      moreValues: entry.more.size,
    }));
  }
}
