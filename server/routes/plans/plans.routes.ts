import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import { PlanCreate, type Plan, type PlanResponse, type PlansResponse, type User } from '../../../core/schema';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { refuse, requestLocale } from '../../http/errors';
import { refusal } from '../../refusal/refused';
import { jsonBody, paramsOf, queryOf } from '../../http/validate';
import { importAnswer } from '../../import/import-answer';
import { importPlans } from '../../import/plan-import';
import { csvBody } from '../../import/csv-body';
import { readFullSettings } from '../../plan/settings';
import { findPlan, planKindWord, isUniqueViolation, listPlans, mismatchesOf, newPlanId, planProblem, planRow, visiblePlans } from '../../plan/plans';
import { planFromRow } from '../../store/plans';
import { writeTransaction, type Tx } from '../../store/transaction';
import { listUsers } from '../../store/users';
import { appendChanges } from '../../sync/change-log';

async function usersById(tx: Tx): Promise<Map<string, User>> {
  return new Map((await listUsers(tx)).map((user) => [user.id, user]));
}

/** The mismatch flags of the group a plan belongs to, read inside the same transaction as the write. */
async function groupMismatches(tx: Tx, plan: Pick<Plan, 'kind' | 'period' | 'start'>) {
  const settings = await readFullSettings(tx);
  return mismatchesOf(await listPlans(tx, { kind: plan.kind, period: plan.period, start: plan.start }), settings);
}

/**
 * Plans: everyone signed in reads what their role may see; head and admin create, change, delete and import.
 * Bad values are 400s, a second plan for one scope and period a 409; targets that do not add up are flagged only.
 */
export const plansRoutes = new Hono<AppEnv>()
  .get(routes.plans.path, guard(routes.plans), queryOf(routes.plans.query), async (c) => {
    const { db } = c.var.deps.store;
    const user = c.var.user;
    const all = await listPlans(db, c.req.valid('query'));
    const settings = await readFullSettings(db);
    // A manager sees the department's target and their own, not colleagues' — so no sums over them either.
    const mismatches = user.role === 'manager' ? [] : mismatchesOf(all, settings);
    return c.json({ plans: visiblePlans(all, user), mismatches } satisfies PlansResponse, 200);
  })
  .post(routes.importPlans.path, guard(routes.importPlans), queryOf(routes.importPlans.query), csvBody, async (c) => {
    const { store, clock } = c.var.deps;
    try {
      return importAnswer(c, await importPlans(store, c.var.csv, { ...c.req.valid('query'), locale: requestLocale(c) }, clock.now().toISOString()));
    } catch (error) {
      // Another head saved a plan for one of the file's scopes after the file was checked: nothing was written.
      if (isUniqueViolation(error)) throw refusal('duplicate_plan', 'planSavedDuringImport');
      throw error;
    }
  })
  .post(routes.createPlan.path, guard(routes.createPlan), jsonBody(routes.createPlan.body), async (c) => {
    const { store, clock } = c.var.deps;
    const input = c.req.valid('json');
    const now = clock.now().toISOString();
    try {
      const answer = await writeTransaction(store, async (tx): Promise<PlanResponse> => {
        const problem = planProblem(input, await readFullSettings(tx), await usersById(tx), await listPlans(tx, input));
        if (problem) throw problem;
        const row = planRow(input, newPlanId(), 1, now);
        await tx.insertInto('plans').values(row).execute();
        await appendChanges(tx, [{ entity: 'plan', entityId: row.id, version: 1, ownerId: row.owner_id }], now);
        return { plan: planFromRow(row), mismatches: await groupMismatches(tx, input) };
      });
      return c.json(answer, 201);
    } catch (error) {
      planFailure(error, input);
    }
  })
  .put(routes.updatePlan.path, guard(routes.updatePlan), paramsOf(routes.updatePlan.params), jsonBody(routes.updatePlan.body), async (c) => {
    const { store, clock } = c.var.deps;
    const { id } = c.req.valid('param');
    const { baseVersion, ...input } = c.req.valid('json');
    const now = clock.now().toISOString();
    try {
      const answer = await writeTransaction(store, async (tx): Promise<PlanResponse | null> => {
        const current = await findPlan(tx, id);
        if (!current) return null;
        if (baseVersion !== undefined && baseVersion !== current.version) {
          throw refusal('conflict', 'planChanged', { id, current: current.version, base: baseVersion });
        }
        const others = (await listPlans(tx, input)).filter((plan) => plan.id !== id);
        const problem = planProblem(input, await readFullSettings(tx), await usersById(tx), others);
        if (problem) throw problem;
        const row = planRow(input, id, current.version + 1, now);
        await tx.updateTable('plans').set(row).where('id', '=', id).execute();
        await appendChanges(tx, [{ entity: 'plan', entityId: id, version: row.version, ownerId: row.owner_id, previousOwnerId: current.ownerId }], now);
        return { plan: planFromRow(row), mismatches: await groupMismatches(tx, input) };
      });
      if (!answer) return refuse(c, 404, 'not_found', 'noPlan', { id });
      return c.json(answer, 200);
    } catch (error) {
      planFailure(error, input);
    }
  })
  .delete(routes.deletePlan.path, guard(routes.deletePlan), paramsOf(routes.deletePlan.params), async (c) => {
    const { store, clock } = c.var.deps;
    const { id } = c.req.valid('param');
    const now = clock.now().toISOString();
    const deleted = await writeTransaction(store, async (tx) => {
      const current = await findPlan(tx, id);
      if (!current) return false;
      await tx.deleteFrom('plans').where('id', '=', id).execute();
      await appendChanges(tx, [{ entity: 'plan', entityId: id, version: current.version + 1, ownerId: current.ownerId }], now);
      return true;
    });
    if (!deleted) return refuse(c, 404, 'not_found', 'noPlan', { id });
    return c.json({ deleted: id }, 200);
  });

/** A refusal goes on to the app's one answer; a unique-index clash becomes one. */
function planFailure(error: unknown, input: PlanCreate): never {
  // Two heads saving the same scope at the same moment: the unique index lets one through.
  if (isUniqueViolation(error)) throw refusal('duplicate_plan', `planExists.${input.period}`, { kind: planKindWord(input.kind), start: input.start });
  throw error;
}
