import { connectForms } from '../connectors/registry';

/** Bad command line: the CLI prints the message and exits with 2. A bad value gets its message alone. */
export class UsageError extends Error {}

/**
 * The line itself is malformed (unknown command or flag, a flag without its value, a missing flag or word): the
 * message and the usage of the command the line aimed at.
 */
export class BadLine extends UsageError {}

/** A well-formed command that cannot be done (unknown e-mail, unknown token): exit 1. */
export class CommandFailed extends Error {}

export const usage = `Usage: npm run server -- <command> [options] [--json]

  serve [--seed-demo] [--workers <n>]      start the server (default; HOST, PORT, DATABASE_URL from the environment);
                                           --workers: n processes sharing the port (PostgreSQL only)
  user add --role <head|manager|exec|admin> --name "<name>" --email <email> [--team <team>] [--capacity <n>]
                                           add a user and print a one-time pairing code
  user set <email> [--capacity <n>] [--team <team>] [--absent <from:to>|none]… [--segments <region|product|tier>=<a,b>|none]…
           [--crm-identity <crm>:<owner id or e-mail>|none]…   edit what load balancing reads of a person
  user list                                list users: role, team, paired devices, disabled or not
  user disable <email>                     someone left: revoke every token and pairing code, refuse new ones, keep history
  user locale <email> <en|ru|browser>      the language a person reads Headway, reports and e-mails in
  pair <email>                             print a new pairing code for a user
  token list --email <email>               list a user's device tokens
  token revoke <tokenId>                   revoke one device token
  token revoke --email <email>             revoke every device token and unredeemed pairing code of a user
  token service add --name "<name>"         print a token a CRM workflow uses to feed deals in (ingest and import only)
  token service list | revoke <id>         list or revoke service tokens
  deals import <file.csv> --map crmId=Id,title=Name,... [--value status:Won=won]... [--set currency=USD]...
               [--crm <crm>] [--instance <tenant>] [--dry-run | --preview]
                                           import deals all-or-nothing, read as a stream; a dry run reports every
                                           bad row, --preview also what each value becomes (ownerName=<column>
                                           matches owners by the name the CRM shows)
  totals rebuild                           recompute plan-progress totals from the deals table
  crm add <url> <crm>                      declare one of the workspace's CRM tenants, SaaS or self-hosted, from any of
                                           its addresses: crm add https://acme.pipedrive.com pipedrive
  crm list                                 list the workspace's CRM tenants
  crm unassigned                           records kept from before tenants whose tenant is not known yet
  crm adopt <tenant>                       give those records of the tenant's CRM to that tenant
  crm connect <origin> <crm> [--api <api>] [--client-id <id>] [--username <name>]
                                           connect a CRM's API (secret from HEADWAY_CRM_SECRET only), then sync it fully;
                                           each CRM's flags:
${connectForms().map((form) => `                                             ${form}`).join('\n')}
  crm sync <origin> [--full]               sync now (incremental unless --full), sending pending write-backs first
  crm status                               each connection: last success, last error, cursor, counts, write-backs
  crm settings <origin> [--purchase-when <field>=<a,b>|none] [--won-stages <a,b>] [--lost-stages <a,b>]
           [--apply-moves on|off] [--next-step-tasks on|off] [--sync-every <seconds>|default]
           [--event-token set|none]  (set: the CRM's event token from HEADWAY_CRM_SECRET: Bitrix24's application token,
                                     HubSpot's client secret, Pipedrive's webhook user:password)
  adapter disable <crm> --reason "<why>"   switch a broken adapter off for every extension
  adapter enable <crm>                     switch it back on
  adapter reports [--days 14]              record pages an adapter recognised but could not read
  sla sweep                                move escalations past their SLA one level up (serve does this every minute)
  deliveries send                          send due escalation webhooks and e-mails once (serve does this every 10 s)
  days-off add <YYYY-MM-DD>…               add company days off (pace and SLA clocks skip them)
  days-off remove <YYYY-MM-DD>             remove a company day off
  calendar set --country <RU|DE|GB|US|none> [--team <team> | --email <email>]
                                           the country whose public holidays the workspace, a team or one person counts

  --json prints exactly one JSON object on stdout.`;


const everyCommand = 'Every command: npm run server -- --help';

/** The usage entries (first line and its continuation lines) of the commands a line's words aim at. */
function entriesFor(words: readonly string[]): string[][] {
  const entries: string[][] = [];
  for (const line of usage.split('\n').slice(2)) {
    if (/^ {2}\S/.test(line)) entries.push([line]);
    else if (/^ {3,}\S/.test(line) && entries.length > 0) entries.at(-1)!.push(line);
  }
  const startsWith = (entry: string[], count: number) => entry[0]!.trim().split(/\s+/).slice(0, count).join(' ') === words.slice(0, count).join(' ');
  const byTwo = words.length >= 2 ? entries.filter((entry) => startsWith(entry, 2)) : [];
  return byTwo.length > 0 ? byTwo : words.length >= 1 ? entries.filter((entry) => startsWith(entry, 1)) : [];
}

/**
 * The usage entries of the command a bad line was aiming at (`user set …` for `user set --capacity x`), so a typo
 * gets the two lines that matter rather than the whole manual; only the pointer to --help when no command matches.
 */
export function usageFor(words: readonly string[]): string {
  const chosen = entriesFor(words);
  if (chosen.length === 0) return everyCommand;
  return `Usage: npm run server -- <command> [options] [--json]\n\n${chosen.map((entry) => entry.join('\n')).join('\n')}\n\n${everyCommand}`;
}

/**
 * The flags a command takes, read off its usage entries so they are declared once: a flag the command does not take
 * is refused rather than silently ignored. --json and --help go with every command.
 */
export function flagsOf(words: readonly string[]): Set<string> {
  const flags = entriesFor(words).flat().join(' ').match(/--[a-z][a-z-]*/g) ?? [];
  return new Set(['json', 'help', ...flags.map((flag) => flag.slice(2))]);
}
