import { signal } from '@preact/signals';
import { h, render, type VNode } from 'preact';
import { browser } from 'wxt/browser';
import type { Locale } from '../core/i18n';
import type { ConnectionSnapshot } from '../extension/messages';
import { looksLikeSnapshot } from '../extension/protocol';
import { readCachedSnapshot, SNAPSHOT_CACHE_KEY } from '../extension/snapshot-cache';
import { LocaleContext, pageLocale } from './locale';

/**
 * Renders an extension page (dashboard, inbox, options, popup, escalate window, report) in its reader's language:
 * the signed-in user's own setting, else the browser's (core/i18n readerLocale, the rule the side panel and the
 * background follow too). The setting comes from the snapshot the background caches (snapshot-cache.ts), read
 * before the first paint so a Russian reader never sees an English frame; when the setting changes (the options
 * page's Language control, or another device) every open page follows. The document says its language (lang, so
 * screen readers and hyphenation follow) and its title from the page's catalogue.
 */
export function renderInLanguage(page: VNode, root: Element, title?: (locale: Locale) => string): void {
  const reader = signal<Locale | null>(null);
  function follow(snapshot: ConnectionSnapshot | null): void {
    const locale = pageLocale(snapshot?.user?.locale);
    document.documentElement.lang = locale;
    if (title) document.title = title(locale);
    reader.value = locale;
  }
  browser.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local' || !(SNAPSHOT_CACHE_KEY in changes)) return;
    const next = changes[SNAPSHOT_CACHE_KEY]?.newValue;
    follow(looksLikeSnapshot(next) ? next : null);
  });
  void readCachedSnapshot(browser.storage.local).then((cached) => reader.peek() ?? follow(cached));
  const Page = () => (reader.value ? h(LocaleContext.Provider, { value: reader.value }, page) : null);
  render(h(Page, null), root);
}
