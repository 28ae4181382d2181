import type { WxtBrowser } from 'wxt/browser';
import { NOTIFICATION_ICON } from '../sync/notification-icon';
import { ESCALATIONS_CHANGED } from '../../escalation/messages';

/**
 * How the background tells about escalations: desktop notifications under one id scheme, so a click on any of them
 * opens that escalation in the inbox, and a message to Headway's open pages (the inbox, the escalate window).
 */

const PREFIX = 'headway-escalation:';

export function notifyAbout(browser: WxtBrowser, escalationId: string, title: string, message: string): void {
  void browser.notifications?.create(`${PREFIX}${escalationId}`, { type: 'basic', iconUrl: NOTIFICATION_ICON, title, message }).catch(() => undefined);
}

export function openInboxOnClick(browser: WxtBrowser): void {
  browser.notifications?.onClicked.addListener((notificationId) => {
    if (!notificationId.startsWith(PREFIX)) return;
    const id = notificationId.slice(PREFIX.length);
    void browser.tabs.create({ url: browser.runtime.getURL(`/inbox.html?id=${encodeURIComponent(id)}`) });
  });
}

/** Tells the open pages that escalations changed so they reload; nobody listening is fine. */
export function announceChange(browser: WxtBrowser): void {
  void Promise.resolve()
    .then(() => browser.runtime.sendMessage?.({ type: ESCALATIONS_CHANGED }))
    .catch(() => undefined);
}
