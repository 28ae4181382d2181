import type { ContractTarget, RunningTarget, TargetDeal } from '../../../server/connectors/target';
import { startZohoFake } from './server';
import type { ZohoDeal, ZohoFake, ZohoUser } from './state';

/** Who the fake knows: the user who authorized Headway's API client, and the sales team. */
export const zohoUsers = {
  integration: { id: '5725767000000281001', full_name: 'Headway Integration', email: 'headway@acme.example', status: 'active' },
  maya: { id: '5725767000000281007', full_name: 'Maya Chen', email: 'Maya.Chen@acme.example', status: 'active' },
  omar: { id: '5725767000000281009', full_name: 'Omar Haddad', email: 'omar@acme.example', status: 'active' },
  lena: { id: '5725767000000281012', full_name: 'Lena Berg', email: 'lena@elsewhere.example', status: 'disabled' },
} satisfies Record<string, ZohoUser>;

const pipelines = {
  sale: { id: '5725767000000091061', name: 'Standard', stages: { open: 'Qualification', won: 'Closed Won', lost: 'Closed Lost' } },
  purchase: { id: '5725767000000091063', name: 'Purchasing', stages: { open: 'Negotiating', won: 'Ordered', lost: 'Cancelled' } },
} as const;

/** Two pipelines, each with its own won and lost stages (forecast_type), as an org with a purchasing pipeline has. */
export function seedZohoOrg(fake: ZohoFake): void {
  for (const user of Object.values(zohoUsers)) fake.users.set(user.id, { ...user });
  fake.currentUserId = zohoUsers.integration.id;
  fake.pipelines.push(
    { id: pipelines.sale.id, display_value: pipelines.sale.name, default: true, stages: [{ actual_value: 'Qualification', forecast_type: 'Open' }, { actual_value: 'Negotiation/Review', forecast_type: 'Open' }, { actual_value: 'Closed Won', forecast_type: 'Closed Won' }, { actual_value: 'Closed Lost', forecast_type: 'Closed Lost' }, { actual_value: 'Closed Lost to Competition', forecast_type: 'Closed Lost' }] },
    { id: pipelines.purchase.id, display_value: pipelines.purchase.name, default: false, stages: [{ actual_value: 'Negotiating', forecast_type: 'Open' }, { actual_value: 'Ordered', forecast_type: 'Closed Won' }, { actual_value: 'Cancelled', forecast_type: 'Closed Lost' }] },
  );
}

function fieldsOf(deal: Partial<TargetDeal>, before?: ZohoDeal): Partial<ZohoDeal> {
  const owners = { 'mapped-by-id': zohoUsers.maya, 'mapped-by-email': zohoUsers.omar, unmapped: zohoUsers.lena, none: null };
  const purchase = deal.purchase ?? before?.Pipeline.id === pipelines.purchase.id;
  const currentStage = before ? (Object.entries(pipelines[purchase ? 'purchase' : 'sale'].stages).find(([, name]) => name === before.Stage)?.[0] as TargetDeal['stage'] | undefined) : undefined;
  const stage = deal.stage ?? currentStage ?? 'open';
  const pipeline = pipelines[purchase ? 'purchase' : 'sale'];
  const owner = deal.owner === undefined ? undefined : owners[deal.owner];
  return {
    ...(deal.title !== undefined ? { Deal_Name: deal.title } : {}),
    ...(deal.amount !== undefined ? { Amount: deal.amount } : {}),
    ...(deal.currency !== undefined ? { Currency: deal.currency === 'USD' ? 'USD' : 'EUR' } : {}),
    ...(owner !== undefined ? { Owner: owner && { name: owner.full_name, id: owner.id, email: owner.email } } : {}),
    ...(deal.closeDate !== undefined ? { Closing_Date: deal.closeDate } : {}),
    ...(deal.stage !== undefined || deal.purchase !== undefined ? { Stage: pipeline.stages[stage], Pipeline: { name: pipeline.name, id: pipeline.id }, Type: purchase ? 'Purchase' : 'New Business' } : {}),
  };
}

/** Zoho CRM API v8 with a refresh token, as the contract drives it. */
export function zohoTarget(): ContractTarget {
  return {
    name: 'Zoho CRM v8',
    crm: 'zoho',
    async start(): Promise<RunningTarget> {
      const running = await startZohoFake();
      const { fake } = running;
      seedZohoOrg(fake);
      const count = (path: string, method = 'POST') => fake.log.filter((entry) => entry.path === path && entry.method === method).length;
      return {
        origin: running.origin,
        api: 'v8',
        clientId: fake.client.id,
        secret: `${fake.client.secret}:${fake.client.refreshToken}`,
        owners: {
          byId: { crmId: zohoUsers.maya.id, email: 'maya.work@headway.example' },
          byEmail: { crmId: zohoUsers.omar.id, email: zohoUsers.omar.email },
          unmapped: { crmId: zohoUsers.lena.id, name: zohoUsers.lena.full_name },
        },
        purchaseRule: { field: 'Type', value: 'Purchase' },
        stages: pipelines.sale.stages,
        rateLimitSaysWhen: false,
        addDeals(deals, options = {}) {
          const at = options.modifiedAtMs ?? Date.now();
          return deals.map((deal, index) => {
            const fields = fieldsOf(deal);
            return fake.addDeal({ Deal_Name: deal.title, Amount: null, Currency: 'EUR', Stage: 'Qualification', Pipeline: { name: pipelines.sale.name, id: pipelines.sale.id }, Probability: null, Owner: null, Closing_Date: null, Type: null, ...fields }, options.sameModifiedTime ? at : at + index * 1000).id;
          });
        },
        editDeal(crmId, change, options = {}) {
          fake.editDeal(crmId, fieldsOf(change, fake.deals.get(crmId)), options.modifiedAtMs);
        },
        deleteDeal(crmId) {
          const deal = fake.deals.get(crmId)!;
          fake.deals.delete(crmId);
          fake.deleted.push({ id: crmId, display_name: deal.Deal_Name, type: 'recycle', deleted_time: Date.now() });
        },
        purgeDeal: (crmId) => void fake.deals.delete(crmId),
        dealOwnerCrmId: (crmId) => fake.deals.get(crmId)?.Owner?.id ?? null,
        notesOn: (crmId) => [...fake.notes.values()].filter((note) => note.Parent_Id.id === crmId).map((note) => ({ id: note.id, text: `${note.Note_Title}\n${note.Note_Content}`, authorCrmId: note.Owner.id })),
        tasksOn: (crmId) => [...fake.tasks.values()].filter((task) => task.What_Id.id === crmId).map((task) => ({ id: task.id, title: task.Subject, due: task.Due_Date })),
        denyNotes(denied) {
          fake.settings.notesDenied = denied;
        },
        expireTokens() {
          for (const token of fake.accessTokens.keys()) fake.accessTokens.set(token, Date.now());
        },
        rateLimit(limit) {
          fake.settings.rateLimit = limit && { everyNth: limit.everyNth };
          fake.requestCount = 0;
        },
        requests: () => ({ list: count('/crm/v8/coql'), create: count('/crm/v8/Notes') + count('/crm/v8/Tasks'), all: fake.log.length }),
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
