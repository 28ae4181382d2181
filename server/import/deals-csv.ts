import { CrmId, DealIngest, type CrmInstance, type DealColumn, type DealColumnMap, type ImportRowError, type RecordType } from '../../core/schema';
import { notANumber, numberCell, zodReason } from './cells';
import { CsvSyntaxError, csvTable } from './csv';
import type { DealAuthor } from '../deals/deal-authority';
import type { DealWrite } from './deal-upsert';

export interface DealCsvRow {
  line: number;
  write: DealWrite;
}

const numeric = new Set<DealColumn>(['amount', 'probability']);
const lowerCase = new Set<DealColumn>(['kind', 'status', 'recordType', 'crm']);

/** A cell as the ingest schema wants it; a bare date in closedAt means that day (UTC midnight keeps the date). */
function cellValue(column: DealColumn, text: string): { value: unknown } | { error: string } {
  if (numeric.has(column)) {
    const value = numberCell(text);
    return value === null ? { error: notANumber(column, text) } : { value };
  }
  if (column === 'closedAt' && /^\d{4}-\d{2}-\d{2}$/.test(text)) return { value: `${text}T00:00:00Z` };
  if (column === 'currency') return { value: text.toUpperCase() };
  if (lowerCase.has(column)) return { value: text.toLowerCase() };
  return { value: text };
}

/**
 * Reads a deals CSV through a column mapping ({ field: "CSV header" }) into deal writes, checking every row.
 * An empty cell leaves that field as it is; a row naming the same record as an earlier one is refused, since
 * which of the two should win is anyone's guess.
 */
/** Whose the rows are: the CRM and tenant of rows without those columns, the workspace's tenants, the author. */
export interface DealCsvContext {
  crm?: CrmId;
  instance?: string;
  tenants: readonly CrmInstance[];
  author: DealAuthor;
}

/** The tenant of a row: its own cell, the import's ?instance=, or the workspace's only tenant of that CRM. */
function tenantOfRow(cell: unknown, crm: CrmId, context: DealCsvContext): string | null {
  if (typeof cell === 'string') return cell;
  if (context.instance !== undefined) return context.instance;
  const tenants = context.tenants.filter((tenant) => tenant.crm === crm);
  return tenants.length === 1 ? tenants[0]!.instance : null;
}

const ingestRow = DealIngest.omit({ instance: true });

export function readDealsCsv(text: string, map: DealColumnMap, context: DealCsvContext): { rows: DealCsvRow[]; errors: ImportRowError[]; records: number } {
  const defaultCrm = context.crm;
  let table;
  try {
    table = csvTable(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { rows: [], records: 0, errors: [{ line: error.line, reason: error.message.replace(/^line \d+: /, '') }] };
    throw error;
  }
  const mapped = Object.entries(map) as [DealColumn, string][];
  const absent = mapped.filter(([, header]) => !table.headers.includes(header)).map(([field, header]) => `${field} → "${header}"`);
  if (absent.length > 0) {
    return { rows: [], records: table.rows.length, errors: [{ line: 1, reason: `the mapping names column(s) the file does not have: ${absent.join(', ')}; the file has ${table.headers.map((h) => `"${h}"`).join(', ')}` }] };
  }
  if (map.crm === undefined && defaultCrm === undefined) {
    return { rows: [], records: table.rows.length, errors: [{ line: 1, reason: 'say which CRM the records come from: ?crm=salesforce (or --crm), or map a crm column' }] };
  }

  const rows: DealCsvRow[] = [];
  const errors: ImportRowError[] = [];
  const seen = new Map<string, number>();
  for (const row of table.rows) {
    if (row.width !== table.headers.length) {
      errors.push({ line: row.line, reason: `${row.width} field(s) where the header has ${table.headers.length}` });
      continue;
    }
    const record: Partial<Record<DealColumn, unknown>> = {};
    const problems: string[] = [];
    for (const [field, header] of mapped) {
      const text = (row.values.get(header) ?? '').trim();
      if (text === '') continue;
      const cell = cellValue(field, text);
      if ('error' in cell) problems.push(cell.error);
      else record[field] = cell.value;
    }
    const { crm: crmCell, instance: instanceCell, crmId, ...fields } = record;
    const crm = CrmId.safeParse(crmCell ?? defaultCrm);
    if (!crm.success) problems.push(`crm: ${JSON.stringify(crmCell ?? '')} is not a CRM Headway knows`);
    const instance = crm.success ? tenantOfRow(instanceCell, crm.data, context) : null;
    if (crm.success && instance === null) {
      problems.push(context.tenants.some((tenant) => tenant.crm === crm.data)
        ? `instance: say which ${crm.data} tenant the records are of: ?instance= (or --instance), or map an instance column`
        : `instance: the workspace has no ${crm.data} tenant; an admin declares it first: crm add <url> ${crm.data}`);
    }
    if (typeof crmId !== 'string') problems.push(`crmId: the "${map.crmId}" cell is empty`);
    const parsed = ingestRow.safeParse(fields);
    if (!parsed.success) problems.push(zodReason(parsed.error));
    if (problems.length > 0 || !crm.success || instance === null || !parsed.success || typeof crmId !== 'string') {
      errors.push({ line: row.line, reason: problems.join('; ') });
      continue;
    }
    const { recordType, ...dealFields } = parsed.data;
    const key = `${crm.data}|${instance}|${crmId}|${recordType}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      errors.push({ line: row.line, reason: `the same record (${crm.data} ${crmId}) as line ${earlier}; keep one row per record` });
      continue;
    }
    seen.set(key, row.line);
    rows.push({ line: row.line, write: { crm: crm.data, instance, crmId, recordType: recordType as RecordType, fields: dealFields, source: 'import', author: context.author } });
  }
  return { rows, errors, records: table.rows.length };
}
