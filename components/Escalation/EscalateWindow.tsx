import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { EscalationCategory, Severity } from '../../core/schema';
import { askBackground } from '../../extension/client';
import { categoryLabel, severityLabel } from '../../extension/escalation/build';
import { UNDO_MS } from '../../extension/escalation/constants';
import type { SentEscalation } from '../../extension/escalation/messages';
import { useLocale, useT } from '../locale';
import { askFailed } from './answers';
import { escalationMessages } from '../../extension/escalation/i18n';
import { useEscalationChanges } from './live';

/** Why the window came preset as it did; a reason this version does not know says nothing. */
const REASONS = ['past-close-date', 'discount-above-threshold', 'objection', 'last-choice', 'default'] as const;
const isReason = (reason: string): reason is (typeof REASONS)[number] => (REASONS as readonly string[]).includes(reason);

/**
 * The small window that opens after one click sent an escalation: what went where, Undo for a few seconds,
 * and a form to refine category, severity and text.
 */
export function EscalateWindow({ id }: { id: string }) {
  const t = useT(escalationMessages);
  const locale = useLocale();
  const [sent, setSent] = useState<SentEscalation | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [left, setLeft] = useState(Math.ceil(UNDO_MS / 1000));
  const [busy, setBusy] = useState(false);
  const [seen, setSeen] = useState(0);
  // It may reach the server (and be joined to an open one) while the window is open.
  useEscalationChanges(() => setSeen((n) => n + 1));

  useEffect(() => {
    void askBackground(browser, { type: 'escalation-sent', id })
      .then((answer) => (answer.ok ? setSent(answer.escalation) : setProblem(answer.message)))
      .catch((error: unknown) => setProblem(String((error as Error).message)));
  }, [id, seen]);

  useEffect(() => {
    if (!sent) return;
    const tick = () => setLeft(Math.max(0, Math.ceil((Date.parse(sent.sentAt) + UNDO_MS - Date.now()) / 1000)));
    tick();
    const timer = setInterval(tick, 250);
    return () => clearInterval(timer);
  }, [sent?.sentAt]);

  if (problem && !sent) return <main class="hw-escalate"><p class="hw-error" role="alert">{problem}</p></main>;
  if (!sent) return <main class="hw-escalate"><p class="hw-hint">{t('loading')}</p></main>;

  async function undo(): Promise<void> {
    setBusy(true);
    const answer = await askBackground(browser, { type: 'escalation-undo', id }).catch(askFailed);
    setBusy(false);
    if (answer.ok) {
      setNotice(answer.message);
      setSent((current) => (current ? { ...current, phase: 'undone' } : current));
      setTimeout(() => window.close(), 1500);
    } else setProblem(answer.message);
  }

  async function refine(event: Event): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setProblem(null);
    const answer = await askBackground(browser, {
      type: 'escalation-refine',
      id,
      category: EscalationCategory.parse(form.get('category')),
      severity: Severity.parse(form.get('severity')),
      title: String(form.get('title') ?? ''),
      body: String(form.get('body') ?? ''),
    }).catch(askFailed);
    setBusy(false);
    if (answer.ok) setNotice(answer.message);
    else setProblem(answer.message);
  }

  const undone = sent.phase === 'undone';
  const joined = sent.phase === 'joined';
  return (
    <main class="hw-escalate" data-testid="escalate-window">
      <header class="hw-page-header">
        <span class="hw-mark" aria-hidden="true">H</span>
        <span class="hw-brand">{undone ? t('undoneHeading') : joined ? t('joinedOpen') : t('escalatedTo', { to: sent.toLabel })}</span>
      </header>
      <p class="hw-lead" data-testid="escalate-summary">
        {sent.phase === 'waiting' ? t('summaryWaiting', { title: sent.title }) : sent.title}
      </p>
      {sent.presetReason && !joined ? <p class="hw-hint">{isReason(sent.presetReason) ? t(`preset.${sent.presetReason}`) : ''}</p> : null}
      {joined ? (
        <p class="hw-notice" role="status" data-testid="escalate-joined">
          {sent.joinedTitle ? t('joinedExplainedTitle', { title: sent.joinedTitle }) : t('joinedExplained')}
        </p>
      ) : null}
      {notice ? <p class="hw-notice" role="status" data-testid="escalate-notice">{notice}</p> : null}
      {problem ? <p class="hw-error" role="alert" data-testid="escalate-problem">{problem}</p> : null}
      {!undone && !joined && left > 0 ? (
        <button type="button" class="hw-button hw-button--danger hw-button--block" data-testid="escalate-undo" disabled={busy} onClick={() => void undo()}>
          {t('undo', { seconds: left })}
        </button>
      ) : null}
      {undone || joined ? null : (
        <form class="hw-form hw-escalate-form" data-testid="escalate-refine" onSubmit={(event) => void refine(event)}>
          <div class="hw-row">
            <div class="hw-field-group">
              <label for="hw-category">{t('category')}</label>
              <select id="hw-category" name="category">
                {EscalationCategory.options.map((value) => (
                  <option value={value} key={value} selected={value === sent.category}>{categoryLabel(value, locale)}</option>
                ))}
              </select>
            </div>
            <div class="hw-field-group">
              <label for="hw-severity">{t('severity')}</label>
              <select id="hw-severity" name="severity">
                {Severity.options.map((value) => (
                  <option value={value} key={value} selected={value === sent.severity}>{severityLabel(value, locale)}</option>
                ))}
              </select>
            </div>
          </div>
          <div class="hw-field-group">
            <label for="hw-title">{t('title')}</label>
            <input id="hw-title" name="title" maxLength={300} required defaultValue={sent.title} />
          </div>
          <div class="hw-field-group">
            <label for="hw-body">{t('body')}</label>
            <textarea id="hw-body" name="body" rows={3} maxLength={20000} defaultValue={sent.body} placeholder={t('bodyPlaceholder')} />
          </div>
          <div class="hw-actions">
            <button type="submit" class="hw-button hw-button--primary" disabled={busy} data-testid="escalate-save">{t('saveChanges')}</button>
            <button type="button" class="hw-button hw-button--small" onClick={() => window.close()}>{t('close')}</button>
          </div>
        </form>
      )}
    </main>
  );
}
