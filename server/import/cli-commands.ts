import { constants, createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { z } from 'zod';
import { CrmId } from '../../core/schema';
import type { Clock } from '../clock';
import type { CommandLine } from '../cli/arguments';
import { required, takePositionals } from '../cli/arguments';
import { CommandFailed, UsageError } from '../cli/usage';
import type { Store } from '../store/store';
import { rebuildDealTotals } from '../plan/deal-totals';
import { writeTransaction } from '../store/transaction';
import { said } from '../../core/i18n';
import { shellLocale } from '../cli/locale';
import { refusalMessages } from '../refusal/i18n';
import { Refused } from '../refusal/refused';
import { csvTextPieces } from './csv-text';
import { StaleImport } from './deal-import-staging';
import { importDeals } from './deal-import';
import { cliOptionWords } from './deals-csv';
import { previewLines, refusalLines } from './import-report';
import { mappingFromOptions } from './mapping-options';
import { createServiceToken, listServiceTokens, revokeServiceToken } from './service-tokens';

type Command = (line: CommandLine, store: Store, clock: Clock) => Promise<{ json: Record<string, unknown>; text: string }>;

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

const importUsage = 'a CSV file: deals import deals.csv --map crmId=Id,title=Name [--value field:Value=value]… [--set field=value]… [--crm <crm>] [--instance <tenant>] [--dry-run | --preview]';

/** The file as UTF-8 pieces, telling `onBytes` how far it is; an unreadable file fails before anything is read. */
async function filePieces(file: string, onBytes: (read: number) => void): Promise<{ pieces: AsyncIterable<string>; size: number }> {
  let size: number;
  try {
    size = (await stat(file)).size;
    await access(file, constants.R_OK);
  } catch (error) {
    throw new CommandFailed(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  async function* counted() {
    let read = 0;
    for await (const bytes of createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
      read += bytes.byteLength;
      onBytes(read);
      yield bytes;
    }
  }
  return { pieces: csvTextPieces(counted()), size };
}

const dealsImport: Command = async (line, store, clock) => {
  const [file = ''] = takePositionals(line.words, 2, 1, importUsage);
  const mapping = mappingFromOptions({ map: required(line.options.map, '--map'), values: line.lists.value, constants: line.lists.set });
  const crm = line.options.crm === undefined ? undefined : CrmId.safeParse(line.options.crm).data;
  if (line.options.crm !== undefined && crm === undefined) throw new UsageError(`--crm: unknown CRM "${line.options.crm}"; one of ${CrmId.options.join(', ')}`);
  const dryRun = line.dryRun || line.preview;
  let bytesRead = 0;
  const { pieces, size } = await filePieces(file, (read) => (bytesRead = read));
  // Progress goes to stderr, on a terminal only: stdout stays the one answer (one JSON object with --json).
  const onProgress = process.stderr.isTTY && !line.json
    ? (done: number) => process.stderr.write(`\r${done.toLocaleString('en-US')} rows read (${size === 0 ? 100 : Math.floor((100 * bytesRead) / size)} %)`)
    : undefined;
  let result;
  try {
    result = await importDeals(
      store,
      pieces,
      {
        mapping, crm, instance: line.options.instance, dryRun, author: { feed: 'server command line' }, words: cliOptionWords, locale: shellLocale(),
        ...(onProgress ? { onProgress, onApplying: () => process.stderr.write(' checked; writing them…') } : {}),
      },
      clock.now().toISOString(),
    );
  } catch (error) {
    // The CLI speaks its user's language as the shell names it (LANG, e.g. ru_RU.UTF-8), English otherwise.
    if (error instanceof StaleImport) throw new CommandFailed(error.render(shellLocale()));
    if (error instanceof Refused) throw new CommandFailed(said(refusalMessages, 'nothingImported', { reason: error.text }).render(shellLocale()));
    throw error;
  } finally {
    if (onProgress) process.stderr.write('\n');
  }
  const preview = line.preview ? previewLines(result) : [];
  // Exit 1 with every bad row, as lines an admin can fix the file from (and the preview, which shows why).
  if (!result.ok) throw new CommandFailed([...preview, ...refusalLines(result, shellLocale())].join('\n'));
  const summary = `${result.rows} row(s): ${result.created} new, ${result.updated} changed, ${result.unchanged} unchanged`;
  const unmatched = result.unmatchedOwners.length > 0 ? `\nOwners no user matched (kept without owner): ${result.unmatchedOwners.join(', ')}` : '';
  return { json: result, text: [...preview, `${result.dryRun ? 'Dry run, nothing written. Would import' : 'Imported'} ${summary}.${unmatched}`].join('\n') };
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
