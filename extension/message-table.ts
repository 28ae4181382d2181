import { z } from 'zod';

/**
 * The shape of the extension's message table (extension/messages.ts): each request type names its request schema,
 * the schema of its answer, and who may send it. The background's parse, its sender check and its dispatch, and the
 * pages' client all read the table; the zod-free clients (content-client.ts, notes-client.ts) take its types only.
 */

/**
 * Who may send a request:
 * - `any`: any of the extension's own contexts, a CRM tab's content script included (it runs beside an untrusted
 *   page, so these only read, or act on the sender's own tab);
 * - `pages`: Headway's own pages only (options, popup, side panel, dashboard, inbox, escalate, report), for what
 *   changes the connection or a site's settings, or reads the server.
 */
export type Senders = 'any' | 'pages';

export interface MessageSpec<Type extends string = string> {
  /** The whole request, its `type` a literal of the table's key. */
  request: z.ZodType<{ type: Type }>;
  response: z.ZodType;
  from: Senders;
}

/** Checks that each entry's request is of its own key's type; answers the table as written. */
export function messageTable<const Table extends { [Type in keyof Table]: MessageSpec<Type & string> }>(table: Table): Table {
  return table;
}

export type RequestOf<Table extends Record<string, MessageSpec>> = z.output<Table[keyof Table]['request']>;
/** What a sender writes (defaults not yet applied). */
export type RequestInputOf<Table extends Record<string, MessageSpec>> = z.input<Table[keyof Table]['request']>;

/** One schema for every request of a table, told apart by `type`. */
export function requestUnion<Table extends Record<string, MessageSpec>>(table: Table): z.ZodType<RequestOf<Table>, RequestInputOf<Table>> {
  const options = Object.values(table).map((spec) => spec.request) as unknown as [z.ZodObject, ...z.ZodObject[]];
  return z.discriminatedUnion('type', options) as unknown as z.ZodType<RequestOf<Table>, RequestInputOf<Table>>;
}
