import { z } from 'zod';
import { CrmId, Instance } from './common';
import { ImportQuery, ImportResult } from './progress';

/*
 * How a deals CSV becomes deals: which column gives each field, what each value of a column means, and what every
 * row shares. One schema for the CLI (--map / --value / --set), POST /api/deals/import (?map=) and the dashboard's
 * import dialog, so the three read a file alike (issue 15 §3.15).
 */

/**
 * Targets of a deals CSV column mapping: DealIngest fields, the record's key, and ownerName — the owner's display
 * name as the CRM shows it, matched to a Headway user by name (case and spaces aside).
 */
export const DealColumn = z.enum([
  'crm', 'instance', 'crmId', 'recordType', 'title', 'kind', 'amount', 'currency', 'stage', 'probability', 'ownerLabel',
  'ownerEmail', 'ownerName', 'segment', 'expectedClose', 'status', 'closedAt', 'url',
]);
export type DealColumn = z.infer<typeof DealColumn>;

const Header = z.string().min(1).max(200);
const CellText = z.string().max(500);

/** { field: "CSV header" }; crmId is required, crm unless given as ?crm= or a constant, instance unless implied. */
export const DealColumnMap = z.partialRecord(DealColumn, Header);
export type DealColumnMap = z.infer<typeof DealColumnMap>;

/** The owner fields: at most one of them says who owns a row. */
export const ownerColumns = ['ownerEmail', 'ownerName', 'ownerLabel'] as const satisfies readonly DealColumn[];

export const DealImportMapping = z
  .object({
    columns: DealColumnMap,
    /**
     * { field: { "value in the file": "value Headway reads" } }, e.g. { status: { Won: "won", Engaging: "open" } }.
     * Once a field has a value map, a value the map does not name is a bad row: nothing is guessed. "" names the
     * empty cell (which otherwise leaves the field as it is).
     */
    values: z.partialRecord(DealColumn, z.record(CellText, CellText)).default({}),
    /** { field: "value" } for every row, e.g. { currency: "USD" } for an export whose amounts carry none. */
    constants: z.partialRecord(DealColumn, CellText.min(1)).default({}),
  })
  .superRefine((mapping, ctx) => {
    if (mapping.columns.crmId === undefined) ctx.addIssue({ code: 'custom', path: ['columns', 'crmId'], message: 'map the crmId field to a column, e.g. crmId=Id' });
    for (const field of Object.keys(mapping.constants) as DealColumn[]) {
      if (mapping.columns[field] !== undefined) ctx.addIssue({ code: 'custom', path: ['constants', field], message: `${field} is both a column ("${mapping.columns[field]}") and a constant; keep one` });
      if (field === 'crmId') ctx.addIssue({ code: 'custom', path: ['constants', 'crmId'], message: 'every row has its own crmId; map it to a column' });
    }
    for (const field of Object.keys(mapping.values) as DealColumn[]) {
      if (mapping.columns[field] === undefined) ctx.addIssue({ code: 'custom', path: ['values', field], message: `values for ${field}, but no column is mapped to ${field}` });
    }
    const owners = ownerColumns.filter((field) => mapping.columns[field] !== undefined || mapping.constants[field] !== undefined);
    if (owners.length > 1) ctx.addIssue({ code: 'custom', path: ['columns'], message: `${owners.join(' and ')} both name the owner; map one` });
  });
export type DealImportMapping = z.infer<typeof DealImportMapping>;
export type DealImportMappingInput = z.input<typeof DealImportMapping>;

export const DealImportQuery = z.object({
  dryRun: ImportQuery.shape.dryRun,
  /**
   * JSON: the mapping ({"columns":{…},"values":{…},"constants":{…}}), or its columns alone as older clients send
   * them ({"crmId":"Id","title":"Name"}).
   */
  map: z
    .string()
    .max(20_000)
    .transform((text, ctx) => {
      try {
        const json = JSON.parse(text) as unknown;
        return typeof json === 'object' && json !== null && 'columns' in json ? json : { columns: json };
      } catch {
        ctx.addIssue({ code: 'custom', message: 'map must be JSON, e.g. {"columns":{"crmId":"Id","title":"Name"}}' });
        return z.NEVER;
      }
    })
    .pipe(DealImportMapping),
  crm: CrmId.optional(),
  /** The tenant of every row without an instance column; implied when the workspace has one tenant of the CRM. */
  instance: Instance.optional(),
});

/** One distinct value of a column and what Headway makes of it, over the whole file. */
export const ImportPreviewValue = z.object({
  /** The cell as the file has it ("" for an empty cell). */
  source: z.string(),
  /** What Headway stores, in words ("won", "Maya Chen <maya@acme.example>", "left as it is"); null when it is an error. */
  becomes: z.string().nullable(),
  rows: z.number().int().min(1),
  /** Why rows with this value are bad (an unmapped value, an ambiguous owner name). */
  error: z.string().optional(),
});
export type ImportPreviewValue = z.infer<typeof ImportPreviewValue>;

/** How at most previewValueLimit distinct values of one column are read. */
export const ImportPreviewField = z.object({
  field: DealColumn,
  /** The CSV header; null for a constant (then the one value is listed with source ""). */
  column: z.string().nullable(),
  values: z.array(ImportPreviewValue),
  /** Distinct values past the listed ones, counted up to ten times the limit (a column of ids is not worth listing). */
  moreValues: z.number().int().min(0),
});
export type ImportPreviewField = z.infer<typeof ImportPreviewField>;

export const previewValueLimit = 50;

export const DealImportResult = ImportResult.extend({
  /**
   * A problem of the whole file or mapping (no such column, no CRM named, not CSV): then `errors` holds it once, on
   * line 1, and this says it without pretending it is a row.
   */
  fileProblem: z.string().optional(),
  /** Bad rows past the listed ones: a file can have a million, the answer lists the first maxListedErrors. */
  moreErrors: z.number().int().min(0).default(0),
  /** Each mapped field with a value map, an owner or a fixed set of values, and each constant: what its values become. */
  preview: z.array(ImportPreviewField).default([]),
});
export type DealImportResult = z.infer<typeof DealImportResult>;

export const maxListedErrors = 1000;

/** A display name as people type it: case, accents' composition and runs of spaces do not tell two people apart. */
export function personNameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}
