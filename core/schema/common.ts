import { z } from 'zod';
import { LOCALES } from '../i18n/locale';

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
  'amocrm',
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

/** Said to a client that names a record without its tenant: it was built before records were bound to tenants. */
const instanceMissing = 'the record names no CRM tenant (instance): the extension or script that sent it is older than this server; update it';

/**
 * A CRM tenant: one company's CRM, written canonically so that one org is one instance whatever host shows it,
 * and a sandbox or another company's tenant is another instance. Mostly an origin (`https://acme.pipedrive.com`,
 * `https://acme.my.salesforce.com` for every Salesforce host of the org, `http://127.0.0.1:8787` for a self-hosted
 * CRM). Where one host serves every tenant and the URL names the tenant in its path, the path stays:
 * HubSpot `https://app.hubspot.com/contacts/1234567` (the portal), Zoho `https://crm.zoho.eu/crm/org20071234567`
 * (the org), Copper `https://app.copper.com/companies/157251` (the account). Each adapter in core/crm derives it
 * from a URL (`instanceOf`), and the server acts only on the workspace's own (`crm add`, GET /api/config).
 */
export const Instance = z
  .string({ error: (issue) => (issue.input === undefined ? instanceMissing : 'an instance is a URL such as https://acme.pipedrive.com') })
  .max(300)
  .refine(isInstanceShape, 'an instance is an origin such as https://acme.pipedrive.com, or one with the tenant\'s path (https://app.hubspot.com/contacts/1234567), without a trailing slash, query or fragment');
export type Instance = z.infer<typeof Instance>;

function isInstanceShape(value: string): boolean {
  try {
    const url = new URL(value);
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search || url.hash) return false;
    return value === url.origin || (value === url.origin + url.pathname && !url.pathname.endsWith('/'));
  } catch {
    return false;
  }
}

/**
 * The natural key of a CRM record mirrored by Headway: the CRM, its tenant, the record's id and type. The same id
 * on two tenants (a sandbox, another company's org) is two records. The CRM connectors key their reads by it too.
 */
export const RecordRef = z.object({
  crm: CrmId,
  instance: Instance,
  crmId: z.string().min(1).max(200),
  recordType: RecordType,
});
export type RecordRef = z.infer<typeof RecordRef>;

/**
 * A record as the server stores it. `instance` is null only for a record kept from before records were bound to
 * tenants whose tenant the migration could not tell (several tenants of its CRM, or none configured yet): it counts
 * where it counted, no client can write it, and `crm add` or `crm adopt` gives it its tenant (README).
 */
export const StoredRecordRef = RecordRef.extend({ instance: Instance.nullable() });
export type StoredRecordRef = z.infer<typeof StoredRecordRef>;

/** A language Headway speaks, as a user or the workspace sets it. */
export const UserLocale = z.enum(LOCALES, { error: `Headway speaks ${LOCALES.join(' and ')}: give one of them (or null to follow the browser).` });
export type UserLocale = z.infer<typeof UserLocale>;
