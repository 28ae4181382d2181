import { BusinessCalendar, EscalationRules, type Deal, type Escalation, type Note, type User } from '../../../core/schema';
import type { TransitionContext } from '../../../core/escalation';

export const rules = EscalationRules.parse({});
export const calendar = BusinessCalendar.parse({});

type Person = Pick<User, 'id' | 'role' | 'name'>;
export const maya: Person = { id: 'u-maya', role: 'manager', name: 'Maya Chen' };
export const omar: Person = { id: 'u-omar', role: 'manager', name: 'Omar Haddad' };
export const hanna: Person = { id: 'u-hanna', role: 'head', name: 'Hanna Berg' };
export const henrik: Person = { id: 'u-henrik', role: 'head', name: 'Henrik Lund' };
export const erin: Person = { id: 'u-erin', role: 'exec', name: 'Erin Walsh' };
export const ed: Person = { id: 'u-ed', role: 'exec', name: 'Ed Park' };
export const ada: Person = { id: 'u-ada', role: 'admin', name: 'Ada Admin' };
export const people = [maya, omar, hanna, henrik, erin, ed, ada];
export const usersById: Record<string, Person> = Object.fromEntries(people.map((p) => [p.id, p]));

export const ctx: TransitionContext = { usersById, rules, calendar };

export const record = { crm: 'hubspot', instance: 'https://app.hubspot.com/contacts/1234567', crmId: '90210', recordType: 'deal' } as const;

export function escalation(over: Partial<Escalation> = {}): Escalation {
  return {
    id: 'esc-1',
    category: 'approval',
    severity: 'normal',
    title: 'Approval needed: 20 % discount on Acme renewal',
    body: 'Buyer insists on 20 %.',
    record,
    context: {},
    to: { role: 'head' },
    fromId: maya.id,
    status: 'open',
    slaDue: '2026-11-30T18:00:00.000Z',
    decision: null,
    comments: [],
    createdAt: '2026-11-27T09:00:00.000Z',
    updatedAt: '2026-11-27T09:00:00.000Z',
    version: 1,
    ...over,
  };
}

export function deal(over: Partial<Deal> = {}): Deal {
  return {
    ...record,
    id: 'd-1',
    title: 'Acme renewal',
    kind: 'sale',
    amount: 48000,
    currency: 'EUR',
    stage: 'Negotiation',
    probability: 60,
    ownerId: maya.id,
    ownerLabel: 'Maya Chen',
    segment: 'EMEA',
    expectedClose: '2026-12-15',
    status: 'open',
    closedAt: null,
    source: 'page',
    url: 'https://app.hubspot.com/contacts/123/deal/90210',
    updatedAt: '2026-11-20T10:00:00.000Z',
    version: 3,
    ...over,
  };
}

let noteSeq = 0;
export function note(over: Partial<Note> = {}): Note {
  noteSeq += 1;
  return {
    id: `n-${noteSeq}`,
    side: 'buyer',
    text: 'Call with procurement.',
    record,
    recordTitle: 'Acme renewal',
    authorId: maya.id,
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    version: 1,
    deletedAt: null,
    crmCopy: null,
    ...over,
  };
}
