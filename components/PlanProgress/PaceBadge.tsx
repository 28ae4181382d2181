import { paceWords, type Formats } from '../Dashboard/format';

/** Ahead / behind pace, with an arrow and words, so it reads without colour. */
export function PaceBadge({ aheadBy, format, planned = true }: { aheadBy: number; format: Formats; planned?: boolean }) {
  if (!planned) return <span class="hw-pace hw-pace--none">no plan</span>;
  const pace = paceWords(aheadBy, format);
  const arrow = pace.tone === 'ahead' ? '▲' : pace.tone === 'behind' ? '▼' : '•';
  return (
    <span class={`hw-pace hw-pace--${pace.tone}`}>
      <span aria-hidden="true">{arrow}</span> {pace.text}
    </span>
  );
}
