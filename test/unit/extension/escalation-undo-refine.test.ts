import { describe, expect, it, vi } from 'vitest';
import type { EscalationInput } from '../../../core/schema';
import { ApiFailure } from '../../../extension/api';
import { createSentLog, type SentRecord } from '../../../extension/background/escalation/sent-log';
import { createUndoRefine } from '../../../extension/background/escalation/undo-refine';
import type { SyncRunner } from '../../../extension/background/sync/runner';
import { fakeServer, memoryStorage } from './escalation-fakes';

const NOW = new Date('2026-11-27T10:00:00.000Z');
const input: EscalationInput = {
  id: 'e-sent',
  category: 'shortcoming',
  severity: 'normal',
  title: 'Acme renewal is stuck',
  body: '',
  to: { role: 'head' },
  record: { crm: 'suitecrm', instance: 'https://crm.example.test', recordType: 'deal', crmId: 'opp-1' },
  context: { title: 'Acme renewal' },
} as EscalationInput;

/** One escalation this browser sent at `sentAt`, already pushed (the outbox is empty), and a server double. */
async function setup(sentAt: string, server: (method: string, path: string, body: unknown) => unknown) {
  const queued: { name: string; args: EscalationInput }[] = [];
  const runner = {
    outbox: async () => ({ pending: async () => [], enqueue: async (name: string, args: EscalationInput) => void queued.push({ name, args }) }),
    enqueued: vi.fn(),
    sync: vi.fn(async () => undefined),
  } as unknown as SyncRunner;
  const { server: fake, asked } = fakeServer(server);
  const sent = createSentLog(memoryStorage(), runner);
  const record: SentRecord = { input, sentAt, reason: null, undo: false, undone: false };
  await sent.save(input.id, record);
  const work = createUndoRefine({ runner, server: fake, sent, now: () => NOW });
  return { work, sent, asked, queued };
}

const refine = { type: 'escalation-refine' as const, id: 'e-sent', title: 'Acme renewal is stuck', body: 'Legal has had it for two weeks.' };

describe('undo and refine once the escalation is on the server', () => {
  it('Undo withdraws it within the window and says it is too late after', async () => {
    const fresh = await setup('2026-11-27T09:59:57.000Z', () => ({}));
    expect(await fresh.work.undo('e-sent')).toEqual({ ok: true, message: 'Undone: the escalation was withdrawn.' });
    expect(fresh.asked).toEqual([{ method: 'POST', path: '/api/escalations/e-sent/actions', body: { type: 'withdraw', reason: 'Undone by the sender right after sending.' } }]);
    expect((await fresh.sent.all())['e-sent']).toMatchObject({ undone: true });
    expect(await fresh.work.undo('e-sent')).toEqual({ ok: true, message: 'Already undone.' });

    const stale = await setup('2026-11-27T09:59:00.000Z', () => ({}));
    expect(await stale.work.undo('e-sent')).toEqual({ ok: false, message: 'Too late to undo here; withdraw it from the inbox.' });
    expect(stale.asked).toEqual([]);
  });

  it('a refused withdraw is shown as the server worded it', async () => {
    const env = await setup('2026-11-27T09:59:57.000Z', () => {
      throw new ApiFailure('rejected', 'Already acknowledged; it can no longer be withdrawn.', 409);
    });
    expect(await env.work.undo('e-sent')).toEqual({ ok: false, message: 'Already acknowledged; it can no longer be withdrawn.' });
    expect((await env.sent.all())['e-sent']).toMatchObject({ undone: false });
  });

  it('Refine with the same category and severity edits title and text against the version it read', async () => {
    const env = await setup('2026-11-27T09:59:00.000Z', (method) => (method === 'GET' ? { escalation: { category: 'shortcoming', severity: 'normal', version: 4 } } : {}));
    expect(await env.work.refine({ ...refine, category: 'shortcoming', severity: 'normal' })).toEqual({ ok: true, message: 'Saved.' });
    expect(env.asked[1]).toEqual({ method: 'POST', path: '/api/escalations/e-sent/actions', body: { type: 'edit', baseVersion: 4, title: refine.title, body: refine.body } });
    expect(env.queued).toEqual([]);
    expect((await env.sent.all())['e-sent']!.input.body).toBe(refine.body);
  });

  it('Refine to another category or severity withdraws it and sends a new one in its place', async () => {
    const env = await setup('2026-11-27T09:59:00.000Z', (method) => (method === 'GET' ? { escalation: { category: 'shortcoming', severity: 'normal', version: 4 } } : {}));
    expect(await env.work.refine({ ...refine, category: 'approval', severity: 'high' })).toEqual({ ok: true, message: 'Sent again as Approval (High).' });
    expect(env.asked.map((call) => (call.body as { type?: string } | undefined)?.type ?? call.method)).toEqual(['GET', 'withdraw']);
    expect(env.queued).toHaveLength(1);
    const replacement = env.queued[0]!;
    expect(replacement).toMatchObject({ name: 'escalation.create', args: { category: 'approval', severity: 'high', body: refine.body, record: input.record } });
    expect(replacement.args.id).not.toBe('e-sent');
    const all = await env.sent.all();
    expect(all['e-sent']).toMatchObject({ undone: true });
    expect(all[replacement.args.id]).toMatchObject({ undone: false, input: { category: 'approval' } });
    // The next offline click goes where this one went.
    expect(await env.sent.lastChoice()).toEqual({ category: 'approval', severity: 'high', to: { role: 'head' } });
  });
});
