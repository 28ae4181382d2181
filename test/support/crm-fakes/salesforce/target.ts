import type { ContractTarget, RunningTarget, TargetDeal } from '../../../server/connectors/target';
import { startSalesforceFake } from './server';
import { SalesforceFake, type SfRecord } from './state';

/** The org's stages (a subset of a new org's defaults) and its team. */
export function seedSalesforceOrg(fake: SalesforceFake) {
  const stages: [string, boolean, boolean][] = [['Prospecting', false, false], ['Negotiation/Review', false, false], ['Closed Won', true, true], ['Closed Lost', true, false]];
  stages.forEach(([name, closed, won], index) => fake.insert('OpportunityStage', { ApiName: name, MasterLabel: name, IsActive: true, IsClosed: closed, IsWon: won, SortOrder: index + 1, DefaultProbability: won ? 100 : closed ? 0 : 10 * (index + 1) }));
  const user = (name: string, email: string) => String(fake.insert('User', { Name: name, Username: `${email.toLowerCase()}.acme`, Email: email, IsActive: true }).Id);
  const users = {
    integration: user('Headway Integration', 'headway@acme.example'),
    maya: user('Maya Chen', 'Maya.Chen@acme.example'),
    omar: user('Omar Haddad', 'Omar.Haddad@acme.example'),
    lena: user('Lena Berg', 'lena@elsewhere.example'),
  };
  fake.runAsUserId = users.integration;
  return users;
}

const stageNames = { open: 'Negotiation/Review', won: 'Closed Won', lost: 'Closed Lost' } as const;

/** Salesforce through the REST API and a connected app's client-credentials flow, as the contract drives it. */
export function salesforceTarget(): ContractTarget {
  return {
    name: 'Salesforce REST',
    crm: 'salesforce',
    async start(): Promise<RunningTarget> {
      const running = await startSalesforceFake();
      const { fake } = running;
      const users = seedSalesforceOrg(fake);
      const owners = { 'mapped-by-id': users.maya, 'mapped-by-email': users.omar, unmapped: users.lena, none: users.integration };
      const opportunity = (id: string) => fake.table('Opportunity').get(id)!;
      const fields = (deal: Partial<TargetDeal>): SfRecord => ({
        ...(deal.title !== undefined ? { Name: deal.title } : {}),
        ...(deal.amount !== undefined ? { Amount: deal.amount } : {}),
        ...(deal.currency !== undefined ? { CurrencyIsoCode: deal.currency === 'USD' ? 'USD' : 'EUR' } : {}),
        // Every opportunity has an owner in Salesforce (holds.ownerless).
        ...(deal.owner !== undefined ? { OwnerId: owners[deal.owner] } : {}),
        ...(deal.purchase !== undefined ? { Type: deal.purchase ? 'Purchase' : 'New Customer' } : {}),
        ...(deal.stage !== undefined ? { StageName: stageNames[deal.stage], ...fake.stageFlags(stageNames[deal.stage]) } : {}),
        ...(deal.closeDate ? { CloseDate: deal.closeDate } : {}),
      });
      return {
        origin: running.origin,
        api: 'rest',
        clientId: fake.app.clientId,
        secret: fake.app.clientSecret,
        owners: {
          byId: { crmId: users.maya, email: 'maya.work@headway.example' },
          byEmail: { crmId: users.omar, email: 'Omar.Haddad@acme.example' },
          unmapped: { crmId: users.lena, name: 'Lena Berg' },
        },
        purchaseRule: { field: 'Type', value: 'Purchase' },
        stages: stageNames,
        rateLimitSaysWhen: false,
        holds: { ownerless: false },
        addDeals(deals, options = {}) {
          const at = options.modifiedAtMs ?? Date.now();
          return deals.map((deal, index) => {
            const stamp = SalesforceFake.second(options.sameModifiedTime ? at : at + index);
            return String(fake.insert('Opportunity', { ...fields(deal), CloseDate: deal.closeDate ?? new Date().toISOString().slice(0, 10), CreatedDate: stamp, LastModifiedDate: stamp, SystemModstamp: stamp }).Id);
          });
        },
        editDeal(crmId, change, options = {}) {
          fake.update('Opportunity', crmId, { ...fields(change), ...(options.modifiedAtMs !== undefined ? { SystemModstamp: SalesforceFake.second(options.modifiedAtMs) } : {}) });
        },
        // Deleted: into the recycle bin (IsDeleted, a new SystemModstamp); purged: gone from queryAll too.
        deleteDeal: (crmId) => void fake.update('Opportunity', crmId, { IsDeleted: true }),
        purgeDeal: (crmId) => void fake.table('Opportunity').delete(crmId),
        dealOwnerCrmId: (crmId) => (opportunity(crmId).OwnerId as string | null) ?? null,
        notesOn: (crmId) =>
          [...fake.table('Note').values()].filter((note) => note.ParentId === crmId).map((note) => ({ id: String(note.Id), text: `${note.Title}\n${note.Body}`, authorCrmId: (note.OwnerId as string | null) ?? null })),
        tasksOn: (crmId) => [...fake.table('Task').values()].filter((task) => task.WhatId === crmId).map((task) => ({ id: String(task.Id), title: String(task.Subject), due: (task.ActivityDate as string | null) ?? null })),
        denyNotes(denied) {
          fake.settings.notesDenied = denied;
        },
        expireTokens: () => fake.tokens.clear(),
        rateLimit(limit) {
          fake.settings.rateLimit = limit && { everyNth: limit.everyNth };
          fake.requestCount = 0;
        },
        requests: () => ({ list: fake.log.filter((entry) => entry.kind === 'list').length, create: fake.log.filter((entry) => entry.kind === 'create').length, all: fake.log.length }),
        failListingAfter(n) {
          fake.failListingAfter = n;
        },
        switchApiOff() {
          fake.settings.apiDisabled = true;
        },
        close: () => running.close(),
      };
    },
  };
}
