import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { askFailed, readAnswer } from '../../../components/Escalation/answers';

const Count = z.object({ count: z.number() });

describe('how the escalation pages read the background’s answers', () => {
  it('gives the parsed data, the server’s sentence, or one sentence for an answer of the wrong shape', () => {
    expect(readAnswer({ ok: true, data: { count: 3 } }, Count)).toEqual({ ok: true, data: { count: 3 } });
    expect(readAnswer({ ok: false, message: 'Only the head of sales may answer this.', status: 403 }, Count)).toEqual({ ok: false, message: 'Only the head of sales may answer this.' });
    expect(readAnswer({ ok: true, data: { count: 'three' } }, Count)).toEqual({ ok: false, message: 'The server answered something unexpected.' });
  });

  it('shows a background that did not answer like a refusal, with the sentence askBackground threw', async () => {
    const thrown = Promise.reject(new Error('Headway’s background is not answering. Reload the extension or the browser.'));
    expect(await thrown.catch(askFailed)).toEqual({ ok: false, message: 'Headway’s background is not answering. Reload the extension or the browser.', status: null });
  });
});
