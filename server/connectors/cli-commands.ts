import { ZodError } from 'zod';
import { pathOf } from '../../core/api/route';
import { routes } from '../../core/api/routes';
import { ConnectorSettings, type ConnectionStatus, type SyncReport } from '../../core/schema';
import type { AdminCommand } from '../cli/admin-commands';
import { takePositionals } from '../cli/arguments';
import { CommandFailed, UsageError } from '../cli/usage';
import { writeTransaction } from '../store/transaction';
import { ConnectRefused, connectCrm, hashHookSecret } from './connect';
import { findConnection, markDue, saveSettings } from './connections';
import { connectorEnvFrom } from './env';
import { connectForms, connectorFactory } from './registry';
import { ConnectorError } from './errors';
import type { ConnectorEnv } from './open';
import { connectionStatus, allConnectionStatuses } from './status';
import { syncConnection, type SyncProgress } from './sync/run';
import { collectWriteBacks } from './writeback/collect';

// `crm connect`, `crm sync`, `crm status`, `crm settings` (shapes in issue 14 and the README; other tools parse
// their --json). The credential comes only from HEADWAY_CRM_SECRET and never appears in any output.

const secretVariable = 'HEADWAY_CRM_SECRET';

function environment(io: Parameters<AdminCommand>[3], store: Parameters<AdminCommand>[1], clock: Parameters<AdminCommand>[2]): ConnectorEnv {
  try {
    return connectorEnvFrom(io.env, store, clock, 'cli').env;
  } catch (error) {
    if (error instanceof ZodError) throw new UsageError(`Invalid environment: ${error.issues.map((issue) => `${issue.path.join('.')} – ${issue.message}`).join('; ')}`);
    throw new CommandFailed(error instanceof Error ? error.message : String(error));
  }
}

const bar = (done: number, total: number) => {
  const width = 24;
  const filled = Math.min(width, Math.round((done / Math.max(total, 1)) * width));
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
};

/** Progress on stderr, a line every 5 % (or every 5,000 deals when the CRM does not say how many it has). */
function progressPrinter(err: (line: string) => void): (progress: SyncProgress) => void {
  let lastStep = -1;
  return ({ fetched, upserted, removed, total }) => {
    const step = total ? Math.floor((Math.min(fetched, total) / Math.max(total, 1)) * 20) : Math.floor(fetched / 5000);
    if (step === lastStep) return;
    lastStep = step;
    const figures = `${fetched.toLocaleString('en-US')} read, ${upserted.toLocaleString('en-US')} stored, ${removed.toLocaleString('en-US')} removed`;
    err(total ? `Syncing deals ${bar(fetched, total)} ${Math.min(100, Math.round((fetched / Math.max(total, 1)) * 100))} % (${figures} of ${total.toLocaleString('en-US')})` : `Syncing deals… ${figures}`);
  };
}

function reportText(report: SyncReport): string {
  const lines = [
    `${report.full ? 'Full' : 'Incremental'} sync of ${report.origin}: ${report.fetched} read, ${report.upserted} stored, ${report.removed} removed, ${report.writtenBack} written back to the CRM.`,
    ...report.errors.map((error) => `Problem: ${error}`),
  ];
  return lines.join('\n');
}

function statusText(status: ConnectionStatus): string {
  const c = status.counts;
  return [
    `${status.origin}  ${status.crm} (${status.api}${status.username ? `, user ${status.username}` : ''}${status.clientId ? `, client ${status.clientId}` : ''})`,
    `  last success: ${status.lastSuccessAt ?? 'never'}${status.syncing ? '  (syncing now)' : ''}`,
    `  last error:   ${status.lastError ? `${status.lastError.at} ${status.lastError.kind}: ${status.lastError.message}` : 'none'}`,
    `  cursor:       ${status.cursor ?? 'none (the next sync reads everything)'}`,
    `  deals: ${c.deals}; write-backs pending: ${c.pendingWriteBacks} (failing: ${c.failedWriteBacks}); unmapped owners: ${c.unmappedOwners}`,
    ...status.unmappedOwners.map((owner) => `    unmapped: ${owner.name}${owner.email ? ` <${owner.email}>` : ''} (CRM user ${owner.crmUserId})`),
  ].join('\n');
}

/** Waits for the connection's lease when a server is syncing it right now, then syncs: `crm sync` always syncs. */
async function syncNow(env: ConnectorEnv, connectionId: string, options: Parameters<typeof syncConnection>[2]): Promise<SyncReport> {
  const deadline = Date.now() + (env.leaseMs ?? 90_000) + 30_000;
  for (;;) {
    const report = await syncConnection(env, connectionId, options);
    if (report.ran || Date.now() > deadline) return report;
    await new Promise((done) => setTimeout(done, 250));
  }
}

