import type { WxtBrowser } from 'wxt/browser';
import { mondayOf } from '../../../core/escalation';
import { pathOf } from '../../../core/api/route';
import { routes } from '../../../core/api/routes';
import { ApiError, type EscalationCreateRequest } from '../../../core/schema';
import type { ApiResult } from '../../page-api';
import type { Session } from '../../session';
import type { EscalationRequest } from '../../escalation/messages';
import { announceChange } from './notices';
import { clientSays } from '../../reader-language';
import { asResult, type EscalationServer } from './server';
import { newEscalationId } from '../../escalation/build';

/**
 * The weekly report by escalation: management asks for a week's report, the report writer answers with it attached,
 * and the report page shows the stored HTML. The server serves a report only with the device token, so the
 * background fetches it for the page.
 */

/** A stored report is a page or two of HTML; anything far bigger is not one of ours. */
const REPORT_MAX_CHARS = 5_000_000;

export function createReports(deps: {
  browser: WxtBrowser;
  session: () => Promise<Session | null>;
  server: EscalationServer;
  /** An answer changed the inbox: what the background does after any answer (pages, pull, badge). */
  answered: () => void;
}) {
  const { server } = deps;
  return {
    async request(request: Extract<EscalationRequest, { type: 'escalation-request-report' }>): Promise<ApiResult> {
      const week = mondayOf(request.week);
      const body: EscalationCreateRequest = {
        id: newEscalationId(),
        category: 'report-request',
        severity: 'normal',
        title: clientSays('weeklyReportTitle', { week }),
        body: request.body.trim(),
        record: null,
        // No recipient: the server routes it to the workspace's report writer.
        context: { reportWeek: week },
      };
      const result = await asResult(server.call(routes.raiseEscalation, pathOf(routes.raiseEscalation), body));
      if (result.ok) announceChange(deps.browser);
      return result;
    },

    /** Stores that week's report (the reports route checks the role), then resolves the request with it. */
    async attach(request: Extract<EscalationRequest, { type: 'escalation-attach-report' }>): Promise<ApiResult> {
      const week = mondayOf(request.week);
      const result = await asResult(
        (async () => {
          const stored = await server.call(routes.storeWeeklyReport, pathOf(routes.storeWeeklyReport), { week });
          return server.act(request.id, { type: 'resolve', decision: clientSays('weeklyReportAttached', { week }), reportId: stored.id });
        })(),
      );
      if (result.ok) deps.answered();
      return result;
    },

    /** The stored report's HTML, fetched with the device token; the report page shows it in a sandboxed frame. */
    async html(id: string): Promise<{ ok: true; html: string } | { ok: false; message: string }> {
      const session = await deps.session();
      if (!session) return { ok: false, message: clientSays('notConnected') };
      let response: Response;
      try {
        response = await fetch(`${session.serverUrl}${pathOf(routes.report, { id })}`, {
          headers: { authorization: `Bearer ${session.token}`, accept: 'text/html' },
          signal: AbortSignal.timeout(15_000),
        });
      } catch {
        return { ok: false, message: clientSays('unreachableShort', { server: session.serverUrl }) };
      }
      if (!response.ok) {
        const error = ApiError.safeParse(await response.json().catch(() => null));
        return { ok: false, message: error.success ? error.data.message : clientSays('answeredStatus', { status: response.status }) };
      }
      if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) return { ok: false, message: clientSays('notAReport') };
      const html = await response.text();
      if (html.length > REPORT_MAX_CHARS) return { ok: false, message: clientSays('reportTooLarge') };
      return { ok: true, html };
    },
  };
}
