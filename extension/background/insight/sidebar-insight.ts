import type { z } from 'zod';
import { answerSchema, pathOf } from '../../../core/api/route';
import { routes } from '../../../core/api/routes';
import { DealFields, type DealLoadResponse, type DealKind, type RecordRef, type Settings } from '../../../core/schema';
import { ApiFailure, createServerApi } from '../../api';
import { SidebarInsight, type BackgroundRequest } from '../../messages';
import { createLastKnown, type LastKnown } from './last-known';
import { memoryStorageArea, type Session, type StorageAreaLike } from '../../session';
import { readerLocale } from '../../../core/i18n';
import { ownerInsight } from './owner-lines';
import { ifWonLine, progressInsight, type PeriodProgress } from './progress-lines';

/**
 * The background's half of the sidebar's owner and plan lines: it asks the server (which only it may, holding
 * the token), caches, and answers plain words. When the server cannot be reached, the last lines it gave for the
 * same record and plan are answered instead, with their time (`asOf`), so an offline sidebar keeps its figures
 * and says how old they are. Refused (a deal the server has not seen), a part is simply null.
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
  value: Promise<Read<T>>;
}

interface ProgressBundle {
  periods: PeriodProgress[];
  settings: Settings;
}

export interface SidebarInsightDeps {
  session(): Promise<Session | null>;
  /** Where the last lines are kept across worker restarts (browser.storage.local); in memory when absent. */
  storage?: StorageAreaLike;
  fetch?: typeof fetch;
  now?: () => number;
}

const EMPTY: SidebarInsight = { owner: null, suggestion: null, move: null, ifWon: null, progress: null, asOf: null };

/** A server read: its answer, or null with whether the server could not be reached (then last-known lines apply). */
interface Read<T> {
  value: T | null;
  unreachable: boolean;
}

const unreachable = (failure: unknown) => !(failure instanceof ApiFailure) || failure.kind === 'unreachable' || (failure.status ?? 0) >= 500;

const OwnerLines = SidebarInsight.pick({ owner: true, suggestion: true, move: true });
type OwnerLines = z.infer<typeof OwnerLines>;
const ProgressLines = SidebarInsight.shape.progress;
const isOwnerLines = (value: unknown): value is OwnerLines => OwnerLines.safeParse(value).success;
const isProgressLines = (value: unknown): value is SidebarInsight['progress'] => ProgressLines.safeParse(value).success;

