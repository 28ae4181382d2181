import type { WxtBrowser } from 'wxt/browser';
import { notesMessages } from '../../sync/i18n';
import { translator } from '../../../core/i18n';
import { backgroundLocale } from '../../reader-language';
import { upcomingNextSteps, type SyncDb } from '../../../core/sync';
import type { StorageAreaLike } from '../../session';
import { localDay } from './note-requests';
import { NOTIFICATION_ICON } from './notification-icon';

export const NEXT_STEPS_ALARM = 'headway-next-steps';
export const NOTIFIED_KEY = 'headway.nextStepsNotified';
/** Local hour of the morning reminder. */
export const MORNING_HOUR = 8;

/** Epoch ms of the next MORNING_HOUR:00 local time after `now`. */
export function nextMorning(now: Date): number {
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate(), MORNING_HOUR);
  return today.getTime() > now.getTime() ? today.getTime() : new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, MORNING_HOUR).getTime();
}

/**
 * The morning reminder: one notification per note whose next step is today, at most once per note per day
 * (what was shown is remembered in storage, so a restarted worker or a second alarm does not repeat it).
 * Before MORNING_HOUR it does nothing; the alarm comes back at 08:00.
 */
export async function notifyTodaysNextSteps(
  browser: Pick<WxtBrowser, 'notifications'>,
  storage: StorageAreaLike,
  db: SyncDb,
  now: Date,
): Promise<string[]> {
  if (now.getHours() < MORNING_HOUR) return [];
  const today = localDay(now);
  const due = (await upcomingNextSteps(db, today, 200)).filter((note) => note.nextStepDate === today);
  if (due.length === 0) return [];
  const stored = (await storage.get(NOTIFIED_KEY))[NOTIFIED_KEY] as { day?: unknown; ids?: unknown } | undefined;
  const already = new Set(stored?.day === today && Array.isArray(stored.ids) ? stored.ids.filter((id): id is string => typeof id === 'string') : []);
  const fresh = due.filter((note) => !already.has(note.id));
  if (fresh.length === 0) return [];
  // Remember first: a notification shown twice is worse than one lost to a crash between the two lines.
  await storage.set({ [NOTIFIED_KEY]: { day: today, ids: [...already, ...fresh.map((note) => note.id)] } });
  const t = translator(notesMessages, backgroundLocale());
  for (const note of fresh) {
    await browser.notifications.create(`headway-next-step:${note.id}:${today}`, {
      type: 'basic',
      iconUrl: NOTIFICATION_ICON,
      title: note.recordTitle ? t('dueTodayOn', { title: note.recordTitle }) : t('dueToday'),
      message: note.nextStep || note.text.slice(0, 200) || t('dueTodayText'),
    });
  }
  return fresh.map((note) => note.id);
}
