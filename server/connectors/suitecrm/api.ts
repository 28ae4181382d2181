import type { IdPosition, KeysetPosition } from '../keyset';
import type { SuiteRecord } from './mapping';

/** SuiteCRM's modules Headway reads and writes, by our record types. */
export const moduleOf = { deal: 'Opportunities', account: 'Accounts', contact: 'Contacts', lead: 'Leads' } as const;

export interface ListQuery {
  module: string;
  fields: readonly string[];
  /** Where in modification-time order (or, with `byId`, id order) the page starts. */
  keyset: KeysetPosition | IdPosition;
  /** Include deleted records (v4_1 only: V8 cannot list them, see v8.ts). */
  withDeleted: boolean;
  size: number;
}

/** What the two SuiteCRM APIs have in common; the connector (index.ts) speaks only this. */
export interface SuiteApi {
  readonly name: 'v8' | 'legacy';
  /** Logs in (or takes a token) and answers the user the API acts as. */
  whoAmI(): Promise<string>;
  list(query: ListQuery): Promise<SuiteRecord[]>;
  /** Live records of a module (the count both APIs report with a list). */
  count(module: string): Promise<number | null>;
  /** null when the record does not exist or is deleted. */
  get(module: string, id: string, fields: readonly string[]): Promise<SuiteRecord | null>;
  /** Creates a record with our id; 'exists' when one with that id is already there (a replay). */
  create(module: string, id: string, fields: Record<string, string>): Promise<'created' | 'exists'>;
  update(module: string, id: string, fields: Record<string, string>): Promise<void>;
  /** ISO 4217 code of the system currency and of every other currency, by SuiteCRM currency id. */
  currencies(): Promise<Map<string, string>>;
  /** sales_stage_dom as [key, label], or null when this API cannot list dropdowns. */
  salesStages(): Promise<[string, string][] | null>;
}
