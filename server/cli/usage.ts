/** Bad command line: the CLI prints the message and exits with 2. */
export class UsageError extends Error {}

/** A well-formed command that cannot be done (unknown e-mail, unknown token): exit 1. */
export class CommandFailed extends Error {}

export const usage = `Usage: npm run server -- <command> [options] [--json]

  serve [--seed-demo]                      start the server (default; HOST, PORT, DATABASE_URL from the environment)
  user add --role <head|manager|exec|admin> --name "<name>" --email <email> [--team <team>] [--capacity <n>]
                                           add a user and print a one-time pairing code
  user set <email> [--capacity <n>] [--team <team>] [--absent <from:to>|none]… [--segments <region|product|tier>=<a,b>|none]…
           [--crm-identity <crm>:<owner id or e-mail>|none]…   edit what load balancing reads of a person
  pair <email>                             print a new pairing code for a user
  token list --email <email>               list a user's device tokens
  token revoke <tokenId>                   revoke one device token
  token revoke --email <email>             revoke every device token of a user
  token service add --name "<name>"         print a token a CRM workflow uses to feed deals in (ingest and import only)
  token service list | revoke <id>         list or revoke service tokens
  deals import <file.csv> --map crmId=Id,title=Name,... [--crm <crm>] [--dry-run]
                                           import deals all-or-nothing; a dry run reports every bad row
  totals rebuild                           recompute plan-progress totals from the deals table
  crm add <origin> <crm>                   register a self-hosted CRM instance, e.g. crm add https://crm.acme.com suitecrm
  crm list                                 list CRM instances
  crm connect <origin> <crm> [--api v8|legacy] [--client-id <id>] [--username <name>]
                                           connect a CRM's API (secret from HEADWAY_CRM_SECRET only), then sync it fully
  crm sync <origin> [--full]               sync now (incremental unless --full), sending pending write-backs first
  crm status                               each connection: last success, last error, cursor, counts, write-backs
  crm settings <origin> [--purchase-when <field>=<a,b>|none] [--won-stages <a,b>] [--lost-stages <a,b>]
           [--apply-moves on|off] [--next-step-tasks on|off] [--sync-every <seconds>|default]
  adapter disable <crm> --reason "<why>"   switch a broken adapter off for every extension
  adapter enable <crm>                     switch it back on
  adapter reports [--days 14]              record pages an adapter recognised but could not read
  sla sweep                                move escalations past their SLA one level up (serve does this every minute)
  deliveries send                          send due escalation webhooks and e-mails once (serve does this every 10 s)

  --json prints exactly one JSON object on stdout.`;
