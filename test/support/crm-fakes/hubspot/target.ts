import type { ContractTarget, RunningTarget, TargetDeal } from '../../../server/connectors/target';
import { startHubSpotFake } from './server';
import type { HubSpotFake, HubSpotRecord } from './state';

/** The portal's owners: the sales team, and someone Headway does not know. */
export const hubSpotOwners = {
  maya: { id: '71043211', userId: 9_100_001, email: 'Maya.Chen@acme.example', firstName: 'Maya', lastName: 'Chen', archived: false },
  omar: { id: '71043212', userId: 9_100_002, email: 'Omar.Haddad@acme.example', firstName: 'Omar', lastName: 'Haddad', archived: false },
  lena: { id: '71043213', userId: 9_100_003, email: 'lena@elsewhere.example', firstName: 'Lena', lastName: 'Berg', archived: true },
} as const;

export const hubSpotToken = 'pat-eu1-2f6c1d2e-8a4b-4c3d-9e1f-0a1b2c3d4e5f';

/** HubSpot's default sales pipeline (its stage ids are the fixed ones every portal starts with) and a purchasing one. */
export function seedHubSpotPortal(fake: HubSpotFake) {
  for (const owner of Object.values(hubSpotOwners)) fake.owners.set(owner.id, { ...owner });
  fake.tokens.add(hubSpotToken);
  const stage = (id: string, label: string, displayOrder: number, isClosed: boolean, probability: string) => ({ id, label, displayOrder, metadata: { isClosed: String(isClosed), probability } });
  fake.pipelines.push(
    {
      id: 'default', label: 'Sales Pipeline', displayOrder: 0,
      stages: [
        stage('appointmentscheduled', 'Appointment Scheduled', 0, false, '0.2'),
        stage('qualifiedtobuy', 'Qualified To Buy', 1, false, '0.4'),
        stage('contractsent', 'Contract Sent', 2, false, '0.9'),
        stage('closedwon', 'Closed Won', 3, true, '1.0'),
        stage('closedlost', 'Closed Lost', 4, true, '0.0'),
      ],
    },
    {
      id: '705209413', label: 'Purchasing', displayOrder: 1,
      stages: [stage('1035897112', 'Quote requested', 0, false, '0.5'), stage('1035897113', 'Ordered', 1, true, '1.0'), stage('1035897114', 'Cancelled', 2, true, '0.0')],
    },
  );
  return { sales: { id: 'default', open: 'appointmentscheduled', won: 'closedwon', lost: 'closedlost' }, purchasing: { id: '705209413', open: '1035897112', won: '1035897113', lost: '1035897114' } };
}

