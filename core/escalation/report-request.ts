import { IsoDate, type Escalation, type EscalationRules, type Recipient, type User } from '../schema';
import { routeEscalation } from './routing';

const DAY = 86_400_000;

/** The Monday (UTC) of the week the day falls in. */
export function mondayOf(day: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  const weekday = new Date(ms).getUTCDay();
  return new Date(ms - ((weekday + 6) % 7) * DAY).toISOString().slice(0, 10);
}

/** The Monday of the week before the one `today` falls in: the last complete week, what a weekly report covers. */
export function lastWeekOf(today: string): string {
  return mondayOf(new Date(Date.parse(`${mondayOf(today)}T00:00:00Z`) - DAY).toISOString().slice(0, 10));
}

/**
 * A report request goes to whoever writes the reports (the head of sales unless the admin set otherwise), not up the
 * ladder as other escalations do: management asks downwards. Someone who is that recipient asks along the usual route.
 */
export function routeReportRequest(sender: Pick<User, 'id' | 'role'>, rules: EscalationRules): Recipient {
  const to = rules.reportRequests;
  const isSender = 'role' in to ? to.role === sender.role : to.userId === sender.id;
  return isSender ? routeEscalation(sender, rules) : to;
}

/** Where an escalation raised without an explicit recipient goes. */
export function routeByCategory(sender: Pick<User, 'id' | 'role'>, category: Escalation['category'], rules: EscalationRules): Recipient {
  return category === 'report-request' ? routeReportRequest(sender, rules) : routeEscalation(sender, rules);
}

/** The week a report request asks for (its Monday), kept in the context as `reportWeek`; null when it names none. */
export function requestedWeek(escalation: Pick<Escalation, 'category' | 'context'>): string | null {
  if (escalation.category !== 'report-request') return null;
  const parsed = IsoDate.safeParse(escalation.context.reportWeek);
  return parsed.success ? mondayOf(parsed.data) : null;
}
