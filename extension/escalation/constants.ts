/** The escalate window offers Undo this long; after it, a withdraw from the inbox takes an escalation back. */
export const UNDO_MS = 8000;
