import type { WxtBrowser } from 'wxt/browser';
import { escalationMessages } from '../../escalation/i18n';
import { translator } from '../../../core/i18n';
import { backgroundLocale } from '../../reader-language';
import { pathOf } from '../../../core/api/route';
import { routes } from '../../../core/api/routes';
import type { Session, StorageAreaLike } from '../../session';
import type { SyncRunner } from '../sync/runner';
import type { ToolbarBadge } from './badge';
import { createInboxWatcher } from './inbox-watcher';
import { createJoins } from './joins';
import type { EscalationRequest } from '../../escalation/messages';
import { announceChange } from './notices';
import { createOneClick } from './one-click';
import { createReports } from './reports';
import { createSentLog } from './sent-log';
import { asResult, escalationServer } from './server';
import { createUndoRefine } from './undo-refine';

/**
 * The background's escalation work, wired together: one click to the outbox (one-click.ts), Undo and Refine
 * (undo-refine.ts), joins found after a push (joins.ts), the inbox look with its notices and badge count
 * (inbox-watcher.ts) and weekly reports (reports.ts). extension/background/hub.ts routes the escalation requests here.
 */

export interface EscalationDeps {
  browser: WxtBrowser;
  session: () => Promise<Session | null>;
  runner: SyncRunner;
  storage: StorageAreaLike;
  /** The session storage area for per-tab page records (memory where the browser has none). */
  tabStorage: StorageAreaLike;
  /** The toolbar badge: this adds the open escalations addressed to me that I have not acknowledged. */
  badge?: ToolbarBadge;
  now?: () => Date;
}

export function createEscalationRequests(deps: EscalationDeps) {
  const now = deps.now ?? (() => new Date());
  const { browser, session, runner } = deps;
  const server = escalationServer(session);
  const sent = createSentLog(deps.storage, runner);
  const oneClick = createOneClick({ browser, session, runner, tabStorage: deps.tabStorage, server, sent, now });
  const undoRefine = createUndoRefine({ runner, server, sent, now });
  const joins = createJoins({ browser, session, runner, sent });
  const inbox = createInboxWatcher({ browser, session, runner, storage: deps.storage, server, badge: deps.badge, settleJoins: joins.settle });

  /** An answer changed the inbox: the pages reload, the pull brings the change, the badge is counted again now. */
  function answered(): void {
    announceChange(browser);
    void runner.sync(true).catch(() => undefined);
    void inbox.lookAtInbox().catch(() => undefined);
  }
  const reports = createReports({ browser, session, server, answered });

  return {
    rememberPage: oneClick.rememberPage,
    escalateTab: oneClick.escalateTab,
    /** After every sync summary: finish undos that waited for a push; settle joins; look at the inbox when it changed. */
    afterSync(): void {
      void undoRefine.finishUndos().catch(() => undefined);
      inbox.afterSync();
    },
    async handle(request: EscalationRequest): Promise<unknown> {
      switch (request.type) {
        case 'escalate':
          return oneClick.escalate(request);
        case 'escalation-status':
          return joins.statusLine(request.record);
        case 'escalation-sent': {
          const escalation = await joins.sentView(request.id);
          return escalation ? { ok: true, escalation } : { ok: false, message: translator(escalationMessages, backgroundLocale())('notSentHere') };
        }
        case 'escalation-undo':
          return undoRefine.undo(request.id);
        case 'escalation-refine':
          return undoRefine.refine(request);
        case 'escalations-list': {
          return asResult(server.call(routes.escalations, pathOf(routes.escalations, {}, { box: request.box, status: request.status })));
        }
        case 'escalation-detail':
          return asResult(server.call(routes.escalation, pathOf(routes.escalation, { id: request.id })));
        case 'escalation-act': {
          const result = await asResult(server.act(request.id, request.action));
          if (result.ok) answered();
          return result;
        }
        case 'escalation-inbox-count':
          return inbox.counts();
        case 'escalation-request-report':
          return reports.request(request);
        case 'escalation-attach-report':
          return reports.attach(request);
        case 'report-html':
          return reports.html(request.id);
      }
    },
  };
}
