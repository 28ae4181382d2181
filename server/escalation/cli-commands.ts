import type { Clock } from '../clock';
import type { CommandLine } from '../cli/arguments';
import { takePositionals } from '../cli/arguments';
import { loadServerConfig } from '../config';
import type { Store } from '../store/store';
import { deliverDue } from './deliver';
import { sweepOverdue } from './sla';

/** `sla sweep`: what the serve loop does every minute, on demand (cron, or after changing the calendar). */
async function slaSweep(line: CommandLine, store: Store, clock: Clock) {
  takePositionals(line.words, 2, 0, 'nothing after "sla sweep"');
  const result = await sweepOverdue(store, clock);
  const text =
    result.escalated.length + result.flagged.length === 0
      ? 'No escalation is past its SLA.'
      : `Moved ${result.escalated.length} escalation(s) one level up; flagged ${result.flagged.length} overdue at the top.`;
  return { json: { ...result }, text };
}

/** `deliveries send`: sends the due webhooks and e-mails once. */
async function deliveriesSend(line: CommandLine, store: Store, clock: Clock) {
  takePositionals(line.words, 2, 0, 'nothing after "deliveries send"');
  // runCli validated the same environment before running the command.
  const result = await deliverDue(store, clock, { allowNetworks: loadServerConfig(process.env).app.webhookAllowNetworks });
  return {
    json: { ...result },
    text: `Delivered ${result.delivered.length}; ${result.retrying.length} will be retried; ${result.failed.length} gave up.`,
  };
}

export const escalationCommands = { 'sla sweep': slaSweep, 'deliveries send': deliveriesSend };