export function createSidebarInsight({ session: loadSession, storage, fetch: fetchImpl, now = Date.now }: SidebarInsightDeps) {
  const lastKnown: LastKnown = createLastKnown(storage ?? memoryStorageArea());
  const loads = new Map<string, Cached<DealLoadResponse>>();
  /** One bundle per plan kind: a purchase page shows the purchase plan, every other page the sales plan. */
  const progress = new Map<DealKind, Cached<ProgressBundle> & { server: string }>();
  const fresh = (at: number, cachedRevision: number, revision: number, ttl: number) =>
    now() - at < ttl && (cachedRevision === revision || now() - at < MIN_AGE_MS);

  function dealLoad(session: Session, record: RecordRef, revision: number): Promise<Read<DealLoadResponse>> {
    const key = `${session.serverUrl}|${session.user.id}|${record.crm}|${record.instance}|${record.recordType}|${record.crmId}`;
    const hit = loads.get(key);
    // A sync that brought changes (a move decided, the deal itself captured) re-reads it, unless just read.
    if (hit && fresh(hit.at, hit.revision, revision, DEAL_LOAD_TTL_MS)) return hit.value;
    const api = createServerApi({ baseUrl: session.serverUrl, token: session.token, fetch: fetchImpl, timeoutMs: 5000 });
    const path = pathOf(routes.dealLoad, { crm: record.crm, recordType: record.recordType, crmId: record.crmId }, { instance: record.instance });
    const value = api.request(routes.dealLoad.method, path, answerSchema(routes.dealLoad)).then(
      (load): Read<DealLoadResponse> => ({ value: load, unreachable: false }),
      (failure: unknown): Read<DealLoadResponse> => {
        // Not cached: a deal the server has not seen yet (404) is known once passive capture syncs it.
        loads.delete(key);
        if (!(failure instanceof ApiFailure)) console.warn('Headway: deal load failed', failure);
        return { value: null, unreachable: unreachable(failure) };
      },
    );
    if (loads.size > 200) loads.clear();
    loads.set(key, { at: now(), value, revision });
    return value;
  }

  function progressBundle(session: Session, revision: number, kind: DealKind): Promise<Read<ProgressBundle>> {
    const server = `${session.serverUrl}|${session.user.id}`;
    const hit = progress.get(kind);
    if (hit?.server === server && fresh(hit.at, hit.revision, revision, PROGRESS_TTL_MS)) return hit.value;
    const api = createServerApi({ baseUrl: session.serverUrl, token: session.token, fetch: fetchImpl, timeoutMs: 5000 });
    const read = (unit: 'month' | 'quarter' | 'year') => api.request(routes.progress.method, pathOf(routes.progress, {}, { period: unit, kind }), answerSchema(routes.progress));
    const settings = api.request(routes.settings.method, pathOf(routes.settings), answerSchema(routes.settings));
    const value = Promise.all([read('month'), read('quarter'), read('year'), settings])
      .then(([month, quarter, year, settings]): Read<ProgressBundle> => ({ value: { periods: [month, quarter, year], settings }, unreachable: false }))
      .catch((failure: unknown): Read<ProgressBundle> => {
        progress.delete(kind);
        return { value: null, unreachable: unreachable(failure) };
      });
    progress.set(kind, { at: now(), value, revision, server });
    return value;
  }

  return {
    async answer(request: InsightRequest): Promise<SidebarInsight> {
      const session = await loadSession();
      if (!session || session.state === 'unauthorized') return EMPTY;
      const { record, revision } = request;
      const fields = DealFields.partial().safeParse(request.fields);
      const read = fields.success ? fields.data : {};
      const isDeal = record?.recordType === 'deal' && session.user.role !== 'exec';
      // Offline, the server is not asked at all: the last lines it gave answer, dated.
      const live = session.state !== 'offline';
      const notAsked: Read<never> = { value: null, unreachable: true };
      // The kind comes from the page when it shows one, else from the server's record of the deal: a purchase
      // never passes for a sale. Known from the page, both reads run at once.
      const loading = isDeal && live ? dealLoad(session, record, revision) : Promise.resolve(isDeal ? notAsked : { value: null, unreachable: false });
      const bundling = read.kind && live ? progressBundle(session, revision, read.kind) : null;
      const load = await loading;
      const kind = read.kind ?? load.value?.deal.kind ?? 'sale';
      const bundle = await (bundling ?? (live ? progressBundle(session, revision, kind) : notAsked));

      const at = new Date(now()).toISOString();
      // The panel's language, by the rule every page follows (core/i18n readerLocale); remembered lines are kept per language.
      const locale = readerLocale(session.user.locale);
      const who = `${session.serverUrl}|${session.user.id}|${locale}`;
      const ownerKey = record ? `owner|${who}|${record.crm}|${record.instance}|${record.recordType}|${record.crmId}` : null;
      const progressKey = `progress|${who}|${kind}`;
      const answer: SidebarInsight = { ...EMPTY };
      const dates: string[] = [];

      if (load.value) {
        Object.assign(answer, ownerInsight(load.value, read.ownerLabel, locale));
        if (ownerKey) void lastKnown.remember(ownerKey, OwnerLines.parse(answer), at);
      } else if (load.unreachable && ownerKey) {
        const remembered = await lastKnown.recall(ownerKey, isOwnerLines);
        if (remembered) {
          Object.assign(answer, remembered.value);
          dates.push(remembered.at);
        }
      }

      if (bundle.value) {
        answer.progress = progressInsight(session.user, bundle.value.periods, locale);
        void lastKnown.remember(progressKey, answer.progress, at);
        const month = bundle.value.periods[0]!;
        if (load.value && read.amount !== undefined) {
          const deal = { id: load.value.deal.id, kind, status: load.value.deal.status, ownerId: load.value.deal.ownerId, amount: read.amount, currency: read.currency ?? null };
          answer.ifWon = ifWonLine(session.user, month, deal, bundle.value.settings.rates, locale);
        }
      } else if (bundle.unreachable) {
        // "If won" is left out: it rests on the page's amount against figures that may have moved since.
        const remembered = await lastKnown.recall(progressKey, isProgressLines);
        if (remembered) {
          answer.progress = remembered.value;
          dates.push(remembered.at);
        }
      }
      answer.asOf = dates.length > 0 ? dates.reduce((a, b) => (b < a ? b : a)) : null;
      return answer;
    },

    /** Disconnect forgets the lines with the token. */
    forget: () => lastKnown.forget(),
  };
}
