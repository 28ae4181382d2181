import { z } from 'zod';
import { CrmId, IsoDate, Origin, RecordType } from './common';

/**
 * Sent by an extension when an adapter recognised a record URL but could read none of its fields: the usual
 * first sign that a CRM changed its markup. Only the origin and record type travel, never the record id or page text.
 */
export const AdapterMissReport = z.object({
  crm: CrmId,
  origin: Origin,
  recordType: RecordType,
});
export type AdapterMissReport = z.infer<typeof AdapterMissReport>;

/** Misses of one adapter on one origin and record type on one day, summed over every extension. */
export const AdapterMissSummary = AdapterMissReport.extend({
  day: IsoDate,
  misses: z.number().int().min(1),
  reporters: z.number().int().min(1),
  lastAt: z.string(),
});
export type AdapterMissSummary = z.infer<typeof AdapterMissSummary>;

export const AdapterHealthQuery = z.object({
  days: z.coerce.number().int().min(1).max(90).default(14),
});

export const AdapterHealthResponse = z.object({
  since: IsoDate,
  misses: z.array(AdapterMissSummary),
  disabledAdapters: z.array(z.object({ crm: CrmId, reason: z.string() })),
});
export type AdapterHealthResponse = z.infer<typeof AdapterHealthResponse>;
