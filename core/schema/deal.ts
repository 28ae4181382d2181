import { z } from 'zod';
import { Currency, DealKind, Id, IsoDate, IsoDateTime, Money, StoredRecordRef } from './common';

export const DealStatus = z.enum(['open', 'won', 'lost']);
export type DealStatus = z.infer<typeof DealStatus>;

/** Where a deal's fields came from; 'connector' is the CRM's own API (server/connectors), the most trusted. */
export const DealSource = z.enum(['page', 'import', 'api', 'connector']);
export type DealSource = z.infer<typeof DealSource>;

/** What a CRM page, a CSV row or the ingest API tells us about a record. Only fields actually known are present. */
export const DealFields = z.object({
  title: z.string().max(500).optional(),
  kind: DealKind.optional(),
  amount: Money.optional(),
  currency: Currency.optional(),
  stage: z.string().max(200).optional(),
  probability: z.number().min(0).max(100).optional(),
  /** The owner as the CRM shows it (name, id or email); mapped to a Headway user by the server. */
  ownerLabel: z.string().max(300).optional(),
  segment: z.string().max(100).optional(),
  expectedClose: IsoDate.optional(),
  status: DealStatus.optional(),
  closedAt: IsoDateTime.optional(),
});
export type DealFields = z.infer<typeof DealFields>;

export const Deal = StoredRecordRef.extend({
  id: Id,
  title: z.string().max(500),
  kind: DealKind,
  amount: Money.nullable(),
  currency: Currency.nullable(),
  stage: z.string().max(200).nullable(),
  probability: z.number().min(0).max(100).nullable(),
  ownerId: Id.nullable(),
  ownerLabel: z.string().max(300).nullable(),
  segment: z.string().max(100).nullable(),
  expectedClose: IsoDate.nullable(),
  status: DealStatus,
  closedAt: IsoDateTime.nullable(),
  source: DealSource,
  url: z.string().max(2000).nullable(),
  updatedAt: IsoDateTime,
  version: z.number().int().min(1),
});
export type Deal = z.infer<typeof Deal>;

/** Deal fields a write may change; each change to one is kept in the deal's history. */
export const DealHistoryField = z.enum([
  'title', 'kind', 'amount', 'currency', 'stage', 'probability', 'ownerId', 'ownerLabel', 'segment', 'expectedClose',
  'status', 'closedAt', 'url',
]);
export type DealHistoryField = z.infer<typeof DealHistoryField>;

const HistoryValue = z.union([z.string(), z.number(), z.null()]);

/** One write that changed a deal: how it came (page capture, CSV import, ingest API), whose, when, what. */
export const DealHistoryEntry = z.object({
  version: z.number().int().min(1),
  at: IsoDateTime,
  source: DealSource,
  /** The Headway user (null for a service token) and the name shown. */
  actor: z.object({ id: Id.nullable(), label: z.string() }),
  /** Each field it changed, before → after (before is null for a deal it created). */
  changes: z.partialRecord(DealHistoryField, z.object({ from: HistoryValue, to: HistoryValue })),
});
export type DealHistoryEntry = z.infer<typeof DealHistoryEntry>;

/** GET /api/deals/history?id=: the deal as it is, and every change to it, newest first. */
export const DealHistoryResponse = z.object({ deal: Deal, history: z.array(DealHistoryEntry) });
export type DealHistoryResponse = z.infer<typeof DealHistoryResponse>;
