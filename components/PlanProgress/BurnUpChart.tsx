import type { Formats } from '../Dashboard/format';
import { useT } from '../locale';
import { axisTicks, type BurnUp } from './burnup';
import { planMessages } from './i18n';

const W = 640;
const H = 250;
const PAD = { top: 16, right: 16, bottom: 28, left: 64 };

/**
 * Burn-up for one scope: won so far (solid), where pace puts it (thin), the target (dashed) and the run-rate
 * projection from today to the period's end (dotted). Hand-written SVG; the numbers are also in the text beside it.
 */
export function BurnUpChart({
  series,
  target,
  runRateProjection,
  actual,
  format,
  label,
}: {
  series: BurnUp;
  target: number;
  runRateProjection: number;
  actual: number;
  format: Formats;
  label: string;
}) {
  const { days } = series;
  const t = useT(planMessages);
  if (days.length === 0) return null;
  const drawn = days.filter((d) => d.actual !== null);
  const lastDrawn = drawn[drawn.length - 1];
  const ticks = axisTicks(Math.max(target, runRateProjection, ...drawn.map((d) => d.actual ?? 0), 1));
  const top = ticks[ticks.length - 1]!;
  const x = (i: number) => PAD.left + (days.length === 1 ? 0 : (i / (days.length - 1)) * (W - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + (1 - v / top) * (H - PAD.top - PAD.bottom);
  const line = (points: [number, number][]) => points.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`).join('');

  // Steps: a deal won on a day lifts the line at that day.
  const actualPath: [number, number][] = [];
  drawn.forEach((d, i) => {
    if (i > 0) actualPath.push([x(i), y(drawn[i - 1]!.actual!)]);
    actualPath.push([x(i), y(d.actual!)]);
  });
  const pacePath = days.map((d, i): [number, number] => [x(i), y(d.pace)]);
  const todayIndex = drawn.length - 1;
  const showProjection = lastDrawn && todayIndex < days.length - 1;
  const xTicks = [0, Math.floor((days.length - 1) / 2), days.length - 1];
  const summary = t('chartSummary', { label, actual: format.money(actual), target: format.money(target), projection: format.money(runRateProjection) });

  return (
    <figure class="hw-chart" data-testid="burn-up" data-drawn-actual={lastDrawn?.actual ?? 0}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        <title>{summary}</title>
        {ticks.map((value) => (
          <g key={value}>
            <line class="hw-chart-grid" x1={PAD.left} x2={W - PAD.right} y1={y(value)} y2={y(value)} />
            <text class="hw-chart-axis" x={PAD.left - 8} y={y(value) + 4} text-anchor="end">
              {format.moneyCompact(value)}
            </text>
          </g>
        ))}
        {xTicks.map((i) => (
          <text key={i} class="hw-chart-axis" x={x(i)} y={H - 8} text-anchor={i === 0 ? 'start' : i === days.length - 1 ? 'end' : 'middle'}>
            {format.date(days[i]!.date).replace(/,? \d{4}$/, '')}
          </text>
        ))}
        {target > 0 ? <line class="hw-chart-target" x1={PAD.left} x2={W - PAD.right} y1={y(target)} y2={y(target)} /> : null}
        {target > 0 ? <path class="hw-chart-pace" d={line(pacePath)} /> : null}
        {showProjection ? <line class="hw-chart-projection" x1={x(todayIndex)} y1={y(lastDrawn.actual!)} x2={x(days.length - 1)} y2={y(runRateProjection)} /> : null}
        {todayIndex >= 0 && todayIndex < days.length - 1 ? <line class="hw-chart-today" x1={x(todayIndex)} x2={x(todayIndex)} y1={PAD.top} y2={H - PAD.bottom} /> : null}
        {actualPath.length > 0 ? <path class="hw-chart-actual" d={line(actualPath)} /> : null}
        {lastDrawn ? <circle class="hw-chart-dot" cx={x(todayIndex)} cy={y(lastDrawn.actual!)} r={4} /> : null}
      </svg>
      <figcaption class="hw-legend">
        <span><i class="hw-key hw-key--actual" aria-hidden="true" />{t('won')}</span>
        {target > 0 ? <span><i class="hw-key hw-key--pace" aria-hidden="true" />{t('legendPace')}</span> : null}
        {target > 0 ? <span><i class="hw-key hw-key--target" aria-hidden="true" />{t('legendTarget', { amount: format.money(target) })}</span> : null}
        {showProjection ? <span><i class="hw-key hw-key--projection" aria-hidden="true" />{t('legendProjection', { amount: format.money(runRateProjection) })}</span> : null}
      </figcaption>
      {series.notDrawn > 0 ? (
        <p class="hw-hint">
          {t('notDrawn', { count: series.notDrawn })}
        </p>
      ) : null}
    </figure>
  );
}