async function collectAll(env: ConnectorEnv): Promise<void> {
  while ((await collectWriteBacks(env.store, env.clock.now().toISOString())).size > 0);
}

const crmConnect: AdminCommand = async (line, store, clock, io) => {
  const [origin = '', crm = ''] = takePositionals(line.words, 2, 2, `an origin and a CRM: crm connect https://crm.acme.com <crm> with one of: ${connectForms().join('; ')}`);
  const secret = io.env[secretVariable];
  if (!secret) throw new UsageError(`Put the CRM secret (client secret, password or API token) in the environment variable ${secretVariable}; it is never read from the command line.`);
  const env = environment(io, store, clock);
  let connected;
  try {
    connected = await connectCrm(env, { origin, crm, api: line.crmOptions.api, clientId: line.crmOptions['client-id'], username: line.crmOptions.username, secret });
  } catch (error) {
    if (error instanceof ConnectRefused) throw new UsageError(error.message);
    if (error instanceof ConnectorError) throw new CommandFailed(`Could not connect to ${origin}: ${error.message}`);
    throw error;
  }
  if (!line.json) io.err(`Connected to ${origin} as ${connected.account}. First full sync…`);
  const report = await syncNow(env, connected.connection.id, { full: true, everyWriteBack: true, onProgress: line.json ? undefined : progressPrinter(io.err) });
  const status = await connectionStatus(store.db, (await findConnection(store.db, connected.connection.instance))!, clock.now());
  const hook = connected.hookSecret === null ? null : { path: pathOf(routes.crmHook, { id: connected.connection.id }), header: 'X-Headway-Hook-Secret', secret: connected.hookSecret };
  // Bitrix24, HubSpot and Pipedrive call their own event routes, verified their way; other CRMs that can send a header call the hook.
  const caller = connectorFactory(connected.connection.crm)?.hookCaller;
  const instance = connected.connection.instance;
  const eventSetUp: Partial<Record<string, string>> = {
    bitrix24: `add a Bitrix24 outbound webhook for ONCRMDEALADD, ONCRMDEALUPDATE and ONCRMDEALDELETE with the handler POST <this server>${hook?.path}/bitrix24, then give Headway its application token: HEADWAY_CRM_SECRET=<token> crm settings ${instance} --event-token set (README, "Connect Bitrix24").`,
    hubspot: `subscribe the private app's webhooks to deal creation, property changes and deletion with the target URL <this server>${hook?.path}/hubspot, then give Headway the app's client secret: HEADWAY_CRM_SECRET=<client secret> crm settings ${instance} --event-token set (README, "Connect HubSpot").`,
    pipedrive: `add a Pipedrive webhook (event object deal, action *) with the endpoint <this server>${hook?.path}/pipedrive and an HTTP auth user and password, then give Headway both: HEADWAY_CRM_SECRET=<user>:<password> crm settings ${instance} --event-token set (README, "Connect Pipedrive").`,
  };
  const events = eventSetUp[connected.connection.crm];
  const hookText = !hook
    ? ''
    : events
      ? `\nTo sync a deal as soon as it changes, ${events}`
      : caller
        ? `\nTo sync sooner than every minute, let ${caller} call POST <this server>${hook.path} with the header ${hook.header}: ${hook.secret} (shown once; README, "Connect a CRM's API").`
        : '';
  return {
    json: { connection: status, account: connected.account, hook, sync: report },
    text: `${reportText(report)}\n${statusText(status)}${hookText}`,
    ...(report.errors.length > 0 ? { exitCode: 1 as const } : {}),
  };
};

const crmSync: AdminCommand = async (line, store, clock, io) => {
  const [origin = ''] = takePositionals(line.words, 2, 1, 'an origin: crm sync https://crm.acme.com [--full]');
  const connection = await findConnection(store.db, origin);
  if (!connection) throw new CommandFailed(`No CRM connection for ${origin}; make one with crm connect.`);
  const env = environment(io, store, clock);
  await collectAll(env);
  const report = await syncNow(env, connection.id, { full: line.full, everyWriteBack: true, onProgress: line.json || !line.full ? undefined : progressPrinter(io.err) });
  if (!report.ran) throw new CommandFailed(`Another process kept syncing ${origin}; try again in a minute.`);
  return { json: { ...report }, text: reportText(report), ...(report.errors.length > 0 ? { exitCode: 1 as const } : {}) };
};

const crmStatus: AdminCommand = async (line, store, clock) => {
  takePositionals(line.words, 2, 0, 'nothing after "crm status"');
  const connections = await allConnectionStatuses(store.db, clock.now());
  return { json: { connections }, text: connections.length === 0 ? 'No CRM connections; make one with crm connect.' : connections.map(statusText).join('\n\n') };
};

function list(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter(Boolean);
}

