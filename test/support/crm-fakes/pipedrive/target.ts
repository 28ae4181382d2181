import type { ContractTarget, RunningTarget, TargetDeal } from '../../../server/connectors/target';
import { startPipedriveFake } from './server';
import type { PipedriveDeal, PipedriveFake } from './state';

/** Who the fake knows: the admin whose API token Headway uses, and the sales team. */
export const pipedriveUsers = {
  admin: { id: 13_480_001, name: 'Headway Integration', email: 'headway@acme.example', active_flag: true, is_admin: true },
  maya: { id: 13_480_002, name: 'Maya Chen', email: 'Maya.Chen@acme.example', active_flag: true, is_admin: false },
  omar: { id: 13_480_003, name: 'Omar Haddad', email: 'Omar.Haddad@acme.example', active_flag: true, is_admin: false },
  lena: { id: 13_480_004, name: 'Lena Berg', email: 'lena@elsewhere.example', active_flag: false, is_admin: false },
} as const;

export const pipedriveToken = '5f3c9a0b7e1d24c68a9b0c1d2e3f405162738495';

/** A sales and a purchasing pipeline with their stages; answers their ids and an open stage of each. */
export function seedPipedriveCompany(fake: PipedriveFake) {
  for (const user of Object.values(pipedriveUsers)) fake.users.set(user.id, { ...user });
  fake.tokens.set(pipedriveToken, pipedriveUsers.admin.id);
  fake.pipelines.push({ id: 1, name: 'Sales', order_nr: 1 }, { id: 2, name: 'Purchasing', order_nr: 2 });
  fake.stages.push(
    { id: 1, name: 'Qualified', pipeline_id: 1, order_nr: 1, deal_probability: 20 },
    { id: 2, name: 'Proposal Made', pipeline_id: 1, order_nr: 2, deal_probability: 60 },
    { id: 3, name: 'Negotiations Started', pipeline_id: 1, order_nr: 3, deal_probability: 80 },
    { id: 6, name: 'Quote requested', pipeline_id: 2, order_nr: 1, deal_probability: 50 },
    { id: 7, name: 'Ordered', pipeline_id: 2, order_nr: 2, deal_probability: 90 },
  );
  return { sales: { id: 1, open: 2 }, purchasing: { id: 2, open: 6 } };
}

const midnight = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** Pipedrive, through a user's API token, as the contract suite drives it. */
export function pipedriveTarget(): ContractTarget {
  return {
    name: 'Pipedrive API v2',
    crm: 'pipedrive',
    async start(): Promise<RunningTarget> {
      const running = await startPipedriveFake();
      const { fake } = running;
      const pipelines = seedPipedriveCompany(fake);
      const owners = { 'mapped-by-id': pipedriveUsers.maya.id, 'mapped-by-email': pipedriveUsers.omar.id, unmapped: pipedriveUsers.lena.id, none: pipedriveUsers.admin.id };
      const fields = (deal: Partial<TargetDeal>, current?: PipedriveDeal): Partial<PipedriveDeal> => {
        const purchase = deal.purchase ?? current?.pipeline_id === pipelines.purchasing.id;
        const pipeline = purchase ? pipelines.purchasing : pipelines.sales;
        const stage = deal.stage ?? (current?.status === 'won' || current?.status === 'lost' ? current.status : 'open');
        const closeDate = deal.closeDate === undefined ? current?.expected_close_date ?? null : deal.closeDate;
        // Won and lost are the deal's status; the deal stays in its stage, and the time it closed is kept.
        const closed = closeDate ? midnight(closeDate) : Date.now();
        return {
          ...(deal.title !== undefined ? { title: deal.title } : {}),
          ...(deal.amount !== undefined ? { value: deal.amount ?? 0 } : {}),
          ...(deal.currency !== undefined ? { currency: deal.currency === 'USD' ? 'USD' : fake.company.currency } : {}),
          ...(deal.owner !== undefined ? { owner_id: owners[deal.owner] } : {}),
          ...(deal.purchase !== undefined ? { pipeline_id: pipeline.id, stage_id: pipeline.open } : {}),
          ...(deal.closeDate !== undefined ? { expected_close_date: deal.closeDate } : {}),
          ...(deal.stage !== undefined
            ? { status: stage, won_time: stage === 'won' ? closed : null, lost_time: stage === 'lost' ? closed : null, close_time: stage === 'open' ? null : closed }
            : {}),
        };
      };
      return {
        origin: running.origin,
        api: 'v2',
        secret: pipedriveToken,
        owners: {
          byId: { crmId: String(pipedriveUsers.maya.id), email: 'maya.work@headway.example' },
          byEmail: { crmId: String(pipedriveUsers.omar.id), email: pipedriveUsers.omar.email },
          unmapped: { crmId: String(pipedriveUsers.lena.id), name: pipedriveUsers.lena.name },
        },
        purchaseRule: { field: 'pipeline_id', value: String(pipelines.purchasing.id) },
        stages: { open: String(pipelines.sales.open), won: 'won', lost: 'lost' },
        // Every deal has an owner (its creator unless given); an API token does not expire, it is regenerated.
        holds: { ownerless: false, renewableTokens: false },
        addDeals(deals, options = {}) {
          const at = options.modifiedAtMs ?? Date.now();
          return deals.map((deal, index) => {
            // Pipedrive keeps whole seconds: distinct times need distinct seconds.
            const made = fake.addDeal({ title: deal.title, owner_id: owners['mapped-by-id'], pipeline_id: pipelines.sales.id, stage_id: pipelines.sales.open, ...fields(deal), update_time: options.sameModifiedTime ? at : at + index * 1000 });
            return String(made.id);
          });
        },
        editDeal(crmId, change, options = {}) {
          const current = fake.deals.get(Number(crmId))!;
          fake.editDeal(current.id, fields(change, current), options.modifiedAtMs ?? Date.now());
        },
        // A deleted deal keeps status "deleted" for 30 days; then, or when deleted for good, it is gone.
        deleteDeal: (crmId) => void fake.editDeal(Number(crmId), { status: 'deleted' }),
        purgeDeal: (crmId) => void fake.deals.delete(Number(crmId)),
        dealOwnerCrmId: (crmId) => {
          const owner = fake.deals.get(Number(crmId))?.owner_id;
          return owner ? String(owner) : null;
        },
        notesOn: (crmId) => [...fake.notes.values()].filter((note) => note.deal_id === Number(crmId)).map((note) => ({ id: String(note.id), text: note.content, authorCrmId: String(note.user_id) })),
        tasksOn: (crmId) => [...fake.activities.values()].filter((activity) => activity.deal_id === Number(crmId)).map((activity) => ({ id: String(activity.id), title: activity.subject, due: activity.due_date })),
        denyNotes(denied) {
          fake.settings.notesDenied = denied;
        },
        expireTokens: () => fake.tokens.clear(),
        rateLimit(limit) {
          fake.settings.rateLimit = limit && { everyNth: limit.everyNth, resetSeconds: limit.retryAfterSeconds };
          fake.requestCount = 0;
        },
        requests: () => ({
          list: fake.log.filter((entry) => entry.method === 'GET' && entry.path === '/api/v2/deals' && entry.sortBy === 'update_time' && entry.status === 200).length,
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
