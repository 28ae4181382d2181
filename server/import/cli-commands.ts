import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CrmId, DealColumnMap } from '../../core/schema';
import type { Clock } from '../clock';
import type { CommandLine } from '../cli/arguments';
import { required, takePositionals } from '../cli/arguments';
import { CommandFailed, UsageError } from '../cli/usage';
import type { Store } from '../store/store';
import { rebuildDealTotals } from '../plan/deal-totals';
import { writeTransaction } from '../store/transaction';
import { importDeals } from './deal-import';
import { createServiceToken, listServiceTokens, revokeServiceToken } from './service-tokens';

type Command = (line: CommandLine, store: Store, clock: Clock) => Promise<{ json: Record<string, unknown>; text: string }>;

/** `--map crmId=Id,title=Name,amount="Amount (EUR)"`: field=header pairs; a header may hold '=' but not ','. */
export function parseMapOption(text: string): z.infer<typeof DealColumnMap> {
  const pairs: Record<string, string> = {};
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) throw new UsageError(`--map wants field=Header pairs separated by commas, e.g. crmId=Id,title=Name; got "${part}"`);
    pairs[part.slice(0, at).trim()] = part.slice(at + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  const parsed = DealColumnMap.safeParse(pairs);
  if (!parsed.success) throw new UsageError(`--map: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'map'} – ${i.message}`).join('; ')}`);
  return parsed.data;
}

const tokenService: Command = async (line, store, clock) => {
  const [action, ...rest] = line.words.slice(2);
  const now = clock.now().toISOString();
  if (action === 'add') {
    if (rest.length > 0) throw new UsageError('Expected token service add --name "<name>".');
    const name = z.string().trim().min(1).max(200).parse(required(line.options.name, '--name'));
    const { token, serviceToken } = await createServiceToken(store.db, name, now);
    return {
      json: { token, serviceToken },
      text: `Service token for "${name}" (id ${serviceToken.id}):\n${token}\nIt may only call PUT /api/deals/:crm/:crmId and POST /api/deals/import. It is shown once; keep it in the CRM's secret store.`,
    };
  }
  if (action === 'list') {
    takePositionals(line.words, 3, 0, 'nothing after "token service list"');
    const tokens = await listServiceTokens(store.db);
    const text = tokens.length === 0 ? 'No service tokens.' : tokens.map((t) => `${t.id}  ${t.name}  created ${t.createdAt}${t.revokedAt ? `  revoked ${t.revokedAt}` : ''}`).join('\n');
    return { json: { serviceTokens: tokens }, text };
  }
  if (action === 'revoke') {
    const [id = ''] = takePositionals(line.words, 3, 1, 'a service token id: token service revoke <id>');
    if (!(await revokeServiceToken(store.db, id, now))) throw new CommandFailed(`No active service token has the id ${id}.`);
    return { json: { revoked: id }, text: `Revoked service token ${id}.` };
  }
  throw new UsageError('Expected token service add --name "<name>", token service list, or token service revoke <id>.');
};

const dealsImport: Command = async (line, store, clock) => {
  const [file = ''] = takePositionals(line.words, 2, 1, 'a CSV file: deals import deals.csv --map crmId=Id,title=Name [--crm <crm>] [--instance <url>] [--dry-run]');
  const map = parseMapOption(required(line.options.map, '--map'));
  const crm = line.options.crm === undefined ? undefined : CrmId.safeParse(line.options.crm).data;
  if (line.options.crm !== undefined && crm === undefined) throw new UsageError(`--crm: unknown CRM "${line.options.crm}"; one of ${CrmId.options.join(', ')}`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CommandFailed(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Progress goes to stderr, on a terminal only: stdout stays the one answer (one JSON object with --json).
  const onProgress = process.stderr.isTTY && !line.json ? (done: number, total: number) => process.stderr.write(`\r${done} / ${total} rows${done === total ? '\n' : ''}`) : undefined;
  const result = await importDeals(
    store,
    text,
    { map, crm, instance: line.options.instance, dryRun: line.dryRun, author: { feed: 'server command line' }, ...(onProgress ? { onProgress } : {}) },
    clock.now().toISOString(),
  );
  const summary = `${result.rows} row(s): ${result.created} new, ${result.updated} changed, ${result.unchanged} unchanged`;
  if (!result.ok) {
    // Exit 1 with every bad row, as lines an admin can fix the file from.
    throw new CommandFailed([`Nothing was imported; ${result.errors.length} bad row(s):`, ...result.errors.map((e) => `  line ${e.line}: ${e.reason}`)].join('\n'));
  }
  const unmatched = result.unmatchedOwners.length > 0 ? `\nOwners no user matched (kept without owner): ${result.unmatchedOwners.join(', ')}` : '';
  return { json: result, text: `${result.dryRun ? 'Dry run, nothing written. Would import' : 'Imported'} ${summary}.${unmatched}` };
};

/** After deals were changed behind Headway's back (SQL by hand, a restore): recompute plan progress's totals. */
const totalsRebuild: Command = async (line, store) => {
  takePositionals(line.words, 2, 0, 'nothing after "totals rebuild"');
  await writeTransaction(store, (tx) => rebuildDealTotals(tx));
  const won = await store.db.selectFrom('won_totals').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  const open = await store.db.selectFrom('pipeline_totals').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return { json: { wonCells: Number(won.n), pipelineCells: Number(open.n) }, text: `Rebuilt plan-progress totals: ${won.n} won and ${open.n} pipeline cells.` };
};

/** Registered beside the admin commands (server/cli/admin-commands.ts), keyed by their first two words. */
export const importCommands: Record<string, Command> = {
  'token service': tokenService,
  'deals import': dealsImport,
  'totals rebuild': totalsRebuild,
};
