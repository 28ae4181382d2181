import { describe, expect, it } from 'vitest';
import type { WxtBrowser } from 'wxt/browser';
import { notifyAbout, openInboxOnClick } from '../../../extension/background/escalation/notices';

/** A browser that records notifications and opened tabs, and lets the test click a notification. */
function fakeBrowser() {
  const shown: { id: string; title: string; message: string }[] = [];
  const opened: string[] = [];
  let onClick: ((id: string) => void) | undefined;
  const browser = {
    runtime: { getURL: (path: string) => `chrome-extension://id${path}` },
    notifications: {
      create: async (id: string, options: { title: string; message: string }) => void shown.push({ id, title: options.title, message: options.message }),
      onClicked: { addListener: (listener: (id: string) => void) => (onClick = listener) },
    },
    tabs: { create: async ({ url }: { url: string }) => void opened.push(url) },
  } as unknown as WxtBrowser;
  return { browser, shown, opened, click: (id: string) => onClick?.(id) };
}

describe('escalation notices', () => {
  it('a click on any escalation notice opens that escalation in the inbox; other notices are left alone', () => {
    const env = fakeBrowser();
    openInboxOnClick(env.browser);
    notifyAbout(env.browser, 'e-open/1', 'Joined the open escalation', 'Added to “Acme renewal is stuck”.');
    expect(env.shown).toEqual([{ id: 'headway-escalation:e-open/1', title: 'Joined the open escalation', message: 'Added to “Acme renewal is stuck”.' }]);
    env.click(env.shown[0]!.id);
    env.click('headway-next-step:n-1:2026-11-27');
    expect(env.opened).toEqual(['chrome-extension://id/inbox.html?id=e-open%2F1']);
  });

  it('shows nothing and throws nothing in a browser without notifications', () => {
    const browser = { runtime: { getURL: (path: string) => path } } as unknown as WxtBrowser;
    expect(() => {
      openInboxOnClick(browser);
      notifyAbout(browser, 'e-1', 'Escalation · high', 'Needs the head');
    }).not.toThrow();
  });
});
