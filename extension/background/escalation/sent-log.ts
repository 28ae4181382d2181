import type { EscalationInput } from '../../../core/schema';
import type { StorageAreaLike } from '../../session';
import type { SyncRunner } from '../sync/runner';
import type { LastChoice } from '../../escalation/build';

/**
 * What this browser sent, kept in local storage. The escalate window, Undo, Refine and the join check all start
 * from here, and whether a sent one still waits in the outbox decides what each of them may do.
 */

const SENT_KEY = 'headway.escalations.sent';
const LAST_KEY = 'headway.escalations.last';
/** The window needs only the newest, and a push withdraws only the few undone ones. */
const KEPT = 50;

export interface SentRecord {
  input: EscalationInput;
  sentAt: string;
  reason: string | null;
  /** Undo pressed while it still waited in the outbox: withdraw as soon as the push went through. */
  undo: boolean;
  undone: boolean;
  /** The open escalation the server joined it to (found after the push; see build.ts joinedInto). */
  joinedInto?: string;
}

export function createSentLog(storage: StorageAreaLike, runner: SyncRunner) {
  async function all(): Promise<Record<string, SentRecord>> {
    return ((await storage.get(SENT_KEY))[SENT_KEY] as Record<string, SentRecord> | undefined) ?? {};
  }
  return {
    all,
    async save(id: string, record: SentRecord): Promise<void> {
      const kept = Object.entries({ ...(await all()), [id]: record })
        .sort(([, a], [, b]) => b.sentAt.localeCompare(a.sentAt))
        .slice(0, KEPT);
      await storage.set({ [SENT_KEY]: Object.fromEntries(kept) });
    },
    /** Its entry while it still waits to be pushed; null once the server has it. */
    async inOutbox(id: string) {
      const pending = await (await runner.outbox()).pending();
      return pending.find((entry) => entry.name === 'escalation.create' && (entry.args as { id?: string }).id === id) ?? null;
    },
    /** The sender's last refined choice: the next offline click goes where that one went. */
    async lastChoice(): Promise<LastChoice | null> {
      return ((await storage.get(LAST_KEY))[LAST_KEY] as LastChoice | undefined) ?? null;
    },
    async rememberChoice(choice: LastChoice): Promise<void> {
      await storage.set({ [LAST_KEY]: choice });
    },
  };
}
export type SentLog = ReturnType<typeof createSentLog>;
