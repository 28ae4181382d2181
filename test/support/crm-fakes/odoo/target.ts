import type { ContractTarget, RunningTarget, TargetDeal } from '../../../server/connectors/target';
import { targetSwitches } from '../traffic';
import { startOdooFake } from './server';
import { odooTime, type OdooFake, type OdooRow } from './state';

export const odooApiKey = '3f1c9a7e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a';
export const odooLogin = 'headway@acme.example';

/** The database's users (each with its partner), stages, teams, currencies and what activities need. */
export function seedOdoo(fake: OdooFake) {
  for (const [code, [id]] of Object.entries(fake.currencies)) fake.table('res.currency').set(id, { id, name: code });
  const user = (name: string, login: string, email: string | false) => {
    const partner = fake.insert('res.partner', { name, email });
    return fake.insert('res.users', { name, login, email, active: true, share: false, partner_id: partner.id });
  };
  const users = {
    integration: user('Headway Integration', odooLogin, odooLogin),
    maya: user('Maya Chen', 'maya', 'Maya.Chen@acme.example'),
    omar: user('Omar Haddad', 'omar.haddad@acme.example', 'Omar.Haddad@acme.example'),
    lena: user('Lena Berg', 'lena', 'lena@elsewhere.example'),
  };
  fake.secrets.set(odooApiKey, { login: odooLogin, uid: users.integration.id });
  // addons/crm/data/crm_stage_data.xml: New, Qualified, Proposition, Won (is_won).
  const stage = (name: string, sequence: number, isWon = false) => fake.insert('crm.stage', { name, sequence, is_won: isWon, fold: isWon });
  const stages = { new: stage('New', 1), qualified: stage('Qualified', 2), proposition: stage('Proposition', 3), won: stage('Won', 70, true) };
  const teams = { sales: fake.insert('crm.team', { name: 'Sales' }), purchasing: fake.insert('crm.team', { name: 'Purchasing' }) };
  fake.insert('ir.model', { model: 'crm.lead', name: 'Lead' });
  const todo = fake.insert('mail.activity.type', { name: 'To-Do', category: 'default' });
  fake.insert('ir.model.data', { module: 'mail', name: 'mail_activity_data_todo', model: 'mail.activity.type', res_id: todo.id });
  return { users, stages, teams };
}

const midnight = (date: string) => `${date} 00:00:00`;

/** Odoo, through its external JSON-RPC API with an API key, as the contract suite drives it. */
export function odooTarget(): ContractTarget {
  return {
    name: 'Odoo JSON-RPC',
    crm: 'odoo',
    async start(): Promise<RunningTarget> {
      const running = await startOdooFake();
      const { fake } = running;
      const { users, stages, teams } = seedOdoo(fake);
      const owners = { 'mapped-by-id': users.maya.id, 'mapped-by-email': users.omar.id, unmapped: users.lena.id, none: false };
      const fields = (deal: Partial<TargetDeal>, current?: OdooRow): Record<string, unknown> => {
        const stage = deal.stage ?? (current ? (current.active === false ? 'lost' : current.stage_id === stages.won.id ? 'won' : 'open') : 'open');
        const closeDate = deal.closeDate === undefined ? (current?.date_deadline as string | false | undefined) : deal.closeDate;
        return {
          ...(deal.title !== undefined ? { name: deal.title } : {}),
          // expected_revenue defaults to 0.0; the lead's currency is its company's.
          ...(deal.amount !== undefined ? { expected_revenue: deal.amount ?? 0 } : {}),
          ...(deal.currency !== undefined ? { company_currency: fake.currencies[deal.currency === 'USD' ? 'USD' : 'EUR'][0] } : {}),
          ...(deal.owner !== undefined ? { user_id: owners[deal.owner] } : {}),
          ...(deal.purchase !== undefined ? { team_id: deal.purchase ? teams.purchasing.id : teams.sales.id } : {}),
          ...(deal.closeDate !== undefined ? { date_deadline: deal.closeDate ?? false } : {}),
          // Won: a stage with is_won (probability 100, date_closed set); lost: archived with probability 0
          // (action_set_lost), keeping its stage.
          ...(deal.stage !== undefined
            ? stage === 'won'
              ? { stage_id: stages.won.id, active: true, probability: 100, date_closed: closeDate ? midnight(closeDate) : odooTime(Date.now()) }
              : stage === 'lost'
                ? { stage_id: stages.proposition.id, active: false, probability: 0, date_closed: closeDate ? midnight(closeDate) : odooTime(Date.now()) }
                : { stage_id: stages.proposition.id, active: true, probability: 50, date_closed: false }
            : {}),
        };
      };
      return {
        origin: running.origin,
        api: 'jsonrpc',
        clientId: fake.database,
        username: odooLogin,
        secret: odooApiKey,
        owners: {
          byId: { crmId: String(users.maya.id), email: 'maya.work@headway.example' },
          byEmail: { crmId: String(users.omar.id), email: 'Omar.Haddad@acme.example' },
          unmapped: { crmId: String(users.lena.id), name: 'Lena Berg' },
        },
        purchaseRule: { field: 'team_id', value: String(teams.purchasing.id) },
        stages: { open: String(stages.proposition.id), won: String(stages.won.id), lost: 'lost' },
        holds: { renewableTokens: false },
        addDeals(deals, options = {}) {
          const at = options.modifiedAtMs ?? Date.now();
          return deals.map((deal, index) => {
            const when = options.sameModifiedTime ? at : at + index * 1000;
            return String(fake.insert('crm.lead', { type: 'opportunity', active: true, stage_id: stages.proposition.id, probability: 50, date_closed: false, team_id: teams.sales.id, ...fields(deal) }, when).id);
          });
        },
        editDeal(crmId, change, options = {}) {
          const current = fake.table('crm.lead').get(Number(crmId))!;
          fake.write('crm.lead', current.id, fields(change, current), options.modifiedAtMs ?? Date.now());
        },
        // unlink leaves no trace (an archived lead is another matter: lost, or out of the pipeline).
        deleteDeal: (crmId) => void fake.table('crm.lead').delete(Number(crmId)),
        purgeDeal: (crmId) => void fake.table('crm.lead').delete(Number(crmId)),
        dealOwnerCrmId: (crmId) => {
          const owner = fake.table('crm.lead').get(Number(crmId))?.user_id;
          return typeof owner === 'number' ? String(owner) : null;
        },
        notesOn: (crmId) =>
          [...fake.table('mail.message').values()]
            .filter((message) => message.model === 'crm.lead' && message.res_id === Number(crmId) && message.subtype_xmlid === 'mail.mt_note')
            .map((message) => {
              const author = [...fake.table('res.users').values()].find((user) => user.partner_id === message.author_id);
              const text = String(message.body).replace(/<br>/g, '\n').replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
              return { id: String(message.id), text, authorCrmId: author ? String(author.id) : null };
            }),
        tasksOn: (crmId) =>
          [...fake.table('mail.activity').values()].filter((activity) => activity.res_id === Number(crmId)).map((activity) => ({ id: String(activity.id), title: String(activity.summary), due: (activity.date_deadline as string) ?? null })),
        // An API key is revoked, never expired by time (see holds.renewableTokens).
        expireTokens: () => fake.secrets.clear(),
        requests: () => ({
          list: fake.log.filter((entry) => entry.model === 'crm.lead' && entry.method === 'search_read').length,
          create: fake.log.filter((entry) => entry.method === 'message_post' || entry.method === 'create').length,
          all: fake.log.length,
        }),
        ...targetSwitches(fake),
        close: () => running.close(),
      };
    },
  };
}
