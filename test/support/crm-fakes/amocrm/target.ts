import type { ContractTarget, RunningTarget, TargetDeal } from '../../../server/connectors/target';
import { startAmoFake } from './server';
import { lost, won, type AmoFake, type AmoLead } from './state';

/** Who the fake knows: the admin whose long-lived token Headway uses, and the sales team. */
export const amoUsers = {
  integration: { id: 5_810_001, name: 'Headway Integration', email: 'headway@acme.example', active: true },
  maya: { id: 5_810_002, name: 'Maya Chen', email: 'Maya.Chen@acme.example', active: true },
  omar: { id: 5_810_003, name: 'Omar Haddad', email: 'Omar.Haddad@acme.example', active: true },
  lena: { id: 5_810_004, name: 'Lena Berg', email: 'lena@elsewhere.example', active: true },
} as const;

export const amoToken = 'def50200a1b2c3d4e5f6.long-lived.token';

/** Two pipelines (sales, purchasing) besides the team; answers their ids and open statuses. */
export function seedAmoAccount(fake: AmoFake) {
  for (const user of Object.values(amoUsers)) fake.addUser({ ...user });
  fake.tokens.set(amoToken, amoUsers.integration.id);
  const sales = fake.addPipeline(6_821_134, 'Продажи', [[57_562_510, 'Первичный контакт'], [57_562_513, 'Переговоры'], [57_562_516, 'Принимают решение']], true);
  const purchasing = fake.addPipeline(6_821_200, 'Закупки', [[57_563_001, 'Запрос поставщику'], [57_563_004, 'Согласование']]);
  return { sales: { id: sales.id, open: 57_562_513 }, purchasing: { id: purchasing.id, open: 57_563_004 } };
}

const seconds = (ms: number) => Math.floor(ms / 1000);
const midnight = (date: string) => seconds(Date.parse(`${date}T00:00:00Z`));

/** amoCRM, through API v4 with a long-lived token, as the contract suite drives it. */
export function amoTarget(): ContractTarget {
  return {
    name: 'amoCRM API v4',
    crm: 'amocrm',
    async start(): Promise<RunningTarget> {
      const running = await startAmoFake();
      const { fake } = running;
      const pipelines = seedAmoAccount(fake);
      const owners = { 'mapped-by-id': amoUsers.maya.id, 'mapped-by-email': amoUsers.omar.id, unmapped: amoUsers.lena.id, none: amoUsers.integration.id };
      const fields = (deal: Partial<TargetDeal>, current?: AmoLead): Partial<AmoLead> => {
        const purchase = deal.purchase ?? (current ? current.pipeline_id === pipelines.purchasing.id : false);
        const pipeline = purchase ? pipelines.purchasing : pipelines.sales;
        const stage = deal.stage ?? (current ? (current.status_id === won ? 'won' : current.status_id === lost ? 'lost' : 'open') : 'open');
        const closeDate = deal.closeDate === undefined ? undefined : deal.closeDate;
        return {
          ...(deal.title !== undefined ? { name: deal.title } : {}),
          // amoCRM keeps a whole budget in `price` and one with minor units beside it; an empty budget is 0.
          ...(deal.amount !== undefined ? { price: Math.trunc(deal.amount ?? 0), price_with_minor_units: deal.amount !== null && !Number.isInteger(deal.amount) ? deal.amount : null } : {}),
          ...(deal.owner !== undefined ? { responsible_user_id: owners[deal.owner] } : {}),
          ...(deal.purchase !== undefined || deal.stage !== undefined ? { pipeline_id: pipeline.id, status_id: stage === 'won' ? won : stage === 'lost' ? lost : pipeline.open } : {}),
          // closed_at is set when a lead reaches 142 or 143; an open lead has none (and no expected close date).
          ...(stage !== 'open' && closeDate ? { closed_at: midnight(closeDate) } : stage === 'open' && deal.stage !== undefined ? { closed_at: null } : {}),
        };
      };
      return {
        origin: running.origin,
        api: 'v4',
        secret: amoToken,
        owners: {
          byId: { crmId: String(amoUsers.maya.id), email: 'maya.work@headway.example' },
          byEmail: { crmId: String(amoUsers.omar.id), email: amoUsers.omar.email },
          unmapped: { crmId: String(amoUsers.lena.id), name: amoUsers.lena.name },
        },
        purchaseRule: { field: 'pipeline_id', value: String(pipelines.purchasing.id) },
        stages: { open: String(pipelines.sales.open), won: String(won), lost: String(lost) },
        holds: { oneCurrency: fake.account.currency, expectedClose: false, ownerless: false, renewableTokens: false, rateLimitWaitMs: 1000 },
        addDeals(deals, options = {}) {
          const at = options.modifiedAtMs ?? Date.now();
          return deals.map((deal, index) => {
            const lead = fake.addLead({ name: deal.title, pipeline_id: pipelines.sales.id, status_id: pipelines.sales.open, responsible_user_id: amoUsers.maya.id, ...fields(deal), updated_at: seconds(options.sameModifiedTime ? at : at + index) });
            return String(lead.id);
          });
        },
        editDeal(crmId, change, options = {}) {
          const current = fake.leads.get(Number(crmId))!;
          fake.editLead(current.id, { ...fields(change, current), ...(options.modifiedAtMs !== undefined ? { updated_at: seconds(options.modifiedAtMs) } : {}) });
        },
        // amoCRM's lists never show a deleted lead; deleted or purged, it is simply gone from the API.
        deleteDeal: (crmId) => void fake.leads.delete(Number(crmId)),
        purgeDeal: (crmId) => void fake.leads.delete(Number(crmId)),
        dealOwnerCrmId: (crmId) => {
          const owner = fake.leads.get(Number(crmId))?.responsible_user_id;
          return owner ? String(owner) : null;
        },
        notesOn: (crmId) =>
          [...fake.notes.values()].filter((note) => note.entity_id === Number(crmId)).map((note) => ({ id: String(note.id), text: note.params.text, authorCrmId: String(note.responsible_user_id) })),
        tasksOn: (crmId) =>
          [...fake.tasks.values()]
            .filter((task) => task.entity_type === 'leads' && task.entity_id === Number(crmId))
            .map((task) => ({ id: String(task.id), title: task.text.split('\n')[0] ?? '', due: new Date(task.complete_till * 1000).toISOString().slice(0, 10) })),
        denyNotes(denied) {
          fake.settings.notesDenied = denied;
        },
        // A long-lived token that expires or is revoked stops working for good (see holds.renewableTokens).
        expireTokens: () => fake.tokens.clear(),
        rateLimit(limit) {
          fake.settings.rateLimit = limit && { everyNth: limit.everyNth };
          fake.requestCount = 0;
        },
        requests: () => ({
          // Page listings; the one-lead probes that check a numbered page's boundary (amocrm/listing.ts) are not pages.
          list: fake.log.filter((entry) => entry.method === 'GET' && entry.path === '/api/v4/leads' && entry.limit !== 1).length,
          create: fake.log.filter((entry) => entry.method === 'POST').length,
          all: fake.log.length,
        }),
        failListingAfter(n) {
          fake.failListingAfter = n;
        },
        switchApiOff() {
          fake.settings.paid = false;
        },
        close: () => running.close(),
      };
    },
  };
}
