import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { z } from 'zod';
import { EscalationDetail, EscalationsResponse, Role, User, type EscalationActionRequest, type EscalationAuditEntry, type EscalationView, type Recipient } from '../../core/schema';
import { pathOf } from '../../core/api/route';
import { auditDetails } from '../../core/escalation/audit-words';
import { routes } from '../../core/api/routes';
import { askBackground } from '../../extension/client';
import { categoryLabel, recipientLabel, severityLabel } from '../../extension/escalation/build';
import { useFormats, useLocale, useT } from '../locale';
import { askFailed, readAnswer } from './answers';
import { inboxMessages } from '../../extension/escalation/i18n';
import { contextFacts, relativeTime, sortForInbox, statusLabel } from './inbox-model';
import { useEscalationChanges } from './live';
import { AttachReport, OpenReport, RequestReportForm } from './ReportRequest';

type Box = 'inbox' | 'sent';
const Users = z.object({ users: z.array(User) });

function newCommentId(): string {
  return `c_${Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The management inbox: escalations I may answer and those I sent, a detail with thread and audit, and the answers. */
export function InboxPage() {
  const t = useT(inboxMessages);
  const locale = useLocale();
  const [box, setBox] = useState<Box>('inbox');
  const [list, setList] = useState<EscalationView[] | null>(null);
  const [listProblem, setListProblem] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(new URLSearchParams(location.search).get('id'));
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [users, setUsers] = useState<User[]>([]);
  const [refresh, setRefresh] = useState(0);
  const [me, setMe] = useState<User | null>(null);
  // New or changed escalations (a pull, someone's answer) reload the list and the open one, keeping typed text.
  useEscalationChanges(() => setRefresh((n) => n + 1));

  useEffect(() => {
    void askBackground(browser, { type: 'get-state' }).then((snapshot) => setMe(snapshot.user), () => undefined);
  }, []);

  useEffect(() => {
    void askBackground(browser, { type: 'api-get', path: pathOf(routes.users) }).then((answer) => {
      const read = readAnswer(answer, Users, locale);
      if (read.ok) {
        setUsers(read.data.users);
        setNames(new Map(read.data.users.map((user) => [user.id, user.name])));
      }
    }, () => undefined);
  }, []);

  useEffect(() => {
    let live = true;
    void askBackground(browser, { type: 'escalations-list', box }).then(
      (answer) => {
        if (!live) return;
        const read = readAnswer(answer, EscalationsResponse, locale);
        if (read.ok) {
          setList(sortForInbox(read.data.escalations));
          // The server names the people these mention; an exec or manager cannot list users.
          setNames((known) => new Map([...Object.entries(read.data.names), ...known]));
          setListProblem(null);
        } else setListProblem(read.message);
      },
      (error: unknown) => live && setListProblem((error as Error).message),
    );
    return () => {
      live = false;
    };
  }, [box, refresh]);

  const waiting = list?.filter((esc) => esc.status === 'open' || esc.status === 'acknowledged').length ?? 0;
  const itemMeta = (esc: EscalationView): string => {
    const who = box === 'inbox' ? t('from', { name: names.get(esc.fromId) ?? t('aColleague') }) : t('to', { to: recipientLabel(esc.to, names, locale) });
    return esc.slaDue && (esc.status === 'open' || esc.status === 'acknowledged') ? t('due', { who, when: relativeTime(esc.slaDue, new Date(), locale) }) : who;
  };
  return (
    <main class="hw-inbox">
      <header class="hw-page-header">
        <span class="hw-mark" aria-hidden="true">H</span>
        <h1 class="hw-brand">{t('heading')}</h1>
        <span class="hw-spacer" />
        <nav class="hw-tabs" aria-label={t('boxes')}>
          {(['inbox', 'sent'] as const).map((name) => (
            <button type="button" key={name} class={`hw-tab${box === name ? ' hw-tab--on' : ''}`} aria-pressed={box === name} data-testid={`box-${name}`} onClick={() => setBox(name)}>
              {t(`box.${name}`)}
            </button>
          ))}
        </nav>
      </header>
      {me?.role === 'exec' ? (
        <section class="hw-card hw-report-card" aria-label={t('requestReportLabel')}>
          <RequestReportForm
            onSent={(id) => {
              setBox('sent');
              setSelected(id);
              setRefresh((n) => n + 1);
            }}
          />
        </section>
      ) : null}
      <div class="hw-inbox-grid">
        <section class="hw-inbox-list" aria-label={t('heading')}>
          <p class="hw-hint">{list === null ? t('loading') : t('listCount', { waiting, count: list.length })}</p>
          {listProblem ? <p class="hw-error" role="alert">{listProblem}</p> : null}
          {list?.length === 0 ? <p class="hw-empty">{box === 'inbox' ? t('emptyInbox') : t('emptySent')}</p> : null}
          <ul>
            {list?.map((esc) => (
              <li key={esc.id}>
                <button type="button" class={`hw-inbox-item${selected === esc.id ? ' hw-inbox-item--on' : ''}`} data-testid="inbox-item" data-id={esc.id} onClick={() => setSelected(esc.id)}>
                  <span class="hw-inbox-item-top">
                    <span class={`hw-sev hw-sev--${esc.severity}`}>{severityLabel(esc.severity, locale)}</span>
                    <span class="hw-cat">{categoryLabel(esc.category, locale)}</span>
                    {esc.overdue ? <span class="hw-overdue" data-testid="overdue">{t('overdue')}</span> : null}
                    <span class="hw-spacer" />
                    <span class={`hw-state hw-state--${esc.status}`}>{statusLabel(esc.status, locale)}</span>
                  </span>
                  <span class="hw-inbox-item-title">{esc.title}</span>
                  <span class="hw-inbox-item-meta">
                    {itemMeta(esc)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section class="hw-inbox-detail" aria-label={t('heading')}>
          {selected ? (
            <DetailPane key={selected} id={selected} refresh={refresh} me={me} names={names} users={users} onChanged={() => setRefresh((n) => n + 1)} />
          ) : (
            <p class="hw-empty">{t('pick')}</p>
          )}
        </section>
      </div>
    </main>
  );
}

type DetailProps = { id: string; refresh: number; me: User | null; names: Map<string, string>; users: User[]; onChanged: () => void };

function DetailPane({ id, refresh, me, names: listed, users, onChanged }: DetailProps) {
  const t = useT(inboxMessages);
  const locale = useLocale();
  const format = useFormats();
  const [detail, setDetail] = useState<EscalationDetail | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void askBackground(browser, { type: 'escalation-detail', id }).then(
      (answer) => {
        if (!live) return;
        const read = readAnswer(answer, EscalationDetail, locale);
        if (read.ok) setDetail(read.data);
        else setProblem(read.message);
      },
      (error: unknown) => live && setProblem((error as Error).message),
    );
    return () => {
      live = false;
    };
  }, [id, refresh]);

  async function act(action: EscalationActionRequest): Promise<boolean> {
    return answered(askBackground(browser, { type: 'escalation-act', id, action }));
  }

  async function attachReport(week: string): Promise<boolean> {
    return answered(askBackground(browser, { type: 'escalation-attach-report', id, week }));
  }

  async function answered(request: Promise<{ ok: true } | { ok: false; message: string; status: number | null }>): Promise<boolean> {
    setBusy(true);
    setProblem(null);
    const answer = await request.catch(askFailed);
    setBusy(false);
    if (!answer.ok) {
      setProblem(answer.status === 403 || answer.status === 409 ? t('refused', { message: answer.message }) : answer.message);
      return false;
    }
    onChanged();
    return true;
  }

  if (!detail) return problem ? <p class="hw-error" role="alert">{problem}</p> : <p class="hw-hint">{t('loading')}</p>;
  const esc = detail.escalation;
  const names = new Map([...Object.entries(detail.names), ...listed]);
  const waiting = esc.status === 'open' || esc.status === 'acknowledged';
  const facts = contextFacts(esc.context, locale);
  // An action that leaves the status as it was (opening, a comment) names no transition: "open → open" says nothing.
  const auditLine = (entry: EscalationAuditEntry) => {
    const words = {
      time: format.dateTime(entry.at),
      who: entry.actorId === 'system' ? t('slaClock') : (names.get(entry.actorId) ?? t('auditSomeone')),
      action: t(`action.${entry.action}`),
    };
    return entry.from === entry.to ? t('auditLineSameStatus', words) : t('auditLine', { ...words, from: statusLabel(entry.from, locale), to: statusLabel(entry.to, locale) });
  };
  const auditNote = (entry: EscalationAuditEntry) => {
    const details = auditDetails(entry, locale, (id) => names.get(id));
    return details ? ` · ${details}` : '';
  };
  const link = typeof esc.context.link === 'string' && /^https?:\/\//.test(esc.context.link) ? esc.context.link : null;

  return (
    <article data-testid="escalation-detail">
      <p class="hw-inbox-item-top">
        <span class={`hw-sev hw-sev--${esc.severity}`}>{severityLabel(esc.severity, locale)}</span>
        <span class="hw-cat">{categoryLabel(esc.category, locale)}</span>
        {esc.overdue ? <span class="hw-overdue">{t('overdue')}</span> : null}
        <span class="hw-spacer" />
        <span class={`hw-state hw-state--${esc.status}`} data-testid="detail-status">{statusLabel(esc.status, locale)}</span>
      </p>
      <h2 class="hw-h1">{esc.title}</h2>
      <p class="hw-hint">
        {t(esc.slaDue && waiting ? 'fromToDue' : 'fromTo', {
          from: names.get(esc.fromId) ?? t('aColleague'),
          to: recipientLabel(esc.to, names, locale),
          time: format.dateTime(esc.createdAt),
          when: esc.slaDue ? relativeTime(esc.slaDue, new Date(), locale) : '',
        })}
      </p>
      {esc.body ? <p class="hw-body-text">{esc.body}</p> : null}
      {facts.length > 0 ? (
        <dl class="hw-facts hw-context" data-testid="detail-context">
          {facts.map((fact) => (
            <div key={fact.label}>
              <dt>{fact.label}</dt>
              <dd>{fact.value}</dd>
            </div>
          ))}
          {link ? (
            <div>
              <dt>{t('link')}</dt>
              <dd><a href={link} target="_blank" rel="noreferrer noopener">{t('openInCrm')}</a></dd>
            </div>
          ) : null}
        </dl>
      ) : null}
      {esc.decision ? (
        <p class="hw-decision" data-testid="detail-decision">
          <strong>{esc.resolvedBy?.name ? t('decisionBy', { name: esc.resolvedBy.name }) : t('decision')}</strong> {decisionText(esc.decision, esc.reportId)}
        </p>
      ) : null}
      {esc.reportId ? <OpenReport reportId={esc.reportId} /> : null}
      {esc.status === 'acknowledged' && esc.acknowledgedBy?.name ? <p class="hw-hint">{t('acknowledgedBy', { name: esc.acknowledgedBy.name })}</p> : null}
      {problem ? <p class="hw-error" role="alert" data-testid="detail-problem">{problem}</p> : null}

      {detail.mayAnswer && waiting ? (
        <div class="hw-answer">
          {esc.category === 'report-request' && (me?.role === 'head' || me?.role === 'admin') ? <AttachReport escalation={esc} busy={busy} onAttach={attachReport} /> : null}
          {esc.status === 'open' ? (
            <button type="button" class="hw-button hw-button--primary" data-testid="act-acknowledge" disabled={busy} onClick={() => void act({ type: 'acknowledge' })}>
              {t('acknowledge')}
            </button>
          ) : null}
          <TextAction label={t('resolve')} button={t('resolveButton')} placeholder={t('resolvePlaceholder')} testId="resolve" busy={busy} primary onSend={(text) => act({ type: 'resolve', decision: text })} />
          <TextAction label={t('askInfo')} button={t('askInfoButton')} placeholder={t('askInfoPlaceholder')} testId="request-info" busy={busy} onSend={(text) => act({ type: 'request-info', commentId: newCommentId(), body: text })} />
          <Handover users={users} busy={busy} onSend={(to) => act({ type: 'handover', to })} />
        </div>
      ) : null}
      {detail.isRequester && waiting ? (
        <button type="button" class="hw-button hw-button--danger" data-testid="act-withdraw" disabled={busy} onClick={() => void act({ type: 'withdraw' })}>
          {t('withdraw')}
        </button>
      ) : null}

      <h2 class="hw-card-title">{t('thread')}</h2>
      {esc.comments.length === 0 ? <p class="hw-hint">{t('noComments')}</p> : null}
      <ol class="hw-thread" data-testid="thread">
        {esc.comments.map((comment) => (
          <li key={comment.id}>
            <span class="hw-thread-who">{names.get(comment.authorId) ?? t('someone')} · {format.dateTime(comment.at)}</span>
            <span class="hw-body-text">{comment.body}</span>
          </li>
        ))}
      </ol>
      <TextAction label={t('comment')} button={t('comment')} placeholder={t('commentPlaceholder')} testId="comment" busy={busy} onSend={(text) => act({ type: 'comment', commentId: newCommentId(), body: text })} />

      <h2 class="hw-card-title">{t('audit')}</h2>
      <ol class="hw-audit" data-testid="audit">
        {detail.audit.map((entry) => (
          <li key={`${entry.version}:${entry.action}`}>
            {auditLine(entry)}
            {auditNote(entry)}
          </li>
        ))}
      </ol>
    </article>
  );
}

/** The decision as written; the server's "Report: <address>" line is left out where the report has its own button. */
function decisionText(decision: string, reportId: string | null | undefined): string {
  return reportId ? decision.replace(/\n*Report: \S+$/, '').trim() : decision;
}

function TextAction(props: { label: string; button: string; placeholder: string; testId: string; busy: boolean; primary?: boolean; onSend: (text: string) => Promise<boolean> }) {
  const [text, setText] = useState('');
  return (
    <form
      class="hw-text-action"
      data-testid={`form-${props.testId}`}
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim() === '') return;
        void props.onSend(text.trim()).then((ok) => ok && setText(''));
      }}
    >
      <label>
        <span>{props.label}</span>
        <textarea rows={2} value={text} placeholder={props.placeholder} maxLength={20000} onInput={(event) => setText(event.currentTarget.value)} />
      </label>
      <button type="submit" class={`hw-button ${props.primary ? 'hw-button--primary' : 'hw-button--small'}`} disabled={props.busy || text.trim() === ''} data-testid={`act-${props.testId}`}>
        {props.button}
      </button>
    </form>
  );
}

function Handover({ users, busy, onSend }: { users: User[]; busy: boolean; onSend: (to: Recipient) => Promise<boolean> }) {
  const t = useT(inboxMessages);
  const locale = useLocale();
  const [choice, setChoice] = useState('');
  const options = [
    ...Role.options.filter((role) => role !== 'manager').map((role) => ({ value: `role:${role}`, label: recipientLabel({ role }, new Map(), locale) })),
    ...users.filter((user) => user.role !== 'manager').map((user) => ({ value: `user:${user.id}`, label: user.name })),
  ];
  return (
    <form
      class="hw-text-action"
      onSubmit={(event) => {
        event.preventDefault();
        const [kind, value] = choice.split(':');
        if (!value) return;
        void onSend(kind === 'role' ? { role: Role.parse(value) } : { userId: value });
      }}
    >
      <label>
        <span>{t('handOverTo')}</span>
        <select value={choice} data-testid="handover-to" onChange={(event) => setChoice(event.currentTarget.value)}>
          <option value="">{t('choose')}</option>
          {options.map((option) => (
            <option value={option.value} key={option.value}>{option.label}</option>
          ))}
        </select>
      </label>
      <button type="submit" class="hw-button hw-button--small" disabled={busy || choice === ''} data-testid="act-handover">{t('handOver')}</button>
    </form>
  );
}
