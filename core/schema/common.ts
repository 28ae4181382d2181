import { z } from 'zod';

/** Every CRM Headway has an adapter for. Self-hosted ones are recognised only on configured origins. */
export const CrmId = z.enum([
  'salesforce',
  'hubspot',
  'pipedrive',
  'zoho',
  'dynamics365',
  'odoo',
  'suitecrm',
  'espocrm',
  'twenty',
  'freshsales',
  'close',
  'copper',
  'monday',
  'bitrix24',
]);
export type CrmId = z.infer<typeof CrmId>;

export const RecordType = z.enum(['deal', 'account', 'contact', 'lead']);
export type RecordType = z.infer<typeof RecordType>;

export const Role = z.enum(['head', 'manager', 'exec', 'admin']);
export type Role = z.infer<typeof Role>;

/** Sales and purchases are planned and tracked alike. */
export const DealKind = z.enum(['sale', 'purchase']);
export type DealKind = z.infer<typeof DealKind>;

export const Id = z.string().min(1).max(100);
/**
 * The span of business dates Headway accepts anywhere. Year 0 or 9999 is a typo, not a deal, and date maths on it
 * (next week, the fiscal year after) leaves what a date can be written as.
 */
export const businessDates = { first: '1900-01-01', last: '2199-12-31' } as const;
const outsideBusinessDates = `a date from ${businessDates.first} to ${businessDates.last}`;
const businessStartMs = Date.parse(`${businessDates.first}T00:00:00Z`);
const businessEndMs = Date.parse(`${businessDates.last}T23:59:59.999Z`);

// The range checks pass what is not a date at all: the format check has said so already, once is enough.
export const IsoDate = z.iso
  .date()
  .refine((day) => !/^\d{4}-/.test(day) || (day >= businessDates.first && day <= businessDates.last), outsideBusinessDates);
export const IsoDateTime = z.iso.datetime({ offset: true }).refine((time) => {
  const ms = Date.parse(time);
  return Number.isNaN(ms) || (ms >= businessStartMs && ms <= businessEndMs);
}, outsideBusinessDates);
/** ISO 4217 code, upper case. */
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'a three-letter currency code such as EUR');
export const Money = z.number().finite().min(0).max(1e13);

/** An origin such as https://crm.example.com (scheme + host + optional port, nothing else). */
export const Origin = z
  .string()
  .max(300)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
    } catch {
      return false;
    }
  }, 'an origin such as https://crm.example.com, without path or trailing slash');

/** The natural key of a CRM record mirrored by Headway. */
export const RecordRef = z.object({
  crm: CrmId,
  crmId: z.string().min(1).max(200),
  recordType: RecordType,
});
export type RecordRef = z.infer<typeof RecordRef>;
