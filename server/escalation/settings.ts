import {
  DeliverySettings,
  EscalationSettings,
  EscalationSettingsView,
  type EscalationSettingsUpdate,
} from '../../core/schema';
import { readJson, writeJson } from '../store/json-column';
import type { Tx } from '../store/transaction';
import { refusal } from '../refusal/refused';
import { internalWebhookAddress } from './webhook-target';

const settingsKey = 'escalation';
const deliveryKey = 'escalation_delivery';

async function readKey(db: Tx, key: string): Promise<unknown> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? readJson(row.value) : {};
}

async function writeKey(db: Tx, key: string, value: unknown): Promise<void> {
  const text = writeJson(value);
  await db
    .insertInto('settings')
    .values({ key, value: text })
    .onConflict((conflict) => conflict.column('key').doUpdateSet({ value: text }))
    .execute();
}

/** Rules, business calendar and discount threshold; core's defaults until an admin saves their own. */
export async function readEscalationSettings(db: Tx): Promise<EscalationSettings> {
  return EscalationSettings.parse(await readKey(db, settingsKey));
}

/** Webhook and SMTP settings, secrets included: for the server's own use, never for an answer. */
export async function readDeliverySettings(db: Tx): Promise<DeliverySettings> {
  return DeliverySettings.parse(await readKey(db, deliveryKey));
}

export function settingsView(settings: EscalationSettings, delivery: DeliverySettings): EscalationSettingsView {
  return EscalationSettingsView.parse({
    ...settings,
    delivery: {
      baseUrl: delivery.baseUrl,
      webhookUrl: delivery.webhookUrl,
      webhookSecretSet: delivery.webhookSecret !== null,
      smtp: delivery.smtp,
      smtpPasswordSet: delivery.smtpPassword !== null,
    },
  });
}

/** Applies a PUT: parts given replace stored ones; secrets left out are kept. */
export async function updateEscalationSettings(tx: Tx, update: EscalationSettingsUpdate, allowNetworks: readonly string[] = []): Promise<EscalationSettingsView> {
  const current = await readEscalationSettings(tx);
  const next = EscalationSettings.parse({
    discountApprovalPct: update.discountApprovalPct ?? current.discountApprovalPct,
    rules: update.rules ?? current.rules,
    calendar: update.calendar ?? current.calendar,
  });
  const delivery = await readDeliverySettings(tx);
  const patch = update.delivery ?? {};
  const nextDelivery = DeliverySettings.parse({
    baseUrl: patch.baseUrl ?? delivery.baseUrl,
    webhookUrl: patch.webhookUrl === undefined ? delivery.webhookUrl : patch.webhookUrl,
    webhookSecret: patch.webhookSecret === undefined ? delivery.webhookSecret : patch.webhookSecret,
    smtp: patch.smtp === undefined ? delivery.smtp : patch.smtp,
    smtpPassword: patch.smtpPassword === undefined ? delivery.smtpPassword : patch.smtpPassword,
  });
  // An unsigned webhook would let anyone who learns the URL forge escalation events.
  if (nextDelivery.webhookUrl !== null && nextDelivery.webhookSecret === null) {
    throw refusal('invalid_settings', 'webhookNeedsSecret');
  }
  // Checked again on the resolved address at each delivery; here an obviously internal URL is refused at once.
  const internal = nextDelivery.webhookUrl === null ? null : internalWebhookAddress(nextDelivery.webhookUrl, allowNetworks);
  if (internal) throw refusal('invalid_settings', 'webhookInternal', { address: internal });
  if (nextDelivery.smtpPassword !== null && nextDelivery.smtp?.username == null) {
    throw refusal('invalid_settings', 'smtpPasswordNeedsUser');
  }
  await writeKey(tx, settingsKey, next);
  await writeKey(tx, deliveryKey, nextDelivery);
  return settingsView(next, nextDelivery);
}
