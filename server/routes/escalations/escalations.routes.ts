import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import type { EscalationCreateResponse, EscalationDetail, EscalationPresetResponse, EscalationSettingsView, EscalationsResponse, EscalationView } from '../../../core/schema';
import { auditExport, escalationDetail, escalationPreset, listEscalations } from '../../escalation/queries';
import { reportLink } from '../../escalation/reports';
import { actOnEscalation, createEscalation, toView } from '../../escalation/service';
import { readDeliverySettings, readEscalationSettings, settingsView, updateEscalationSettings } from '../../escalation/settings';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { apiError, refuse, requestLocale } from '../../http/errors';
import { jsonBody, paramsOf, queryOf } from '../../http/validate';
import { appendChanges } from '../../sync/change-log';
import { writeTransaction } from '../../store/transaction';
import { foreignTenant, isWorkspaceTenant } from '../../store/workspace';

/**
 * The escalation inbox and thread (issue 8): list, read, raise, act, the one-click preset, the audit export, and the
 * workspace's escalation settings. Every change is validated by core/escalation and appended to the change log.
 */
export const escalationsRoutes = new Hono<AppEnv>()
  .get(routes.escalations.path, guard(routes.escalations), queryOf(routes.escalations.query), async (c) => {
    const { store, clock } = c.var.deps;
    const list = await listEscalations(store.db, c.var.user, c.req.valid('query'), clock.now().toISOString());
    return c.json(list satisfies EscalationsResponse, 200);
  })
  .get(routes.escalationPreset.path, guard(routes.escalationPreset), queryOf(routes.escalationPreset.query), async (c) => {
    const { store, clock } = c.var.deps;
    const record = c.req.valid('query');
    if (!(await isWorkspaceTenant(store.db, record))) throw foreignTenant(record);
    const answer = await escalationPreset(store.db, c.var.user, c.req.valid('query'), clock.now().toISOString().slice(0, 10), requestLocale(c));
    return c.json(answer satisfies EscalationPresetResponse, 200);
  })
  .get(routes.escalationAudit.path, guard(routes.escalationAudit), queryOf(routes.escalationAudit.query), async (c) => {
    const { store, clock } = c.var.deps;
    const { from, to } = c.req.valid('query');
    const csv = await auditExport(store.db, c.var.user, from, to, requestLocale(c));
    const name = `headway-escalation-audit_${from ?? 'start'}_${to ?? clock.now().toISOString().slice(0, 10)}.csv`;
    return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"` });
  })
  .get(routes.escalation.path, guard(routes.escalation), paramsOf(routes.escalation.params), async (c) => {
    const { store, clock } = c.var.deps;
    const detail = await escalationDetail(store.db, c.var.user, c.req.valid('param').id, clock.now().toISOString());
    if (!detail) return refuse(c, 404, 'not-found', 'noEscalation');
    return c.json(detail satisfies EscalationDetail, 200);
  })
  .post(routes.raiseEscalation.path, guard(routes.raiseEscalation), jsonBody(routes.raiseEscalation.body), async (c) => {
    const { store, clock } = c.var.deps;
    const now = clock.now().toISOString();
    const outcome = await writeTransaction(store, async (tx) => {
      const result = await createEscalation(tx, c.var.user, c.req.valid('json'), now);
      await appendChanges(tx, result.changes, now);
      return result;
    });
    const answer: EscalationCreateResponse = { escalation: toView(outcome.stored, now), joined: outcome.joined, notice: outcome.notice };
    return c.json(answer, outcome.created ? 201 : 200);
  })
  .post(routes.actOnEscalation.path, guard(routes.actOnEscalation), paramsOf(routes.actOnEscalation.params), jsonBody(routes.actOnEscalation.body), async (c) => {
    const { store, clock } = c.var.deps;
    const now = clock.now().toISOString();
    const stored = await writeTransaction(store, async (tx) => {
      const result = await actOnEscalation(tx, c.var.user, c.req.valid('param').id, c.req.valid('json'), now, {
        newId: randomUUID,
        reportLink: (id) => reportLink(tx, id),
      });
      await appendChanges(tx, result.changes, now);
      return result;
    });
    return c.json(toView(stored, now) satisfies EscalationView, 200);
  })
  .get(routes.escalationSettings.path, guard(routes.escalationSettings), async (c) => {
    const db = c.var.deps.store.db;
    const view = settingsView(await readEscalationSettings(db), await readDeliverySettings(db));
    return c.json(view satisfies EscalationSettingsView, 200);
  })
  .put(routes.updateEscalationSettings.path, guard(routes.updateEscalationSettings), jsonBody(routes.updateEscalationSettings.body), async (c) => {
    const { store, config } = c.var.deps;
    const view = await writeTransaction(store, (tx) => updateEscalationSettings(tx, c.req.valid('json'), config.webhookAllowNetworks));
    return c.json(view satisfies EscalationSettingsView, 200);
  });
