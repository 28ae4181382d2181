import type { Deal, Plan } from '../../../core/schema';

let sequence = 0;

/** A deal with sensible defaults; tests override only what they are about. */
export function deal(fields: Partial<Deal> = {}): Deal {
  sequence += 1;
  const id = fields.id ?? `d${sequence}`;
  return {
    crm: 'salesforce', instance: 'https://acme.my.salesforce.com',
    crmId: id,
    recordType: 'deal',
    id,
    title: `Deal ${id}`,
    kind: 'sale',
    amount: 1000,
    currency: 'EUR',
    stage: 'Prospecting',
    probability: 50,
    ownerId: 'maya',
    ownerLabel: null,
    segment: null,
    expectedClose: null,
    status: 'open',
    closedAt: null,
    source: 'api',
    url: null,
    updatedAt: '2026-01-01T00:00:00Z',
    version: 1,
    ...fields,
  };
}

export function won(closedOn: string, fields: Partial<Deal> = {}): Deal {
  return deal({ status: 'won', closedAt: `${closedOn}T10:00:00Z`, ...fields });
}

export function plan(fields: Partial<Plan> = {}): Plan {
  return {
    id: fields.id ?? `p-${fields.ownerId ?? 'dept'}`,
    kind: 'sale',
    period: 'month',
    start: '2026-03-01',
    ownerId: null,
    target: 10_000,
    currency: 'EUR',
    countTarget: null,
    updatedAt: '2026-01-01T00:00:00Z',
    version: 1,
    ...fields,
  };
}
