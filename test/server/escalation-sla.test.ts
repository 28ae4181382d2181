import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { EscalationCreateResponse, EscalationDetail } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { runCli } from '../../server/cli/run';
import { sweepOverdue } from '../../server/escalation/sla';
import { openMigratedStore } from '../../server/store/store';
import { TestClock, testApp } from './helpers';
import { escalationBody, escalationClockStart, json, seedEscalationWorld, send, type Auth, type EscalationWorld } from './escalation-fixtures';
import { pullAll } from './sync-fixtures';
import { describeEachStore } from './stores';

const HOUR = 3_600_000;
const root = resolve(import.meta.dirname, '../..');

/** `npm run server -- sla sweep --json` as its own process. */
async function spawnSweep(databaseUrl: string): Promise<{ escalated: string[]; flagged: string[] }> {
  const { stdout } = await promisify(execFile)(resolve(root, 'node_modules/.bin/tsx'), ['server/cli.ts', 'sla', 'sweep', '--json'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { escalated: string[]; flagged: string[] };
}

describeEachStore('escalation SLA sweeper', ({ store, databaseUrl, kind }) => {
  const clock = new TestClock(escalationClockStart);
  let app: HeadwayApp;
  let w: EscalationWorld;
  beforeAll(async () => {
    app = testApp(store(), clock);
    w = await seedEscalationWorld(app, store(), clock);
  });

  const open = async (severity: string, auth: Auth, title = `SLA ${severity}`) =>
    EscalationCreateResponse.parse(await json(await app.request('/api/escalations', send('POST', escalationBody({ severity, title }), auth)), 201)).escalation;
  const detail = async (id: string) => EscalationDetail.parse(await json(await app.request(`/api/escalations/${id}`, { headers: w.admin.auth }), 200));

  it('moves an overdue escalation one level up once, flags it, and leaves one still in time untouched', async () => {
    const critical = await open('critical', w.ana.auth); // 2 business hours: due 11:00 on Monday
    const normal = await open('normal', w.ben.auth);
    expect(critical.slaDue).toBe('2026-03-16T11:00:00.000Z');
    clock.advance(HOUR);
    expect((await sweepOverdue(store(), clock)).escalated).not.toContain(critical.id);
    clock.advance(2 * HOUR); // 12:00
    const first = await sweepOverdue(store(), clock);
    expect(first.escalated).toContain(critical.id);
    expect(first.escalated).not.toContain(normal.id);
    const moved = await detail(critical.id);
    expect(moved.escalation).toMatchObject({ to: { role: 'exec' }, status: 'open', version: 2, overdueAt: '2026-03-16T12:00:00.000Z', slaDue: '2026-03-16T14:00:00.000Z' });
    expect(moved.audit.at(-1)).toMatchObject({ action: 'escalate-up', actorId: 'system', version: 2 });
    expect((await detail(normal.id)).escalation).toMatchObject({ version: 1, overdueAt: null, to: { role: 'head' } });
    // Run again at once: nothing more to do.
    const again = await sweepOverdue(store(), clock);
    expect(again.escalated).not.toContain(critical.id);
    expect(again.flagged).not.toContain(critical.id);
    expect((await detail(critical.id)).escalation.version).toBe(2);
    // The exec's inbox pulls it.
    const pulled = await pullAll(app, w.exec.auth);
    expect(pulled.changes.find((c) => c.entityId === critical.id)?.data).toMatchObject({ to: { role: 'exec' }, version: 2 });
  });

  it('flags an overdue escalation at the top of the ladder once, without moving it', async () => {
    const top = await open('critical', w.head.auth, 'Head to exec'); // head -> exec, nowhere further up
    clock.advance(3 * HOUR);
    const first = await sweepOverdue(store(), clock);
    expect(first.flagged).toContain(top.id);
    const flagged = await detail(top.id);
    expect(flagged.escalation).toMatchObject({ to: { role: 'exec' }, version: 1, overdue: true });
    expect(flagged.escalation.overdueAt).toBe(clock.now().toISOString());
    clock.advance(HOUR);
    const second = await sweepOverdue(store(), clock);
    expect(second.flagged).not.toContain(top.id);
    expect(second.escalated).not.toContain(top.id);
  });

  it('does not touch resolved or withdrawn escalations', async () => {
    const done = await open('critical', w.ana.auth, 'Resolved in time');
    await json(await app.request(`/api/escalations/${done.id}/actions`, send('POST', { type: 'resolve', decision: 'Yes.' }, w.head.auth)), 200);
    clock.advance(4 * HOUR);
    const result = await sweepOverdue(store(), clock);
    expect([...result.escalated, ...result.flagged]).not.toContain(done.id);
  });

  it('moves an escalation once when two server processes sweep at the same moment', async () => {
    const raced = await open('critical', w.cleo.auth, 'Raced');
    clock.advance(24 * HOUR); // opened after business hours: due the next morning
    let moves: string[];
    if (kind === 'sqlite') {
      // One SQLite connection blocks the whole thread while it waits for the lock, so the race needs real processes.
      // Their clock is the real one, long after this escalation's SLA.
      const sweeps = await Promise.all([spawnSweep(databaseUrl()), spawnSweep(databaseUrl())]);
      moves = sweeps.flatMap((s) => s.escalated);
    } else {
      const other = await openMigratedStore(databaseUrl());
      try {
        const sweeps = await Promise.all([sweepOverdue(store(), clock), sweepOverdue(other, clock)]);
        moves = sweeps.flatMap((s) => s.escalated);
      } finally {
        await other.close();
      }
    }
    expect(moves.filter((id) => id === raced.id)).toHaveLength(1);
    const trail = (await detail(raced.id)).audit.filter((entry) => entry.action === 'escalate-up');
    expect(trail).toHaveLength(1);
  });

  it('runs from the command line: sla sweep --json', async () => {
    const late = await open('critical', w.ben.auth, 'From the CLI');
    clock.advance(24 * HOUR);
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['sla', 'sweep', '--json'], { env: { DATABASE_URL: databaseUrl() }, out: (l) => out.push(l), err: (l) => err.push(l), clock });
    expect(code, err.join('\n')).toBe(0);
    expect(out).toHaveLength(1);
    const result = JSON.parse(out[0]!) as { escalated: string[]; flagged: string[] };
    expect(result.escalated).toContain(late.id);
    expect((await detail(late.id)).escalation.to).toEqual({ role: 'exec' });
  });
});
