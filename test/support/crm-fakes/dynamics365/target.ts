import type { ContractTarget, RunningTarget, TargetDeal } from '../../../server/connectors/target';
import { startDynamicsFake } from './server';
import { DynamicsFake, type DvRow } from './state';

/** The environment's currencies and team; the application user is who the app registration acts as. */
export function seedDynamicsOrg(fake: DynamicsFake) {
  const currencies = {
    EUR: String(fake.insert('transactioncurrencies', { isocurrencycode: 'EUR', currencyname: 'Euro' }).transactioncurrencyid),
    USD: String(fake.insert('transactioncurrencies', { isocurrencycode: 'USD', currencyname: 'US Dollar' }).transactioncurrencyid),
  };
  const user = (fullname: string, email: string, applicationid: string | null = null) => String(fake.insert('systemusers', { fullname, internalemailaddress: email, isdisabled: false, applicationid }).systemuserid);
  const users = {
    integration: user('# Headway', 'headway@acme.example', fake.app.clientId),
    maya: user('Maya Chen', 'Maya.Chen@acme.example'),
    omar: user('Omar Haddad', 'Omar.Haddad@acme.example'),
    lena: user('Lena Berg', 'lena@elsewhere.example'),
  };
  fake.applicationUserId = users.integration;
  return { currencies, users };
}

/** statecode/statuscode of each contract stage: In Progress, Won, Out-Sold. */
const states = { open: { statecode: 0, statuscode: 1 }, won: { statecode: 1, statuscode: 3 }, lost: { statecode: 2, statuscode: 5 } } as const;

/** Dynamics 365 Sales through the Dataverse Web API and an app registration's client credentials. */
export function dynamicsTarget(): ContractTarget {
  return {
    name: 'Dynamics 365 Web API',
    crm: 'dynamics365',
    async start(): Promise<RunningTarget> {
      const running = await startDynamicsFake();
      const { fake } = running;
      const { currencies, users } = seedDynamicsOrg(fake);
      const owners = { 'mapped-by-id': users.maya, 'mapped-by-email': users.omar, unmapped: users.lena, none: users.integration };
      const columns = (deal: Partial<TargetDeal>, before?: DvRow): DvRow => {
        const stage = deal.stage ?? (before ? (Object.entries(states).find(([, s]) => s.statecode === before.statecode)?.[0] as TargetDeal['stage']) : 'open');
        const closeDate = deal.closeDate !== undefined ? deal.closeDate : ((before?.estimatedclosedate as string | null | undefined) ?? null);
        return {
          ...(deal.title !== undefined ? { name: deal.title } : {}),
          ...(deal.amount !== undefined ? { estimatedvalue: deal.amount } : {}),
          ...(deal.currency !== undefined ? { _transactioncurrencyid_value: deal.currency === 'USD' ? currencies.USD : currencies.EUR } : {}),
          // Every opportunity has an owner in Dataverse (holds.ownerless).
          ...(deal.owner !== undefined ? { _ownerid_value: owners[deal.owner] } : {}),
          ...(deal.purchase !== undefined ? { new_opportunitytype: deal.purchase ? 'Purchase' : 'Sale' } : {}),
          ...(deal.closeDate !== undefined ? { estimatedclosedate: deal.closeDate } : {}),
          // Closing as won or lost (WinOpportunity / LoseOpportunity) sets the state and actualclosedate.
          ...(deal.stage !== undefined || deal.closeDate !== undefined ? { ...states[stage], actualclosedate: stage === 'open' ? null : closeDate } : {}),
        };
      };
      return {
        origin: running.origin,
        api: 'webapi',
        clientId: fake.app.clientId,
        secret: fake.app.secret,
        owners: {
          byId: { crmId: users.maya, email: 'maya.work@headway.example' },
          byEmail: { crmId: users.omar, email: 'Omar.Haddad@acme.example' },
          unmapped: { crmId: users.lena, name: 'Lena Berg' },
        },
        purchaseRule: { field: 'new_opportunitytype', value: 'Purchase' },
        stages: { open: '1', won: '3', lost: '5' },
        holds: { ownerless: false },
        addDeals(deals, options = {}) {
          const at = options.modifiedAtMs ?? Date.now();
          return deals.map((deal, index) => {
            const stamp = DynamicsFake.second(options.sameModifiedTime ? at : at + index);
            return String(fake.insert('opportunities', { closeprobability: 50, ...columns(deal), modifiedon: stamp, createdon: stamp }).opportunityid);
          });
        },
        editDeal(crmId, change, options = {}) {
          const before = fake.table('opportunities').get(crmId)!;
          fake.update('opportunities', crmId, { ...columns(change, before), ...(options.modifiedAtMs !== undefined ? { modifiedon: DynamicsFake.second(options.modifiedAtMs) } : {}) });
        },
        // The Web API keeps no deleted rows: deleted or purged, an opportunity is simply gone.
        deleteDeal: (crmId) => void fake.table('opportunities').delete(crmId),
        purgeDeal: (crmId) => void fake.table('opportunities').delete(crmId),
        dealOwnerCrmId: (crmId) => (fake.table('opportunities').get(crmId)?._ownerid_value as string | null) ?? null,
        notesOn: (crmId) =>
          [...fake.table('annotations').values()].filter((note) => note._objectid_value === crmId).map((note) => ({ id: String(note.annotationid), text: `${note.subject}\n${note.notetext}`, authorCrmId: (note._ownerid_value as string | null) ?? null })),
        tasksOn: (crmId) =>
          [...fake.table('tasks').values()]
            .filter((task) => task._regardingobjectid_value === crmId)
            .map((task) => ({ id: String(task.activityid), title: String(task.subject), due: typeof task.scheduledend === 'number' ? new Date(task.scheduledend).toISOString().slice(0, 10) : null })),
        denyNotes(denied) {
          fake.settings.notesDenied = denied;
        },
        expireTokens: () => fake.tokens.clear(),
        rateLimit(limit) {
          fake.settings.rateLimit = limit;
          fake.requestCount = 0;
        },
        requests: () => ({ list: fake.log.filter((entry) => entry.kind === 'list').length, create: fake.log.filter((entry) => entry.kind === 'create').length, all: fake.log.length }),
        failListingAfter(n) {
          fake.failListingAfter = n;
        },
        switchApiOff() {
          fake.settings.disabled = true;
        },
        close: () => running.close(),
      };
    },
  };
}
