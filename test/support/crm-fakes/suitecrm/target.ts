import type { ContractTarget, RunningTarget, TargetDeal } from '../../../server/connectors/target';
import { startSuiteFake } from './server';
import { seedSuiteTeam, suiteClients, suiteUsers } from './seed';
import type { RequestLogEntry } from './state';
import { dbTime, type Row } from './tables';

/** SuiteCRM, through one of its two APIs, as the contract suite drives it. */
export function suiteTarget(api: 'v8' | 'legacy'): ContractTarget {
  return {
    name: `SuiteCRM ${api === 'v8' ? 'V8' : 'v4_1 (legacy)'}`,
    crm: 'suitecrm',
    async start(): Promise<RunningTarget> {
      const running = await startSuiteFake();
      const { fake } = running;
      const { usdId } = seedSuiteTeam(fake);
      const owners = { 'mapped-by-id': suiteUsers.maya.id, 'mapped-by-email': suiteUsers.omar.id, unmapped: suiteUsers.lena.id, none: '' };
      const stageOf = { open: 'Negotiation/Review', won: 'Closed Won', lost: 'Closed Lost' };
      const fields = (deal: Partial<TargetDeal>): Partial<Row> => ({
        ...(deal.title !== undefined ? { name: deal.title } : {}),
        ...(deal.amount !== undefined ? { amount: deal.amount === null ? '' : String(deal.amount) } : {}),
        ...(deal.currency !== undefined ? { currency_id: deal.currency === 'USD' ? usdId : '-99' } : {}),
        ...(deal.stage !== undefined ? { sales_stage: stageOf[deal.stage] } : {}),
        ...(deal.owner !== undefined ? { assigned_user_id: owners[deal.owner] } : {}),
        ...(deal.purchase !== undefined ? { opportunity_type: deal.purchase ? 'Purchase' : 'New Business' } : {}),
        ...(deal.closeDate !== undefined ? { date_closed: deal.closeDate ?? '' } : {}),
      });
      const count = (predicate: (entry: RequestLogEntry) => boolean) => fake.log.filter(predicate).length;
      return {
        origin: running.origin,
        api,
        ...(api === 'v8' ? { clientId: suiteClients.credentials.id, secret: suiteClients.credentials.secret } : { username: suiteUsers.integration.userName, secret: suiteUsers.integration.password }),
        owners: {
          byId: { crmId: suiteUsers.maya.id, email: 'maya.work@headway.example' },
          byEmail: { crmId: suiteUsers.omar.id, email: suiteUsers.omar.email },
          unmapped: { crmId: suiteUsers.lena.id, name: `${suiteUsers.lena.firstName} ${suiteUsers.lena.lastName}` },
        },
        purchaseRule: { field: 'opportunity_type', value: 'Purchase' },
        stages: stageOf,
        addDeals(deals, options = {}) {
          const at = options.modifiedAtMs ?? fake.now();
          return deals.map((deal, index) =>
            fake.addOpportunity({ name: deal.title, ...fields(deal), date_modified: dbTime(options.sameModifiedTime ? at : at + index) } as Row & { name: string }).id!,
          );
        },
        editDeal(crmId, change, options = {}) {
          fake.editOpportunity(crmId, { ...fields(change), ...(options.modifiedAtMs !== undefined ? { date_modified: dbTime(options.modifiedAtMs) } : {}) });
        },
        deleteDeal: (crmId) => fake.markDeleted('Opportunities', crmId),
        purgeDeal: (crmId) => fake.purge('Opportunities', crmId),
        dealOwnerCrmId: (crmId) => fake.tables.Opportunities!.rows.get(crmId)?.assigned_user_id || null,
        notesOn: (crmId) =>
          [...fake.tables.Notes!.rows.values()]
            .filter((note) => note.parent_type === 'Opportunities' && note.parent_id === crmId && note.deleted === '0')
            .map((note) => ({ id: note.id!, text: `${note.name}\n${note.description}`, authorCrmId: note.assigned_user_id || null })),
        tasksOn: (crmId) =>
          [...fake.tables.Tasks!.rows.values()]
            .filter((task) => task.parent_type === 'Opportunities' && task.parent_id === crmId)
            .map((task) => ({ id: task.id!, title: task.name ?? '', due: task.date_due ? task.date_due.slice(0, 10) : null })),
        denyNotes(denied) {
          const user = fake.users.get(suiteUsers.integration.id)!;
          user.denied = denied ? ['Notes'] : [];
        },
        expireTokens() {
          fake.expireTokens();
          fake.expireSessions();
        },
        rateLimit(limit) {
          fake.settings.rateLimit = limit;
          fake.requestCount = 0;
        },
        requests: () => ({
          list: count((entry) => (entry.call === 'get_entry_list' && entry.module === 'Opportunities') || entry.call === '/V8/module/Opportunities'),
          create: count((entry) => entry.call === 'set_entry' || (entry.call === '/V8/module' && entry.method === 'POST')),
          all: fake.log.length,
        }),
        failListingAfter(n) {
          fake.failListingAfter = n;
        },
        switchApiOff() {
          if (api === 'v8') fake.settings.v8 = 'no-keys';
          else fake.settings.legacy = 'off';
        },
        close: () => running.close(),
      };
    },
  };
}
