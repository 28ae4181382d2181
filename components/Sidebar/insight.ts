import { DealFields, DealLoadResponse, ProgressResponse, Settings, type DealKind, type RecordRef } from '../../core/schema';
import { ApiFailure, createServerApi } from '../../extension/api';
import type { BackgroundRequest, SidebarInsight } from '../../extension/messages';
import type { Session } from '../../extension/session';
import { ownerInsight } from '../OwnerLoad/owner-lines';
import { ifWonLine, progressInsight, type PeriodProgress } from '../MyProgress/progress-lines';

/**
 * The background's half of the sidebar's owner and plan lines: it asks the server (which only it may, holding
 * the token), caches, and answers plain words. Offline or refused, a part is simply null: the sidebar shows
 * nothing rather than an error, since the CRM page itself is what the user came for.
 */

/** A deal's owner and load change rarely while one looks at it; 30 s keeps SPA back-and-forth off the server. */
export const DEAL_LOAD_TTL_MS = 30_000;
/** Plan progress moves only with won deals; it is re-read at most this often, and after a sync brings changes. */
export const PROGRESS_TTL_MS = 60_000;
/** Even with a new sync revision, what was read this recently is kept (a note save bumps the revision too). */
const MIN_AGE_MS = 5_000;

type InsightRequest = Extract<BackgroundRequest, { type: 'sidebar-insight' }>;

interface Cached<T> {
  at: number;
  /** The sync revision the asking sidebar had seen. */
  revision: number;
  value: Promise<T | null>;
}

interface ProgressBundle {
  periods: PeriodProgress[];
  settings: Settings;
}

export interface SidebarInsightDeps {
  session(): Promise<Session | null>;
  fetch?: typeof fetch;
  now?: () => number;
}

const EMPTY: SidebarInsight = { owner: null, suggestion: null, move: null, ifWon: null, progress: null };

export function createSidebarInsight({ session: loadSession, fetch: fetchImpl, now = Date.now }: SidebarInsightDeps) {
  const loads = new Map<string, Cached<DealLoadResponse>>();
  /** One bundle per plan kind: a purchase page shows the purchase plan, every other page the sales plan. */
  const progress = new Map<DealKind, Cached<ProgressBundle> & { server: string }>();
  const fresh = (at: number, cachedRevision: number, revision: number, ttl: number) =>
    now() - at < ttl && (cachedRevision === revision || now() - at < MIN_AGE_MS);

  function dealLoad(session: Session, record: RecordRef, revision: number): Promise<DealLoadResponse | null> {
    const key = `${session.serverUrl}|${session.user.id}|${record.crm}|${record.instance}|${record.recordType}|${record.crmId}`;
    const hit = loads.get(key);
    // A sync that brought changes (a move decided, the deal itself captured) re-reads it, unless just read.
    if (hit && fresh(hit.at, hit.revision, revision, DEAL_LOAD_TTL_MS)) return hit.value;
    const api = createServerApi({ baseUrl: session.serverUrl, token: session.token, fetch: fetchImpl, timeoutMs: 5000 });
    const path = `/api/load/deal/${encodeURIComponent(record.crm)}/${encodeURIComponent(record.recordType)}/${encodeURIComponent(record.crmId)}?instance=${encodeURIComponent(record.instance)}`;
    const value = api.request('GET', path, DealLoadResponse).catch((failure: unknown) => {
      // Not cached: a deal the server has not seen yet (404) is known once passive capture syncs it.
      loads.delete(key);
      if (!(failure instanceof ApiFailure)) console.warn('Headway: deal load failed', failure);
      return null;
    });
    if (loads.size > 200) loads.clear();
    loads.set(key, { at: now(), value, revision });
    return value;
  }

  function progressBundle(session: Session, revision: number, kind: DealKind): Promise<ProgressBundle | null> {
    const server = `${session.serverUrl}|${session.user.id}`;
    const hit = progress.get(kind);
    if (hit?.server === server && fresh(hit.at, hit.revision, revision, PROGRESS_TTL_MS)) return hit.value;
    const api = createServerApi({ baseUrl: session.serverUrl, token: session.token, fetch: fetchImpl, timeoutMs: 5000 });
    const read = (unit: 'month' | 'quarter' | 'year') => api.request('GET', `/api/progress?period=${unit}&kind=${kind}`, ProgressResponse);
    const value = Promise.all([read('month'), read('quarter'), read('year'), api.request('GET', '/api/settings', Settings)])
      .then(([month, quarter, year, settings]) => ({ periods: [month, quarter, year], settings }))
      .catch(() => {
        progress.delete(kind);
        return null;
      });
    progress.set(kind, { at: now(), value, revision, server });
    return value;
  }

  return {
    async answer(request: InsightRequest): Promise<SidebarInsight> {
      const session = await loadSession();
      if (!session || session.state === 'unauthorized' || session.state === 'offline') return EMPTY;
      const { record, revision } = request;
      const fields = DealFields.partial().safeParse(request.fields);
      const read = fields.success ? fields.data : {};
      const isDeal = record?.recordType === 'deal' && session.user.role !== 'exec';
      // The kind comes from the page when it shows one, else from the server's record of the deal: a purchase
      // never passes for a sale. Known from the page, both reads run at once.
      const loading = isDeal ? dealLoad(session, record, revision) : Promise.resolve(null);
      const bundling = read.kind ? progressBundle(session, revision, read.kind) : null;
      const load = await loading;
      const kind = read.kind ?? load?.deal.kind ?? 'sale';
      const bundle = await (bundling ?? progressBundle(session, revision, kind));
      const answer: SidebarInsight = { ...EMPTY, ...ownerInsight(load, read.ownerLabel) };
      if (bundle) {
        answer.progress = progressInsight(session.user, bundle.periods);
        const month = bundle.periods[0]!;
        if (load && read.amount !== undefined) {
          const deal = { id: load.deal.id, kind, status: load.deal.status, ownerId: load.deal.ownerId, amount: read.amount, currency: read.currency ?? null };
          answer.ifWon = ifWonLine(session.user, month, deal, bundle.settings.rates);
        }
      }
      return answer;
    },
  };
}
