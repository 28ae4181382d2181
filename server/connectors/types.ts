import type { CrmId, DealKind, DealStatus, NoteContent, RecordType } from '../../core/schema';
import type { ConnectorHttp } from './http';
import type { IdPosition, KeysetPosition } from './keyset';

/**
 * The seam every CRM connector fills (DESIGN.md "CRM connectors"). One file or folder per CRM under
 * server/connectors/, registered in registry.ts; the shared contract suite (test/server/connectors/) runs each
 * against its contract fake. Everything here speaks in the CRM's own ids and times; the sync engine
 * (server/connectors/sync/) maps owners, decides won/lost from pipelines, stores deals and keeps the cursor.
 */

/** What the admin gave `crm connect`; the secret is decrypted only into this object, never logged or returned. */
export interface ConnectionCredential {
  origin: string;
  api: string;
  clientId: string | null;
  username: string | null;
  secret: string;
}

/** A deal as the CRM holds it, mapped by the connector's pure mapping (no owner or status decisions yet). */
export interface CrmDeal {
  crmId: string;
  recordType: RecordType;
  title: string;
  amount: number | null;
  /** ISO 4217, or null when the CRM did not say (never guessed). */
  currency: string | null;
  stage: string | null;
  /** The pipeline the stage belongs to (null for CRMs with one pipeline). */
  pipeline: string | null;
  probability: number | null;
  ownerCrmId: string | null;
  ownerName: string | null;
  /** The CRM's date as stored (YYYY-MM-DD); no day/month guessing. */
  expectedClose: string | null;
  /** When the CRM says the deal closed, if it says; else the sync uses expectedClose or modifiedAt for won/lost. */
  closedAt: string | null;
  url: string | null;
  /** The CRM's own modification time, ISO 8601 UTC: the sync cursor. */
  modifiedAt: string;
  deleted: boolean;
  /** Raw field values a kind rule may test (e.g. SuiteCRM opportunity_type). */
  fields: Record<string, string | null>;
}

export interface DealPage {
  deals: CrmDeal[];
  /** Where the next page starts; null when this was the last. Stored with the page's commit (resumable). */
  next: ListPosition | null;
}

/**
 * Where a listing stands. `pass` separates listings a connector makes one after another (SuiteCRM V8 reads
 * deleted records in a second pass); `keyset` is the modification-time position within the pass.
 */
export interface ListPosition {
  pass: string;
  keyset: KeysetPosition | IdPosition;
  /**
   * The page number within the keyset, for an API that cannot ask for "id above I" (amoCRM): its tie and id walks
   * go by page numbers and check each page boundary instead (amocrm/listing.ts).
   */
  page?: number;
  /** The API's own opaque page marker, for an API that pages by one (Pipedrive's API v2 `cursor`). */
  cursor?: string;
}

export interface CrmUser {
  crmId: string;
  name: string;
  email: string | null;
  active: boolean;
}

export interface CrmStage {
  id: string;
  label: string;
  status: DealStatus;
}

export interface CrmPipeline {
  /** null for a CRM with one pipeline. */
  id: string | null;
  label: string;
  stages: CrmStage[];
}

/** A negotiation note as it goes to the CRM: the structured fields and who wrote it. */
export interface NoteForCrm {
  /** Stable over retries, crashes and processes: the connector derives the CRM-side identity from it. */
  key: string;
  record: { recordType: RecordType; crmId: string };
  author: { name: string; crmUserId: string | null };
  content: NoteContent;
  /** The deal's kind decides the words ("buyer"/"seller" are shown as they were captured). */
  kind: DealKind | null;
}

export interface TaskForCrm {
  key: string;
  record: { recordType: RecordType; crmId: string };
  assigneeCrmId: string | null;
  title: string;
  dueDate: string | null;
  description: string;
}

/** What a connector can do besides reading deals; the engine never asks for what is false here. */
export interface ConnectorAbilities {
  /** 'flags': deleted records come through listChangedDeals; 'reconcile': only the periodic id listing reveals them (it also catches purges). */
  deletions: 'flags' | 'reconcile';
  tasks: boolean;
  ownerChange: boolean;
}

export interface CrmConnector {
  readonly abilities: ConnectorAbilities;
  /** Throws ConnectorError (bad credential, API off, TLS, unreachable, missing rights) or answers who we are. */
  checkCredential(): Promise<{ account: string }>;
  /**
   * One page of deals changed at or after `since` (ISO; null = every deal), in modification-time order, resumed at
   * `position` when given. Pages are small enough for one transaction; rate limits and token expiry are handled
   * inside (ConnectorHttp).
   */
  listChangedDeals(since: string | null, position: ListPosition | null): Promise<DealPage>;
  /** One deal by its CRM id, or null when the CRM no longer has it (deleted). */
  readDeal(crmId: string): Promise<CrmDeal | null>;
  /** Every live deal id, paged; for the periodic reconciliation (deletions without flags, purged records). */
  listDealIds(position: ListPosition | null): Promise<{ ids: string[]; next: ListPosition | null }>;
  listUsers(): Promise<CrmUser[]>;
  listPipelines(): Promise<CrmPipeline[]>;
  /** How many live deals the CRM holds (for a progress bar), when it can say cheaply. */
  countDeals(): Promise<number | null>;
  /** Creates the note once per `note.key`: a repeat answers the same CRM id and creates nothing. */
  createNote(note: NoteForCrm): Promise<{ crmId: string }>;
  /** Rewrites a note written earlier (edited in Headway). */
  updateNote(crmId: string, note: NoteForCrm): Promise<void>;
  createTask(task: TaskForCrm): Promise<{ crmId: string }>;
  setDealOwner(crmId: string, ownerCrmId: string): Promise<void>;
}

/**
 * Where a connector keeps a credential the CRM renews as it is used (a refresh token that changes on every renewal,
 * as Bitrix24's does). `save` seals and stores the new secret at once, in its own statement, before the connector
 * uses what it was given: a sync that fails or is cut afterwards keeps it. `load` answers the secret as stored now
 * when another process has stored a newer one since this connector opened (null: none newer).
 */
export interface SecretRotation {
  save(secret: string): Promise<void>;
  load(): Promise<string | null>;
}

export interface ConnectorOptions {
  /** Raw fields the kind rule reads (KindRule.field), so the connector asks the CRM for them. */
  ruleFields: readonly string[];
  /** Records per page; the default suits the CRM's limits. */
  pageSize?: number;
  /** For credentials the CRM rotates; absent, a rotated secret lives only as long as the connector. */
  rotation?: SecretRotation;
  /** Where the vendor's OAuth server answers instead of its public address (a contract fake on loopback). */
  authServer?: string;
}

export interface ConnectorFactory {
  crm: CrmId;
  /** The APIs `--api` may name; the first is the default. */
  apis: readonly [string, ...string[]];
  /** Who `--client-id` / `--username` name, per API (for the usage text and validation). */
  needs(api: string): { clientId: boolean; username: boolean };
  /** What the value of `--client-id` / `--username` is in this CRM's words, for the usage text (default: id, name). */
  flagValues?: { clientId?: string; username?: string };
  create(credential: ConnectionCredential, http: ConnectorHttp, options: ConnectorOptions): CrmConnector;
  /**
   * What in the CRM can call Headway's sync hook (with its X-Headway-Hook-Secret header), for the message of
   * `crm connect`; absent when the CRM cannot send that header (amoCRM's webhooks cannot).
   */
  hookCaller?: string;
}
