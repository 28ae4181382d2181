import type { WxtBrowser } from 'wxt/browser';
import { backgroundSilence } from './background-answer/silence';
import { BackgroundFailure, MESSAGES, type MessageType, type RequestInput, type ResponseFor } from './messages';

/**
 * How extension pages ask the background. Answers are parsed on arrival too: a half-updated extension
 * (new page, old worker) must show a message, not crash. The content script uses content-client.ts instead.
 */
export async function askBackground<T extends MessageType>(
  browser: Pick<WxtBrowser, 'runtime'>,
  request: RequestInput<T> & { type: T },
): Promise<ResponseFor<T>> {
  let answer: unknown;
  try {
    answer = await browser.runtime.sendMessage(request);
  } catch {
    throw backgroundSilence('silentExtension');
  }
  const failure = BackgroundFailure.safeParse(answer);
  if (failure.success) throw new Error(failure.data.failure);
  const schema: { safeParse(value: unknown): { success: boolean; data?: unknown } } = MESSAGES[request.type].response;
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw backgroundSilence('unexpected');
  return parsed.data as ResponseFor<T>;
}
