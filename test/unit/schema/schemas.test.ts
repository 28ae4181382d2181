import { describe, expect, it } from 'vitest';
import {
  ConfigResponse,
  CrmInstance,
  Deal,
  EscalationInput,
  MutationArgs,
  MutationName,
  Note,
  NoteContent,
  PairRequest,
  PlanInput,
  PullQuery,
  PushRequest,
  UserInput,
} from '../../../core/schema';

const record = { crm: 'salesforce', instance: 'https://acme.my.salesforce.com', crmId: '0065g00000XyZabAAF', recordType: 'deal' } as const;
const now = '2026-11-27T09:00:00.000Z';

describe('User', () => {
  it('fills defaults for a minimal manager', () => {
    const user = UserInput.parse({ name: 'Maya Chen', email: 'maya@northwind.example', role: 'manager' });
    expect(user).toMatchObject({ capacity: 100, team: null, absences: [], segments: { region: [], product: [], tier: [] } });
  });
  it.each([
    [{ name: '', email: 'a@b.example', role: 'manager' }, 'name'],
    [{ name: 'A', email: 'not-an-email', role: 'manager' }, 'email'],
    [{ name: 'A', email: 'a@b.example', role: 'ceo' }, 'role'],
    [{ name: 'A', email: 'a@b.example', role: 'manager', capacity: -1 }, 'capacity'],
    [{ name: 'A', email: 'a@b.example', role: 'manager', absences: [{ from: '2026-12-10', to: '2026-12-01' }] }, 'absences'],
  ])('rejects %j at %s', (input, path) => {
    const result = UserInput.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(path);
  });
});

describe('Deal', () => {
  const deal = {
    ...record,
    id: 'd1',
    title: 'Acme renewal',
    kind: 'sale',
    amount: 12000,
    currency: 'EUR',
    stage: 'Negotiation',
    probability: 60,
    ownerId: null,
    ownerLabel: 'Maya Chen',
    segment: 'EMEA',
    expectedClose: '2026-12-15',
    status: 'open',
    closedAt: null,
    source: 'page',
    url: null,
    updatedAt: now,
    version: 1,
  };
  it('accepts a mirrored CRM record', () => expect(Deal.parse(deal)).toEqual(deal));
  it('rejects a lower-case currency, a negative amount and a probability over 100', () => {
    expect(Deal.safeParse({ ...deal, currency: 'eur' }).success).toBe(false);
    expect(Deal.safeParse({ ...deal, amount: -1 }).success).toBe(false);
    expect(Deal.safeParse({ ...deal, probability: 101 }).success).toBe(false);
  });
});

describe('Plan', () => {
  it('rejects a negative target', () => {
    const result = PlanInput.safeParse({ kind: 'sale', period: 'month', start: '2026-11-01', ownerId: null, target: -5, currency: 'EUR' });
    expect(result.success).toBe(false);
  });
  it('accepts a department purchase plan', () => {
    expect(PlanInput.parse({ kind: 'purchase', period: 'quarter', start: '2026-10-01', ownerId: null, target: 50000, currency: 'EUR' }).countTarget).toBeNull();
  });
});

describe('Note', () => {
  it('accepts a negotiation note with structured fields', () => {
    const content = NoteContent.parse({ side: 'buyer', text: 'Wants 12 % off', discountPct: 12, nextStepDate: '2026-12-01' });
    const note = Note.parse({ ...content, id: 'n1', record, recordTitle: 'Acme', authorId: 'u1', createdAt: now, updatedAt: now, version: 1, deletedAt: null });
    expect(note.discountPct).toBe(12);
  });
  it('rejects a discount over 100 % and a malformed next-step date', () => {
    expect(NoteContent.safeParse({ side: 'buyer', discountPct: 140 }).success).toBe(false);
    expect(NoteContent.safeParse({ side: 'seller', nextStepDate: '01/12/2026' }).success).toBe(false);
  });
});

describe('Escalation', () => {
  it('is addressed to a role or a person, never to nobody', () => {
    const base = { id: 'e1', category: 'approval', severity: 'high', title: 'Discount 18 % for Acme', record, to: { role: 'head' } };
    expect(EscalationInput.parse(base).body).toBe('');
    expect(EscalationInput.safeParse({ ...base, to: {} }).success).toBe(false);
    expect(EscalationInput.safeParse({ ...base, category: 'gossip' }).success).toBe(false);
  });
});

describe('sync bodies', () => {
  it('keeps args opaque in the envelope so one bad mutation cannot reject a batch', () => {
    const body = PushRequest.parse({ clientId: 'client-123456', mutations: [{ mutationId: 1, name: 'note.create', args: { junk: true } }] });
    expect(body.mutations[0]?.args).toEqual({ junk: true });
  });
  it('rejects empty batches, bad client ids and non-positive mutation ids', () => {
    expect(PushRequest.safeParse({ clientId: 'client-123456', mutations: [] }).success).toBe(false);
    expect(PushRequest.safeParse({ clientId: 'x', mutations: [{ mutationId: 1, name: 'a', args: {} }] }).success).toBe(false);
    expect(PushRequest.safeParse({ clientId: 'client-123456', mutations: [{ mutationId: 0, name: 'a', args: {} }] }).success).toBe(false);
  });
  it('validates each mutation by name', () => {
    expect(MutationName.options).toContain('note.create');
    const create = MutationArgs['note.create'].safeParse({ id: 'n1', side: 'buyer', record, createdAt: now });
    expect(create.success).toBe(true);
    expect(MutationArgs['note.update'].safeParse({ id: 'n1', baseVersion: 0, content: { side: 'buyer' } }).success).toBe(false);
    expect(MutationArgs['deal.capture'].safeParse({ record, fields: { amount: 'lots' } }).success).toBe(false);
  });
  it('coerces the pull query and bounds its limit', () => {
    expect(PullQuery.parse({ cursor: '42' })).toEqual({ cursor: 42, limit: 1000 });
    expect(PullQuery.safeParse({ cursor: '-1' }).success).toBe(false);
    expect(PullQuery.safeParse({ cursor: '1', limit: '100000' }).success).toBe(false);
  });
});

describe('pairing and config', () => {
  it('accepts codes with or without the dash, in any case', () => {
    expect(PairRequest.safeParse({ code: 'abcd-2345', deviceName: 'Chrome' }).success).toBe(true);
    expect(PairRequest.safeParse({ code: 'ABCD2345', deviceName: 'Chrome' }).success).toBe(true);
    expect(PairRequest.safeParse({ code: 'ABC', deviceName: 'Chrome' }).success).toBe(false);
  });
  it('accepts only bare origins for CRM instances', () => {
    expect(CrmInstance.safeParse({ instance: 'https://crm.example.com', crm: 'suitecrm' }).success).toBe(true);
    expect(CrmInstance.safeParse({ instance: 'https://crm.example.com/', crm: 'suitecrm' }).success).toBe(false);
    expect(CrmInstance.safeParse({ instance: 'javascript:alert(1)', crm: 'suitecrm' }).success).toBe(false);
    expect(CrmInstance.safeParse({ instance: 'https://crm.example.com', crm: 'sugar' }).success).toBe(false);
  });
  it('parses a workspace config', () => {
    const config = ConfigResponse.parse({
      instances: [{ instance: 'http://127.0.0.1:8787', crm: 'suitecrm' }],
      disabledAdapters: [],
      settings: { name: 'Northwind Trading', reportingCurrency: 'EUR', fiscalYearStartMonth: 1 },
    });
    expect(config.instances).toHaveLength(1);
  });
});
