// readDealFields, the shared reading of most adapters: the fixture tests in read-record.test.ts pin each adapter's
// output; these pin the rules every adapter inherits from it.
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { readDealFields, type DealSelectors } from '../../../core/crm/dom';

const page = parseHTML(`<html><body>
  <h1 class="name">Globex renewal</h1>
  <span class="amount">€48,500.00</span>
  <span class="stage">Negotiation</span>
  <span class="probability">60 %</span>
  <span class="owner">Lena Schmidt</span>
  <time class="close" datetime="2025-06-30">30 Jun</time>
</body></html>`).document as unknown as Document;

const selectors: DealSelectors = {
  title: ['h1.missing', 'h1.name'],
  amount: ['.amount'],
  stage: ['.stage'],
  probability: ['.probability'],
  owner: ['.owner'],
};

describe('readDealFields', () => {
  it('reads nothing on a page that is not a record', () => {
    expect(readDealFields(page, { recordType: 'deal', id: null }, selectors)).toEqual({});
    expect(readDealFields(page, { recordType: null, id: null }, selectors)).toEqual({});
  });

  it('reads only the title of a record that is not a deal, even when money fields are on the page', () => {
    expect(readDealFields(page, { recordType: 'account', id: '7' }, selectors)).toEqual({ title: 'Globex renewal' });
    expect(readDealFields(page, { recordType: null, id: '7' }, selectors)).toEqual({ title: 'Globex renewal' });
  });

  it('reads every field a deal page shows, trying selectors in order, and leaves out fields without selectors', () => {
    expect(readDealFields(page, { recordType: 'deal', id: '42' }, selectors)).toEqual({
      title: 'Globex renewal',
      amount: 48500,
      currency: 'EUR',
      stage: 'Negotiation',
      probability: 60,
      ownerLabel: 'Lena Schmidt',
    });
  });

  it('lets texts the adapter read another way win, and falls back to the selectors where they are undefined', () => {
    const known = { title: 'Globex renewal 2025–2027 (full name)', expectedClose: '2025-06-30', stage: undefined };
    expect(readDealFields(page, { recordType: 'deal', id: '42' }, selectors, known)).toMatchObject({
      title: 'Globex renewal 2025–2027 (full name)',
      stage: 'Negotiation',
      expectedClose: '2025-06-30',
    });
    expect(readDealFields(page, { recordType: 'lead', id: '9' }, selectors, { title: 'Full lead name' })).toEqual({
      title: 'Full lead name',
    });
  });
});
