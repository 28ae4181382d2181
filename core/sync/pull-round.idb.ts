import { pathOf } from '../api/route';
import { routes } from '../api/routes';
import { PullResponse } from '../schema/sync';
import { requestJson } from './http';
import { loadPullCursor } from './meta.idb';
import { applyPulledChanges } from './pull.idb';
import type { SyncSession } from './session';

/** Pull pages until the server says there are no more. Returns whether it finished. */
export async function pullAll(session: SyncSession, pullLimit: number): Promise<boolean> {
  const { db, baseUrl } = session;
  for (;;) {
    const cursor = await loadPullCursor(db);
    const outcome = await requestJson(session.fetch, `${baseUrl}${pathOf(routes.pull, {}, { cursor, limit: pullLimit })}`, {
      method: 'GET',
      token: session.token(),
      timeoutMs: session.timeoutMs,
    });
    if (outcome.kind !== 'ok') {
      await session.fail(outcome, 'pull');
      return false;
    }
    const page = PullResponse.safeParse(outcome.body);
    if (!page.success) {
      await session.fail({ kind: 'server-error', status: 200, message: 'malformed pull response' }, 'pull');
      return false;
    }
    const applied = await applyPulledChanges(db, cursor, page.data);
    if (!applied) continue; // someone else moved the cursor; read it again
    if (!page.data.more) return true;
    if (page.data.cursor <= cursor) {
      session.log('pull said more but did not advance the cursor', { cursor, answer: page.data.cursor });
      await session.fail({ kind: 'server-error', status: 200, message: 'pull did not advance' }, 'pull');
      return false;
    }
  }
}