function onOff(value: string, flag: string): boolean {
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new UsageError(`${flag} takes on or off.`);
}

/**
 * `--event-token set|none`: what a CRM's outbound events are verified with, read like every secret from
 * HEADWAY_CRM_SECRET only: Bitrix24's application token and Pipedrive's webhook credentials (user:password) are
 * kept as hashes; HubSpot's client secret is kept sealed, since verifying its HMAC signature needs the secret itself.
 * undefined: unchanged; null columns: removed.
 */
function eventCredential(
  crm: string,
  option: string | undefined,
  secret: string | undefined,
  box: () => ConnectorEnv['box'],
): { event_token_hash: string | null; event_secret_sealed: string | null } | undefined {
  if (option === undefined) return undefined;
  if (option === 'none') return { event_token_hash: null, event_secret_sealed: null };
  if (option !== 'set') throw new UsageError('--event-token takes set (the token from HEADWAY_CRM_SECRET) or none.');
  if (!secret) throw new UsageError(`Put the CRM's event token (Bitrix24: the outbound webhook's application token; HubSpot: the private app's client secret; Pipedrive: the webhook's user:password) in ${secretVariable}; it is never read from the command line.`);
  if (crm === 'hubspot') return { event_token_hash: null, event_secret_sealed: box().seal(secret) };
  if (crm === 'pipedrive' && !/^[^:]+:.+$/.test(secret)) throw new UsageError(`For Pipedrive, ${secretVariable} holds the webhook's HTTP Basic credentials as user:password.`);
  return { event_token_hash: hashHookSecret(secret), event_secret_sealed: null };
}

const crmSettings: AdminCommand = async (line, store, clock, io) => {
  const [origin = ''] = takePositionals(line.words, 2, 1, 'an origin: crm settings https://crm.acme.com [--purchase-when field=a,b|none] …');
  const connection = await findConnection(store.db, origin);
  if (!connection) throw new CommandFailed(`No CRM connection for ${origin}; make one with crm connect.`);
  const o = line.crmOptions;
  const next = { ...connection.settings };
  if (o['purchase-when'] !== undefined) {
    if (o['purchase-when'] === 'none') next.purchaseWhen = null;
    else {
      const [field = '', values = ''] = o['purchase-when'].split('=');
      if (!field || list(values).length === 0) throw new UsageError('--purchase-when takes <CRM field>=<value>[,<value>…] (e.g. opportunity_type=Purchase), or none.');
      next.purchaseWhen = { field: field.trim(), values: list(values) };
    }
  }
  if (o['won-stages'] !== undefined) next.extraWonStages = list(o['won-stages']);
  if (o['lost-stages'] !== undefined) next.extraLostStages = list(o['lost-stages']);
  if (o['apply-moves'] !== undefined) next.applyMoves = onOff(o['apply-moves'], '--apply-moves');
  if (o['next-step-tasks'] !== undefined) next.nextStepTasks = onOff(o['next-step-tasks'], '--next-step-tasks');
  if (o['sync-every'] !== undefined) next.syncEverySeconds = o['sync-every'] === 'default' ? null : Number(o['sync-every']);
  const eventToken = eventCredential(connection.crm, o['event-token'], io.env[secretVariable], () => environment(io, store, clock).box);
  const settings = ConnectorSettings.safeParse(next);
  if (!settings.success) throw new UsageError(`Invalid settings: ${settings.error.issues.map((issue) => `${issue.path.join('.')} – ${issue.message}`).join('; ')}`);
  const now = clock.now().toISOString();
  // A new rule or new closing stages change how every stored deal is judged: the next sync reads them all again.
  const rejudge = JSON.stringify([settings.data.purchaseWhen, settings.data.extraWonStages, settings.data.extraLostStages])
    !== JSON.stringify([connection.settings.purchaseWhen, connection.settings.extraWonStages, connection.settings.extraLostStages]);
  await writeTransaction(store, async (tx) => {
    await saveSettings(tx, connection.id, settings.data, now);
    if (eventToken !== undefined) await tx.updateTable('crm_connections').set(eventToken).where('id', '=', connection.id).execute();
    if (rejudge) await tx.updateTable('crm_connections').set({ cursor: null, run: null }).where('id', '=', connection.id).execute();
    await markDue(tx, connection.id, now);
  });
  const status = await connectionStatus(store.db, (await findConnection(store.db, origin))!, clock.now());
  return { json: { connection: status }, text: `Settings of ${origin} saved${rejudge ? '; the next sync reads every deal again' : ''}.\n${statusText(status)}` };
};

export const connectorCommands: Record<string, AdminCommand> = {
  'crm connect': crmConnect,
  'crm sync': crmSync,
  'crm status': crmStatus,
  'crm settings': crmSettings,
};
