import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { preparedOnPostgres, precompiled } from '../../server/store/precompiled';
import { describeEachStore } from './stores';
import { TestClock, signedIn, testApp, declareTenant } from './helpers';
import { newClientId, noteCreate, pushOk } from './sync-fixtures';

// The hot statements run prepared on PostgreSQL (parsed and planned once per connection); these pin that down and
// that preparing changes no answer: values are bound afresh on every run, and other statements run as before.
describeEachStore('precompiled statements', ({ store, kind }) => {
  const echo = precompiled((db, param: (name: 'text' | 'count') => never) =>
    db.selectNoFrom((eb) => [eb.cast<string>(eb.val(param('text')), 'text').as('text'), eb.cast<number>(eb.val(param('count')), 'integer').as('count')]),
  );

  it('binds fresh values on every run, tricky text included', async () => {
    const texts = ['', 'plain', "it's", 'say "yes"', 'back\\slash', '{a,b}', 'tab\tnew\nline', 'naïve – 日本語 – 🙂', 'NULL'];
    for (const [index, text] of texts.entries()) {
      const { rows } = await echo(store().db, kind, { text, count: index });
      expect(rows).toEqual([{ text, count: index }]);
    }
  });

  if (kind !== 'postgres') return;

  const preparedOn = (db: Parameters<typeof echo>[0]) =>
    sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db).then((result) => result.rows.map((row) => row.statement));

  it('prepares a marked statement once per connection, and leaves other statements unprepared', async () => {
    await store().db.connection().execute(async (connection) => {
      await echo(connection, kind, { text: 'first', count: 1 });
      expect((await echo(connection, kind, { text: 'second', count: 2 })).rows).toEqual([{ text: 'second', count: 2 }]);
      const statements = await preparedOn(connection);
      expect(statements.filter((statement) => /select cast\(\$1 as text\)/i.test(statement))).toHaveLength(1);
      expect(statements.some((statement) => statement.includes('pg_prepared_statements'))).toBe(false);
    });
  });

  it('runs the push path prepared and still answers each batch exactly', async () => {
    const clock = new TestClock();
    const app = testApp(store(), clock);
    await declareTenant(store(), clock);
    const manager = await signedIn(app, store(), clock, { role: 'manager' });
    const clientId = newClientId();
    // Pooled connections are reused, so later batches run statements their connection prepared for an earlier one.
    for (let batch = 0; batch < 12; batch++) {
      const mutations = [1, 2, 3].map((offset) => noteCreate(batch * 3 + offset));
      const response = await pushOk(app, manager.auth, clientId, mutations);
      expect(response).toEqual({ lastMutationId: batch * 3 + 3, results: mutations.map((m) => ({ mutationId: m.mutationId, ok: true })) });
    }
    const notes = await store().db.selectFrom('notes').select('id').where('author_id', '=', manager.user.id).execute();
    expect(notes).toHaveLength(36);
  });
});

describe('preparedOnPostgres', () => {
  it('answers the text unchanged, so callers use it in place', () => {
    expect(preparedOnPostgres('select 2 as unchanged')).toBe('select 2 as unchanged');
  });
});
