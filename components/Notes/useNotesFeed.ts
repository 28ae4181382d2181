import { signal } from '@preact/signals';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { recordRefOf } from '../../core/crm';
import { openLivePort } from '../../extension/live-port';
import { looksLikeLiveMessage } from '../../extension/protocol';
import type { SyncSummary } from '../../extension/sync/messages';
import { reportRecord } from '../../extension/sync/notes-client';
import type { PageView } from '../Sidebar/model';

/**
 * The notes feature's own live port: sync summaries (badge count, waiting and refused changes) and the
 * capture-note command. Its own port so the feature plugs into the sidebar without touching how it mounts.
 */
export function useNotesFeed(onCapture: () => void) {
  const [sync, setSync] = useState<SyncSummary | null>(null);
  const captureWanted = useMemo(() => signal(false), []);
  const latestOnCapture = useRef(onCapture);
  latestOnCapture.current = onCapture;
  useEffect(
    () =>
      openLivePort(browser, looksLikeLiveMessage, (message) => {
        if (message.type === 'sync') setSync(message.sync);
        else if (message.type === 'command' && message.command === 'capture-note') {
          captureWanted.value = true;
          latestOnCapture.current();
        }
      }),
    [],
  );
  return { sync, captureWanted };
}

/**
 * Passive capture: whenever the page shows a record with fields read, tell the background, which queues a
 * deal.capture for deals whose fields changed since the last capture.
 */
export function usePassiveCapture(page: PageView | null): void {
  const { detected, fields, disabledReason } = page ?? {};
  const record = detected && !disabledReason ? recordRefOf(detected) : null;
  const signature = record ? JSON.stringify([record, fields]) : null;
  useEffect(() => {
    if (record && fields && Object.keys(fields).length > 0) reportRecord(browser, record, fields, location.href);
  }, [signature]);
}
