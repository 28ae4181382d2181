import { useSignal } from '@preact/signals';
import { pathOf } from '../../core/api/route';
import { routes } from '../../core/api/routes';
import type { MoveRecord, SuggestedMove } from '../../core/schema';
import { sendAction } from '../Dashboard/server';
import { useFormats, useLocale, useT } from '../locale';
import { loadMessages } from './i18n';
import { loadPercent } from './load-words';

function DealLink({ title, url }: { title: string; url: string | null }) {
  return url && /^https?:\/\//.test(url) ? (
    <a href={url} target="_blank" rel="noopener noreferrer">
      {title}
    </a>
  ) : (
    <>{title}</>
  );
}

/** One suggested move: the deal, from whom to whom, the reason in a sentence, Approve / Dismiss for the head. */
function Suggestion({ move, canDecide, onDecided }: { move: SuggestedMove; canDecide: boolean; onDecided: () => void }) {
  const t = useT(loadMessages);
  const locale = useLocale();
  const pct = (value: number | null) => loadPercent(value, locale);
  const busy = useSignal<'approve' | 'dismiss' | null>(null);
  const problem = useSignal<string | null>(null);

  async function decide(decision: 'approve' | 'dismiss'): Promise<void> {
    busy.value = decision;
    problem.value = null;
    try {
      const decide = decision === 'approve' ? routes.approveMove : routes.dismissMove;
      if (move.proposalId) await sendAction(decide, pathOf(decide, { id: move.proposalId }), {});
      else await sendAction(routes.proposeMove, pathOf(routes.proposeMove), { dealId: move.dealId, to: move.to, decide: decision });
      onDecided();
    } catch (error) {
      problem.value = error instanceof Error ? error.message : String(error);
    } finally {
      busy.value = null;
    }
  }

  return (
    <li class="hw-move" data-testid="move" data-deal-id={move.dealId}>
      <div class="hw-move-head">
        <span class="hw-move-title">
          <DealLink title={move.dealTitle} url={move.deal.url} />
        </span>
        <span class={`hw-chip hw-chip--${move.why === 'cover' ? 'absent' : 'over'}`}>{t(move.why === 'cover' ? 'why.cover' : 'why.rebalance')}</span>
      </div>
      <p class="hw-move-route">
        <span>
          {move.fromName}{' '}
          <span class="hw-muted">{move.fromBefore === null ? t('away') : `${pct(move.fromBefore)} → ${pct(move.fromAfter)}`}</span>
        </span>
        <span aria-label={t('to')} class="hw-arrow">
          →
        </span>
        <span>
          {move.toName} <span class="hw-muted">{pct(move.toBefore)} → {pct(move.toAfter)}</span>
        </span>
      </p>
      <p class="hw-move-reason" data-testid="move-reason">
        {move.reason}
      </p>
      {problem.value ? (
        <p class="hw-error" role="alert">
          {problem.value}
        </p>
      ) : null}
      {canDecide ? (
        <div class="hw-move-actions">
          <button type="button" class="hw-button hw-button--primary hw-button--compact" disabled={busy.value !== null} onClick={() => void decide('approve')}>
            {t(busy.value === 'approve' ? 'approving' : 'approve')}
          </button>
          <button type="button" class="hw-button hw-button--small" disabled={busy.value !== null} onClick={() => void decide('dismiss')}>
            {t(busy.value === 'dismiss' ? 'dismissing' : 'dismiss')}
          </button>
        </div>
      ) : null}
    </li>
  );
}

/** Approves every listed move in one request, all or none; the server says which move stopped it. */
function ApproveAll({ moves, onDecided }: { moves: readonly SuggestedMove[]; onDecided: () => void }) {
  const t = useT(loadMessages);
  const busy = useSignal(false);
  const problem = useSignal<string | null>(null);

  async function approveAll(): Promise<void> {
    busy.value = true;
    problem.value = null;
    try {
      await sendAction(routes.approveMoves, pathOf(routes.approveMoves), { moves: moves.map((m) => ({ dealId: m.dealId, to: m.to })) });
      onDecided();
    } catch (error) {
      problem.value = error instanceof Error ? error.message : String(error);
    } finally {
      busy.value = false;
    }
  }

  return (
    <div class="hw-move-actions" data-testid="approve-all">
      <button type="button" class="hw-button hw-button--primary hw-button--compact" disabled={busy.value} onClick={() => void approveAll()}>
        {busy.value ? t('approving') : t('approveAll', { count: moves.length })}
      </button>
      {problem.value ? (
        <p class="hw-error" role="alert">
          {problem.value}
        </p>
      ) : null}
    </div>
  );
}

export function MoveSuggestions({ moves, emptyText, canDecide, onDecided }: {
  moves: readonly SuggestedMove[];
  emptyText: string;
  canDecide: boolean;
  onDecided: () => void;
}) {
  const t = useT(loadMessages);
  if (moves.length === 0) return <p class="hw-empty" data-testid="no-moves">{emptyText}</p>;
  return (
    <>
      {canDecide ? <p class="hw-hint hw-moves-hint">{t('approvedHint')}</p> : null}
      {canDecide && moves.length > 1 ? <ApproveAll moves={moves} onDecided={onDecided} /> : null}
      <ol class="hw-moves" data-testid="move-list">
      {moves.map((move) => (
          <Suggestion key={`${move.dealId}-${move.to}`} move={move} canDecide={canDecide} onDecided={onDecided} />
        ))}
      </ol>
    </>
  );
}

/** Moves proposed or approved and not yet carried out in the CRM. */
export function Proposals({ proposals }: { proposals: readonly MoveRecord[] }) {
  const t = useT(loadMessages);
  const format = useFormats();
  if (proposals.length === 0) return <p class="hw-empty">{t('noProposals')}</p>;
  return (
    <table class="hw-table" data-testid="proposals">
      <caption class="hw-sr-only">{t('proposalsCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('colDeal')}</th>
          <th scope="col">{t('colFrom')}</th>
          <th scope="col">{t('colTo')}</th>
          <th scope="col">{t('colStatus')}</th>
          <th scope="col" class="hw-num">
            {t('colDecided')}
          </th>
        </tr>
      </thead>
      <tbody>
        {proposals.map((move) => (
          <tr key={move.id} data-move-id={move.id} data-deal-id={move.dealId}>
            <td>
              <DealLink title={move.dealTitle} url={move.deal.url} />
            </td>
            <td>{move.fromName}</td>
            <td>{move.toName}</td>
            <td>
              <span class={`hw-chip hw-chip--${move.status}`} data-testid="proposal-status">
                {t(`proposal.${move.status}`)}
              </span>
            </td>
            <td class="hw-num">{move.decidedAt ? format.day(move.decidedAt) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
