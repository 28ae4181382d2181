import type { CrmId } from '../../../core/schema';

/**
 * A CRM as the shared contract suite (contract.ts) drives it: a running contract fake plus the vendor-neutral
 * handles the suite needs. Each connector's test file builds one per API it supports; the suite never reaches into a
 * fake's internals, so a new connector passes the same tests by writing its fake and this adapter.
 */
export interface ContractTarget {
  /** e.g. "SuiteCRM V8". */
  name: string;
  crm: CrmId;
  start(): Promise<RunningTarget>;
}

/** What a test sets up in the CRM, in the vendor's own terms. */
export interface TargetDeal {
  title: string;
  amount: number | null;
  /** The vendor's currency for this deal, as an ISO code the fake maps to its own currency records. */
  currency: 'system' | 'USD';
  stage: 'open' | 'won' | 'lost';
  owner: 'mapped-by-id' | 'mapped-by-email' | 'unmapped' | 'none';
  /** Answers the kind rule (a purchase when true). */
  purchase: boolean;
  /** YYYY-MM-DD. */
  closeDate: string | null;
}

export interface RunningTarget {
  origin: string;
  api: string;
  clientId?: string;
  username?: string;
  secret: string;
  /** Where the vendor's OAuth server answers, when the connector asks one (the fake's own address). */
  authServer?: string;
  /** The CRM user ids of the test's owners, and who they are in Headway. */
  owners: { byId: { crmId: string; email: string }; byEmail: { crmId: string; email: string }; unmapped: { crmId: string; name: string } };
  /** The CRM field and value the kind rule tests (`crm settings --purchase-when field=value`). */
  purchaseRule: { field: string; value: string };
  /** Deals per listing page when the CRM fixes it whatever is asked (Bitrix24: 50); else the sync's page size. */
  listPageSize?: number;
  /** Whether the rate-limit answer says when to retry (Retry-After); false: the connector backs off (default true). */
  rateLimitSaysWhen?: boolean;
  /** What this CRM cannot hold or say as the suite sets it up, and what it does instead (absent: it can). */
  holds?: {
    /** Every deal is in the account's one currency (amoCRM): the ISO code every deal shows. */
    oneCurrency?: string;
    /** false: deals have no expected close date (amoCRM leads), so expected_close stays null. */
    expectedClose?: false;
    /** false: every deal has an owner (amoCRM's responsible user). */
    ownerless?: false;
    /** false: a long-lived token cannot be renewed; its expiry is a bad credential (each CRM's own tests). */
    renewableTokens?: false;
    /** How long a rate-limit answer makes the connector wait when the CRM names no Retry-After. */
    rateLimitWaitMs?: number;
    /** false: a note is always written as the API's own user (EspoCRM); the text names its author. */
    noteAuthor?: false;
  };
  /** The stage ids this CRM's pipeline names won and lost. */
  stages: { open: string; won: string; lost: string };
  addDeals(deals: TargetDeal[], options?: { sameModifiedTime?: boolean; modifiedAtMs?: number }): string[];
  editDeal(crmId: string, change: Partial<TargetDeal>, options?: { modifiedAtMs?: number }): void;
  /** Deleted the way the CRM's users delete (a flag, where it keeps one). */
  deleteDeal(crmId: string): void;
  /** Gone without trace (purged). */
  purgeDeal(crmId: string): void;
  dealOwnerCrmId(crmId: string): string | null;
  /** Notes (or comments, activities) the CRM holds on a deal, as text. */
  notesOn(crmId: string): { id: string; text: string; authorCrmId: string | null }[];
  tasksOn(crmId: string): { id: string; title: string; due: string | null }[];
  /** The integration user may not write notes (true) or may again (false). */
  denyNotes(denied: boolean): void;
  expireTokens(): void;
  /** Every nth request answered with the vendor's (or its proxy's) rate-limit answer; null: no limit. */
  rateLimit(limit: { everyNth: number; retryAfterSeconds: number } | null): void;
  /** Requests the fake answered so far, by kind ("list", "create"…). */
  requests(): { list: number; create: number; all: number };
  /** A listing request fails (connection reset) after this many more; null: never. */
  failListingAfter(count: number | null): void;
  /** How the API behaves when it is switched off / not set up on the CRM's side. */
  switchApiOff(): void;
  close(): Promise<void>;
}
