import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { recordRefOf } from '../../core/crm';
import { askInsightLite } from '../../extension/content-client';
import type { SidebarInsight } from '../../extension/messages';
import type { PageView } from '../../extension/messages';

/**
 * Asks the background for the owner and plan lines of what the page shows: again when the record or its fields
 * change, when the connection changes, and after every sync (`revision`), which is how won deals reach the bars.
 * A new record drops the last one's owner lines at once, so they never show beside the wrong deal.
 */
export function useInsight(page: PageView | null, online: boolean, revision: number): SidebarInsight | null {
  const [insight, setInsight] = useState<SidebarInsight | null>(null);
  const detected = page?.detected;
  const record = detected && !page?.disabledReason ? recordRefOf(detected) : null;
  const recordKey = JSON.stringify(record);
  useEffect(() => setInsight((last) => last && { ...last, owner: null, suggestion: null, move: null, ifWon: null }), [recordKey]);
  useEffect(() => {
    let current = true;
    // Offline too: the background answers the last figures the server gave, dated (insight.ts).
    void askInsightLite(browser, record, page?.fields ?? {}, revision).then((answer) => current && setInsight(answer));
    return () => {
      current = false;
    };
  }, [recordKey, JSON.stringify(page?.fields), online, revision]);
  return insight;
}
