import type { ContractTarget, RunningTarget, TargetDeal } from '../../../server/connectors/target';
import { b24Users, b24Webhook, seedB24Portal } from './seed';
import { startBitrix24Fake } from './server';
import type { B24Deal, Bitrix24Fake } from './state';

/** Stage ids of both pipelines by what the contract asks for: the general pipeline's, or "C3:…" for purchasing. */
const stageIds = {
  sale: { open: 'PREPARATION', won: 'WON', lost: 'LOSE' },
  purchase: { open: 'C3:EXECUTING', won: 'C3:WON', lost: 'C3:LOSE' },
} as const;

/** Where a deal's stage and pipeline go for a (partial) contract deal, given what it was before. */
function fieldsOf(fake: Bitrix24Fake, deal: Partial<TargetDeal>, before?: B24Deal): Partial<B24Deal> {
  const owners = { 'mapped-by-id': b24Users.maya.ID, 'mapped-by-email': b24Users.omar.ID, unmapped: b24Users.lena.ID, none: '0' };
  const purchase = deal.purchase ?? before?.CATEGORY_ID === '3';
  const current = before ? (Object.entries(stageIds[before.CATEGORY_ID === '3' ? 'purchase' : 'sale']).find(([, id]) => id === before.STAGE_ID)?.[0] as TargetDeal['stage'] | undefined) : undefined;
  const stage = deal.stage ?? current ?? 'open';
  return {
    ...(deal.title !== undefined ? { TITLE: deal.title } : {}),
    // CCrmDeal::Add stores 0.00 for a deal given no amount.
    ...(deal.amount !== undefined ? { OPPORTUNITY: (deal.amount ?? 0).toFixed(2) } : {}),
    ...(deal.currency !== undefined ? { CURRENCY_ID: deal.currency === 'USD' ? 'USD' : 'EUR' } : {}),
    // Bitrix24 always has a responsible person; "none" is a deal whose responsible id resolves to nobody (0).
    ...(deal.owner !== undefined ? { ASSIGNED_BY_ID: owners[deal.owner] } : {}),
    ...(deal.closeDate !== undefined ? { CLOSEDATE: deal.closeDate === null ? '' : fake.portalDate(deal.closeDate) } : {}),
    ...(deal.stage !== undefined || deal.purchase !== undefined ? { CATEGORY_ID: purchase ? '3' : '0', STAGE_ID: stageIds[purchase ? 'purchase' : 'sale'][stage] } : {}),
  };
}

/**
 * How Headway is given the portal: an inbound webhook (its user id and key), or an OAuth app's client id and a
 * refresh token. A refresh token is good for one renewal, and `crm connect` renews at once, so each read of an OAuth
 * secret is the admin authorizing the app again for a fresh one (as they must before connecting again).
 */
function credentialOf(fake: Bitrix24Fake, api: 'webhook' | 'oauth', origin: string): Pick<RunningTarget, 'api' | 'username' | 'clientId' | 'secret' | 'authServer'> {
  if (api === 'webhook') return { api, username: b24Webhook.userId, secret: b24Webhook.key };
  return {
    api,
    clientId: fake.auth.app.clientId,
    get secret() {
      return `${fake.auth.app.clientSecret}:${fake.auth.issueRefreshToken(b24Webhook.userId)}`;
    },
    authServer: origin,
  };
}

/** Bitrix24 (cloud or on-premises, the REST API is the same) through an inbound webhook or an OAuth app, as the contract drives it. */
export function bitrix24Target(api: 'webhook' | 'oauth' = 'webhook'): ContractTarget {
  return {
    name: `Bitrix24 ${api}`,
    crm: 'bitrix24',
    async start(): Promise<RunningTarget> {
      const running = await startBitrix24Fake();
      const { fake } = running;
      seedB24Portal(fake);
      const count = (method: string) => fake.log.filter((entry) => entry.method === method).length;
      const target: Omit<RunningTarget, 'api' | 'secret'> = {
        origin: running.origin,
        owners: {
          byId: { crmId: b24Users.maya.ID, email: 'maya.work@headway.example' },
          byEmail: { crmId: b24Users.omar.ID, email: b24Users.omar.EMAIL },
          unmapped: { crmId: b24Users.lena.ID, name: `${b24Users.lena.NAME} ${b24Users.lena.LAST_NAME}` },
        },
        // The admin's rule: deals of the Purchasing pipeline are purchases.
        purchaseRule: { field: 'CATEGORY_ID', value: '3' },
        stages: stageIds.sale,
        listPageSize: 50,
        rateLimitSaysWhen: false,
        addDeals(deals, options = {}) {
          const at = options.modifiedAtMs ?? fake.now();
          // Bitrix24 keeps seconds: deals added one per second apart unless they should share a time.
          return deals.map((deal, index) => fake.addDeal({ TITLE: deal.title, ...fieldsOf(fake, deal) }, options.sameModifiedTime ? at : at + index * 1000).ID);
        },
        editDeal(crmId, change, options = {}) {
          fake.editDeal(crmId, fieldsOf(fake, change, fake.deals.get(Number(crmId))), options.modifiedAtMs);
        },
        // Bitrix24 keeps no deleted deals (no recycle flag on crm.deal.list): deleting and purging are alike.
        deleteDeal: (crmId) => void fake.deals.delete(Number(crmId)),
        purgeDeal: (crmId) => void fake.deals.delete(Number(crmId)),
        dealOwnerCrmId: (crmId) => fake.deals.get(Number(crmId))?.ASSIGNED_BY_ID ?? null,
        notesOn: (crmId) =>
          [...fake.comments.values()].filter((c) => c.ENTITY_TYPE === 'deal' && c.ENTITY_ID === crmId).map((c) => ({ id: c.ID, text: c.COMMENT, authorCrmId: c.AUTHOR_ID || null })),
        tasksOn: (crmId) => [...fake.todos.values()].filter((t) => t.OWNER_TYPE_ID === '2' && t.OWNER_ID === crmId).map((t) => ({ id: t.ID, title: t.SUBJECT, due: t.DEADLINE.slice(0, 10) })),
        denyNotes(denied) {
          if (denied) fake.settings.denied.add('crm.timeline.comment.add');
          else fake.settings.denied.delete('crm.timeline.comment.add');
        },
        // An inbound webhook's key has no lifetime (it works until the admin deletes the webhook): nothing expires.
        expireTokens: () => fake.auth.expireAccessTokens(),
        rateLimit(limit) {
          fake.settings.rateLimit = limit && { everyNth: limit.everyNth };
          fake.requestCount = 0;
        },
        requests: () => ({ list: count('crm.deal.list'), create: count('crm.timeline.comment.add') + count('crm.activity.todo.add'), all: fake.log.length }),
        failListingAfter(n) {
          fake.failListingAfter = n;
        },
        switchApiOff() {
          fake.settings.restOff = true;
        },
        close: () => running.close(),
      };
      // Joined so that the OAuth secret stays a getter (a spread would read it once).
      return Object.defineProperties(target, Object.getOwnPropertyDescriptors(credentialOf(fake, api, running.origin))) as RunningTarget;
    },
  };
}
