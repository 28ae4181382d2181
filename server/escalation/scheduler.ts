import type { Clock } from '../clock';
import type { Store } from '../store/store';
import { deliverDue } from './deliver';
import { generateScheduledReport } from './reports';
import { sweepOverdue } from './sla';

export interface EscalationTimers {
  stop(): void;
}

/**
 * The background work of `serve`: the SLA sweep, the delivery outbox and the weekly report. Every step is safe to run
 * in several processes at once (rows are claimed by conditional updates), so each process simply runs its own timers.
 */
export function startEscalationTimers(
  store: Store,
  clock: Clock,
  options: { err(line: string): void; sweepEveryMs?: number; deliverEveryMs?: number; webhookAllowNetworks?: readonly string[] },
): EscalationTimers {
  const guard = (name: string, work: () => Promise<unknown>) => {
    let running = false;
    return () => {
      if (running) return;
      running = true;
      work()
        .catch((error) => options.err(`${name} failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          running = false;
        });
    };
  };
  const sweep = guard('SLA sweep', async () => {
    await sweepOverdue(store, clock);
    await generateScheduledReport(store, clock);
  });
  const deliver = guard('Escalation delivery', () => deliverDue(store, clock, { allowNetworks: options.webhookAllowNetworks ?? [] }));
  const timers = [setInterval(sweep, options.sweepEveryMs ?? 60_000), setInterval(deliver, options.deliverEveryMs ?? 10_000)];
  for (const timer of timers) timer.unref();
  return { stop: () => timers.forEach(clearInterval) };
}
