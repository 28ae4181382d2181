import type { ContractTarget, RunningTarget, TargetDeal } from '../../../server/connectors/target';
import { targetSwitches } from '../traffic';
import { startEspoFake } from './server';
import { espoTime, type EspoFake, type EspoRow } from './state';

/** Who the fake knows: the API user whose key Headway uses, and the sales team. */
export const espoUsers = {
  api: { id: '6740a1c2e3f4a5b60', userName: 'headway-api', name: 'Headway API', type: 'api', emailAddress: null, isActive: true },
  maya: { id: '6740a1c2e3f4a5b61', userName: 'maya', name: 'Maya Chen', type: 'regular', emailAddress: 'Maya.Chen@acme.example', isActive: true },
  omar: { id: '6740a1c2e3f4a5b62', userName: 'omar', name: 'Omar Haddad', type: 'regular', emailAddress: 'Omar.Haddad@acme.example', isActive: true },
  lena: { id: '6740a1c2e3f4a5b63', userName: 'lena', name: 'Lena Berg', type: 'regular', emailAddress: 'lena@elsewhere.example', isActive: true },
} as const;

export const espoApiKey = '8f2c4b9e1d7a6c3f5e0b9a8d7c6e5f4a';

export function seedEspo(fake: EspoFake): void {
  for (const user of Object.values(espoUsers)) fake.addUser({ ...user });
  fake.apiKeys.set(espoApiKey, espoUsers.api.id);
}

const stageOf = { open: 'Negotiation', won: 'Closed Won', lost: 'Closed Lost' } as const;

/** EspoCRM, through its REST API with an API user's key, as the contract suite drives it. */
export function espoTarget(): ContractTarget {
  return {
    name: 'EspoCRM API key',
    crm: 'espocrm',
    async start(): Promise<RunningTarget> {
      const running = await startEspoFake();
      const { fake } = running;
      seedEspo(fake);
      const owners = { 'mapped-by-id': espoUsers.maya.id, 'mapped-by-email': espoUsers.omar.id, unmapped: espoUsers.lena.id, none: null };
      const fields = (deal: Partial<TargetDeal>): Partial<EspoRow> => ({
        ...(deal.title !== undefined ? { name: deal.title } : {}),
        // A currency field keeps its currency beside the amount; an empty amount is null.
        ...(deal.amount !== undefined ? { amount: deal.amount } : {}),
        ...(deal.currency !== undefined ? { amountCurrency: deal.currency === 'USD' ? 'USD' : 'EUR' } : {}),
        ...(deal.stage !== undefined ? { stage: stageOf[deal.stage] } : {}),
        ...(deal.owner !== undefined ? { assignedUserId: owners[deal.owner] } : {}),
        // A custom enum an admin added in the Entity Manager (EspoCRM prefixes custom fields with "c").
        ...(deal.purchase !== undefined ? { cOpportunityType: deal.purchase ? 'Purchase' : 'Sale' } : {}),
        ...(deal.closeDate !== undefined ? { closeDate: deal.closeDate } : {}),
      });
      return {
        origin: running.origin,
        api: 'apikey',
        secret: espoApiKey,
        owners: {
          byId: { crmId: espoUsers.maya.id, email: 'maya.work@headway.example' },
          byEmail: { crmId: espoUsers.omar.id, email: espoUsers.omar.emailAddress },
          unmapped: { crmId: espoUsers.lena.id, name: espoUsers.lena.name },
        },
        purchaseRule: { field: 'cOpportunityType', value: 'Purchase' },
        stages: stageOf,
        holds: { renewableTokens: false, noteAuthor: false },
        addDeals(deals, options = {}) {
          const at = options.modifiedAtMs ?? Date.now();
          return deals.map((deal, index) => fake.addOpportunity({ name: deal.title, ...fields(deal) }, espoTime(options.sameModifiedTime ? at : at + index * 1000), espoUsers.api.id).id);
        },
        editDeal(crmId, change, options = {}) {
          fake.editOpportunity(crmId, fields(change), espoTime(options.modifiedAtMs ?? Date.now()), espoUsers.maya.id);
        },
        // EspoCRM deletes softly and its API never shows a deleted record; emptying the deleted ones purges it.
        deleteDeal: (crmId) => void fake.opportunities.delete(crmId),
        purgeDeal: (crmId) => void fake.opportunities.delete(crmId),
        dealOwnerCrmId: (crmId) => (fake.opportunities.get(crmId)?.assignedUserId as string | null) ?? null,
        notesOn: (crmId) =>
          [...fake.notes.values()].filter((note) => note.parentId === crmId).map((note) => ({ id: note.id, text: String(note.post), authorCrmId: String(note.createdById) })),
        tasksOn: (crmId) =>
          [...fake.tasks.values()].filter((task) => task.parentId === crmId).map((task) => ({ id: task.id, title: String(task.name), due: (task.dateEndDate as string | null) ?? null })),
        // An API key does not expire; revoked, it is gone (see holds.renewableTokens).
        expireTokens: () => fake.apiKeys.clear(),
        requests: () => ({
          list: fake.log.filter((entry) => entry.method === 'GET' && entry.path === 'Opportunity').length,
          create: fake.log.filter((entry) => entry.method === 'POST').length,
          all: fake.log.length,
        }),
        ...targetSwitches(fake),
        close: () => running.close(),
      };
    },
  };
}
