import { parseArgs } from 'node:util';
import { BadLine } from './usage';

export interface CommandLine {
  words: string[];
  json: boolean;
  seedDemo: boolean;
  help: boolean;
  /** The flags given, without their dashes, so a command can refuse those it does not take. */
  flags: string[];
  /** Repeatable flags of `user set`. */
  lists: { absent: string[]; segments: string[]; crmIdentity: string[]; value: string[]; set: string[] };
  dryRun: boolean;
  /** `deals import --preview`: a dry run that lists what each value of the file becomes. */
  preview: boolean;
  /** `crm sync --full`. */
  full: boolean;
  options: { role?: string; name?: string; email?: string; team?: string; capacity?: string; reason?: string; days?: string; map?: string; crm?: string; country?: string; instance?: string; workers?: string };
  /** Options of the crm connect / settings commands (server/connectors/cli-commands.ts). */
  crmOptions: Partial<Record<(typeof crmOptionNames)[number], string>>;
}

const crmOptionNames = ['api', 'client-id', 'username', 'purchase-when', 'won-stages', 'lost-stages', 'apply-moves', 'next-step-tasks', 'sync-every', 'event-token'] as const;

export function parseCommandLine(argv: string[]): CommandLine {
  try {
    const { values, positionals, tokens } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: {
        json: { type: 'boolean', default: false },
        'seed-demo': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        role: { type: 'string' },
        name: { type: 'string' },
        email: { type: 'string' },
        team: { type: 'string' },
        capacity: { type: 'string' },
        reason: { type: 'string' },
        absent: { type: 'string', multiple: true },
        segments: { type: 'string', multiple: true },
        'crm-identity': { type: 'string', multiple: true },
        value: { type: 'string', multiple: true },
        set: { type: 'string', multiple: true },
        preview: { type: 'boolean', default: false },
        days: { type: 'string' },
        map: { type: 'string' },
        crm: { type: 'string' },
        country: { type: 'string' },
        instance: { type: 'string' },
        workers: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        full: { type: 'boolean', default: false },
        ...Object.fromEntries(crmOptionNames.map((name) => [name, { type: 'string' as const }])),
      },
    });
    return {
      words: positionals,
      json: values.json === true,
      seedDemo: values['seed-demo'] === true,
      help: values.help === true,
      flags: [...new Set(tokens.flatMap((token) => (token.kind === 'option' ? [token.name] : [])))],
      lists: { absent: values.absent ?? [], segments: values.segments ?? [], crmIdentity: values['crm-identity'] ?? [], value: values.value ?? [], set: values.set ?? [] },
      preview: values.preview === true,
      dryRun: values['dry-run'] === true,
      full: values.full === true,
      crmOptions: Object.fromEntries(crmOptionNames.flatMap((name) => {
        const value = (values as Record<string, unknown>)[name];
        return typeof value === 'string' ? [[name, value]] : [];
      })),
      options: { role: values.role, name: values.name, email: values.email, team: values.team, capacity: values.capacity, reason: values.reason, days: values.days, map: values.map, crm: values.crm, country: values.country, instance: values.instance, workers: values.workers },
    };
  } catch (error) {
    throw new BadLine(parseProblem(error, argv));
  }
}

/** node:util's parseArgs words its refusals for programmers ('-- "--frob"', '=-XYZ'); the admin reads these instead. */
function parseProblem(error: unknown, argv: string[]): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-{1,2}[^' <]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown option ${flag}.`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const given = argv.find((word) => word.startsWith(`${flag}=`));
    if (/does not take an argument/.test(message)) return `${flag} is a switch and takes no value${given ? `, not "${given}"` : ''}.`;
    // "argument missing" or "ambiguous" (the next word is another flag): either way the value is not there.
    return `${flag} needs a value (${flag} <value>).`;
  }
  return message;
}

export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new BadLine(`Missing ${flag}.`);
  return value;
}

/** Allows exactly `count` positional words after the command words. */
export function takePositionals(words: string[], commandLength: number, count: number, what: string): string[] {
  const rest = words.slice(commandLength);
  if (rest.length !== count) throw new BadLine(`Expected ${what}.`);
  return rest;
}
