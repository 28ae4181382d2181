import { beforeAll, expect, it } from 'vitest';
import { MoveRecord } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { TestClock, testApp } from './helpers';
import { clockStart, seedDepartment, send } from './load-fixtures';
import { pullAll } from './sync-fixtures';
import { describeEachStore } from './stores';

// Moves travel through pull like any entity: head and admin get every one, a manager those that take a deal from
// them or give one to them, exec none; the data is the move as the routes show it (MoveRecord).
describeEachStore('sync pull: moves per role', ({ store }) => {
  const clock = new TestClock(clockStart);
  let app: HeadwayApp;
  let world: Awaited<ReturnType<typeof seedDepartment>>;
  let anaToBen: MoveRecord;
  let cleoToDev: MoveRecord;

  beforeAll(async () => {
    app = testApp(store(), clock);
    world = await seedDepartment(app, store(), clock);
    const propose = async (body: unknown) => {
      const response = await app.request('/api/moves', send('POST', body, world.head.auth));
      expect(response.status).toBe(201);
      return MoveRecord.parse(await response.json());
    };
    anaToBen = await propose({ dealId: world.anaDeals[0]!.id, to: world.ben.user.id });
    cleoToDev = await propose({ dealId: world.cleoDeals[0]!.id, to: world.dev.user.id });
    // A second version of one move: pull sends its state as it is now, once.
    const approved = await app.request(`/api/moves/${cleoToDev.id}/approve`, { method: 'POST', headers: world.head.auth });
    expect(approved.status).toBe(200);
    cleoToDev = MoveRecord.parse(await approved.json());
  });

  const movesPulledBy = async (auth: Record<string, string>) => {
    const pulled = await pullAll(app, auth);
    const moves = pulled.changes.filter((c) => c.entity === 'move');
    // Every move a reader is told about comes with its data (none of these left anyone's view).
    expect(moves.every((c) => c.data !== null)).toBe(true);
    return new Map(moves.map((c) => [c.entityId, { version: c.version, move: MoveRecord.parse(c.data) }]));
  };

  it('sends head and admin every move, as the routes show it, newest version only', async () => {
    for (const who of [world.head, world.admin]) {
      const moves = await movesPulledBy(who.auth);
      expect([...moves.keys()].sort()).toEqual([anaToBen.id, cleoToDev.id].sort());
      expect(moves.get(anaToBen.id)?.move).toEqual(anaToBen);
      expect(moves.get(cleoToDev.id)).toEqual({ version: 2, move: cleoToDev });
      expect(cleoToDev).toMatchObject({ status: 'approved', fromName: 'Cleo Cruz', toName: 'Dev Desai' });
    }
  });

  it('sends a manager only the moves from or to them', async () => {
    const expected = [
      [world.ana, [anaToBen.id]],
      [world.ben, [anaToBen.id]],
      [world.cleo, [cleoToDev.id]],
      [world.dev, [cleoToDev.id]],
    ] as const;
    for (const [who, ids] of expected) {
      const moves = await movesPulledBy(who.auth);
      expect([...moves.keys()], who.user.name).toEqual(ids);
    }
    expect((await movesPulledBy(world.dev.auth)).get(cleoToDev.id)?.move).toEqual(cleoToDev);
  });

  it('sends exec no moves at all', async () => {
    const pulled = await pullAll(app, world.exec.auth);
    expect(pulled.changes.filter((c) => c.entity === 'move')).toEqual([]);
  });
});
