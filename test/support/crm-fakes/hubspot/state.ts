import { FakeTraffic, type FakeLogEntry } from '../http-util';

// What the HubSpot contract fake holds: one portal (its company currency), owners, deal pipelines with their stages,
// deals, notes, tasks and their associations, the private-app tokens that open it, and the switches a test flips.
// Shapes follow HubSpot's CRM API v3 as HubSpot/hubspot-api-nodejs reads them (see server.ts for the sources).

export interface HubSpotOwnerRecord {
  id: string;
  userId: number;
  email: string;
  firstName: string;
  lastName: string;
  archived: boolean;
}

export interface HubSpotStageRecord {
  id: string;
  label: string;
  displayOrder: number;
  /** isClosed "true"/"false" and probability "0.0".."1.0", as strings (PipelineStage.metadata). */
  metadata: { isClosed: string; probability: string };
}

export interface HubSpotPipelineRecord {
  id: string;
  label: string;
  displayOrder: number;
  stages: HubSpotStageRecord[];
}

/** A CRM object (deal, note, task): its properties are strings or null, as the API gives them. */
export interface HubSpotRecord {
  id: number;
  properties: Record<string, string | null>;
  createdAt: number;
  /** hs_lastmodifieddate in epoch ms. */
  modifiedAt: number;
  archivedAt: number | null;
}

export interface Association {
  fromType: 'deals' | 'contacts' | 'companies';
  fromId: number;
  toType: 'notes' | 'tasks';
  toId: number;
  typeId: number;
}

export class HubSpotFake extends FakeTraffic<FakeLogEntry> {
  readonly portal = { portalId: 147_506_535, companyCurrency: 'EUR', additionalCurrencies: ['USD'], timeZone: 'Europe/Berlin', uiDomain: 'app-eu1.hubspot.com', dataHostingLocation: 'eu1' };
  readonly owners = new Map<string, HubSpotOwnerRecord>();
  readonly pipelines: HubSpotPipelineRecord[] = [];
  readonly deals = new Map<number, HubSpotRecord>();
  readonly notes = new Map<number, HubSpotRecord>();
  readonly tasks = new Map<number, HubSpotRecord>();
  readonly associations: Association[] = [];
  readonly tokens = new Set<string>();
  settings = {
    /** Every nth request answered 429; null: none. */
    rateLimit: null as { everyNth: number } | null,
    /** The private app lacks the scope to write notes (403 MISSING_SCOPES on POST /crm/v3/objects/notes). */
    notesDenied: false,
    /** The address serves no HubSpot API (HTML 404 for every path). */
    apiOff: false,
  };
  private nextId = 9_000_000_000;

  id(): number {
    this.nextId += 1 + Math.floor(Math.random() * 5);
    return this.nextId;
  }

  addDeal(properties: Record<string, string | null>, modifiedAt = Date.now()): HubSpotRecord {
    const id = this.id();
    const deal: HubSpotRecord = { id, properties: { ...properties, hs_object_id: String(id) }, createdAt: modifiedAt, modifiedAt, archivedAt: null };
    this.deals.set(id, deal);
    return deal;
  }

  /** A user's edit in HubSpot: new values and a new hs_lastmodifieddate (unless the test sets one). */
  editDeal(id: number, properties: Record<string, string | null>, modifiedAt = Date.now()): void {
    const deal = this.deals.get(id);
    if (!deal) throw new Error(`no deal ${id}`);
    Object.assign(deal.properties, properties);
    deal.modifiedAt = modifiedAt;
  }
}
