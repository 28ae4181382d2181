import { DealColumn, DealImportMapping, type DealImportMappingInput } from '../../core/schema';
import { UsageError } from '../cli/usage';

/** `deals import`'s mapping options as the one mapping schema the route and the dashboard use too. */
export interface MappingOptions {
  /** `--map crmId=Id,title=Name,amount="Amount (EUR)"`: field=header pairs; a header may hold '=' but not ','. */
  map: string;
  /** `--value status:Won=won`, repeatable: a value of the field's column and what it means. */
  values: readonly string[];
  /** `--set currency=USD`, repeatable: one value for every row. */
  constants: readonly string[];
}

const unquote = (text: string) => text.trim().replace(/^"(.*)"$/, '$1');

function field(name: string, option: string): DealColumn {
  const parsed = DealColumn.safeParse(name.trim());
  if (!parsed.success) throw new UsageError(`${option}: "${name.trim()}" is not a deal field; one of ${DealColumn.options.join(', ')}`);
  return parsed.data;
}

/** Splits "a=b" at its first "=", which the field name never holds. */
function pair(text: string, option: string, example: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`${option} wants ${example}; got "${text}"`);
  return [text.slice(0, at), text.slice(at + 1)];
}

export function mappingFromOptions(options: MappingOptions): DealImportMapping {
  const mapping: DealImportMappingInput = { columns: {}, values: {}, constants: {} };
  for (const part of options.map.split(',')) {
    const [name, header] = pair(part, '--map', 'field=Header pairs separated by commas, e.g. crmId=Id,title=Name');
    mapping.columns[field(name, '--map')] = unquote(header);
  }
  for (const text of options.values) {
    // status:Won=won — the field before the first ':', the file's value up to the last '=' (a value may hold either).
    const colon = text.indexOf(':');
    const equals = text.lastIndexOf('=');
    if (colon <= 0 || equals < colon) throw new UsageError(`--value wants field:value-in-file=value, e.g. --value status:Won=won; got "${text}"`);
    const target = field(text.slice(0, colon), '--value');
    (mapping.values![target] ??= {})[unquote(text.slice(colon + 1, equals))] = unquote(text.slice(equals + 1));
  }
  for (const text of options.constants) {
    const [name, value] = pair(text, '--set', 'field=value, e.g. --set currency=USD');
    mapping.constants![field(name, '--set')] = unquote(value);
  }
  const parsed = DealImportMapping.safeParse(mapping);
  if (!parsed.success) throw new UsageError(`--map/--value/--set: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}