/** HubSpot through a private app's token, as the contract suite drives it. */
export function hubSpotTarget(): ContractTarget {
  return {
    name: 'HubSpot CRM v3',
    crm: 'hubspot',
    async start(): Promise<RunningTarget> {
      const running = await startHubSpotFake();
      const { fake } = running;
      const pipelines = seedHubSpotPortal(fake);
      const owners = { 'mapped-by-id': hubSpotOwners.maya.id, 'mapped-by-email': hubSpotOwners.omar.id, unmapped: hubSpotOwners.lena.id, none: null };
      const properties = (deal: Partial<TargetDeal>, current?: HubSpotRecord): Record<string, string | null> => {
        const purchase = deal.purchase ?? current?.properties.pipeline === pipelines.purchasing.id;
        const pipeline = purchase ? pipelines.purchasing : pipelines.sales;
        const was = current ? (current.properties.dealstage === pipelines.sales.won || current.properties.dealstage === pipelines.purchasing.won ? 'won' : current.properties.dealstage === pipelines.sales.lost || current.properties.dealstage === pipelines.purchasing.lost ? 'lost' : 'open') : 'open';
        const stage = deal.stage ?? was;
        return {
          ...(deal.title !== undefined ? { dealname: deal.title } : {}),
          ...(deal.amount !== undefined ? { amount: deal.amount === null ? null : String(deal.amount) } : {}),
          // A single-currency portal leaves deal_currency_code empty; a deal in another currency names it.
          ...(deal.currency !== undefined ? { deal_currency_code: deal.currency === 'USD' ? 'USD' : null } : {}),
          ...(deal.owner !== undefined ? { hubspot_owner_id: owners[deal.owner] } : {}),
          ...(deal.purchase !== undefined || deal.stage !== undefined ? { pipeline: pipeline.id, dealstage: pipeline[stage] } : {}),
          ...(deal.closeDate !== undefined ? { closedate: deal.closeDate === null ? null : `${deal.closeDate}T00:00:00Z` } : {}),
        };
      };
      return {
        origin: running.origin,
        api: 'v3',
        secret: hubSpotToken,
        owners: {
          byId: { crmId: hubSpotOwners.maya.id, email: 'maya.work@headway.example' },
          byEmail: { crmId: hubSpotOwners.omar.id, email: hubSpotOwners.omar.email },
          unmapped: { crmId: hubSpotOwners.lena.id, name: 'Lena Berg' },
        },
        purchaseRule: { field: 'pipeline', value: pipelines.purchasing.id },
        stages: { open: pipelines.sales.open, won: pipelines.sales.won, lost: pipelines.sales.lost },
        // A private app's token does not expire (it is rotated by the admin); HubSpot's 429 carries no Retry-After,
        // and a search's "secondly limit" is waited out for one second.
        holds: { renewableTokens: false, rateLimitWaitMs: 1000 },
        addDeals(deals, options = {}) {
          const at = options.modifiedAtMs ?? Date.now();
          return deals.map((deal, index) => String(fake.addDeal({ pipeline: pipelines.sales.id, dealstage: pipelines.sales.open, ...properties(deal) }, options.sameModifiedTime ? at : at + index).id));
        },
        editDeal(crmId, change, options = {}) {
          const current = fake.deals.get(Number(crmId))!;
          fake.editDeal(current.id, properties(change, current), options.modifiedAtMs ?? Date.now());
        },
        // Deleting a deal archives it (restorable for 90 days); a GDPR deletion leaves nothing.
        deleteDeal: (crmId) => {
          fake.deals.get(Number(crmId))!.archivedAt = Date.now();
        },
        purgeDeal: (crmId) => void fake.deals.delete(Number(crmId)),
        dealOwnerCrmId: (crmId) => fake.deals.get(Number(crmId))?.properties.hubspot_owner_id ?? null,
        notesOn: (crmId) =>
          fake.associations
            .filter((a) => a.fromId === Number(crmId) && a.toType === 'notes')
            .map((a) => fake.notes.get(a.toId)!)
            .map((note) => ({ id: String(note.id), text: note.properties.hs_note_body ?? '', authorCrmId: note.properties.hubspot_owner_id ?? null })),
        tasksOn: (crmId) =>
          fake.associations
            .filter((a) => a.fromId === Number(crmId) && a.toType === 'tasks')
            .map((a) => fake.tasks.get(a.toId)!)
            .map((task) => ({ id: String(task.id), title: task.properties.hs_task_subject ?? '', due: task.properties.hs_timestamp?.slice(0, 10) ?? null })),
        denyNotes(denied) {
          fake.settings.notesDenied = denied;
        },
        expireTokens: () => fake.tokens.clear(),
        rateLimit(limit) {
          fake.settings.rateLimit = limit && { everyNth: limit.everyNth };
          fake.requestCount = 0;
        },
        requests: () => ({
          list: fake.log.filter((entry) => entry.path === '/crm/v3/objects/deals/search' && entry.status === 200).length,
          create: fake.log.filter((entry) => entry.method === 'POST' && /\/(notes|tasks)$/.test(entry.path)).length,
          all: fake.log.length,
        }),
        failListingAfter(n) {
          fake.failListingAfter = n;
        },
        switchApiOff() {
          fake.settings.apiOff = true;
        },
        close: () => running.close(),
      };
    },
  };
}
