// readRecord against saved-HTML fixtures (test/fixtures/<crm>/*.html), parsed with linkedom: exact fields, no
// hidden pages, no guessing, text stays text, huge values are clamped, and reading costs a few querySelector calls.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { detectRecord, readRecord } from '../../../core/crm';
import type { DealFields } from '../../../core/schema';
import { DealFields as DealFieldsSchema } from '../../../core/schema';

const instances = [
  { instance: 'https://crm.example.com', crm: 'suitecrm' as const },
  { instance: 'https://espo.example.com', crm: 'espocrm' as const },
];

function fixture(path: string): string {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url)), 'utf8');
}

function read(html: string, url: string): DealFields {
  const detected = detectRecord(url, { instances });
  if (!detected) throw new Error(`no CRM detected for ${url}`);
  return readRecord(parseHTML(html).document as unknown as Document, detected);
}

interface Case {
  fixture: string;
  url: string;
  expected: DealFields;
}

const cases: Case[] = [
  {
    fixture: 'salesforce/lightning-opportunity.html',
    url: 'https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000XyZabAAF/view',
    expected: {
      title: 'Acme – 500 Widgets',
      amount: 120000,
      currency: 'USD',
      stage: 'Negotiation/Review',
      probability: 90,
      ownerLabel: 'Jane Doe',
      expectedClose: '2025-03-28',
    },
  },
  {
    fixture: 'salesforce/lightning-console.html',
    url: 'https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000XyZacAAF/view',
    expected: {
      title: 'Müller GmbH Rahmenvertrag',
      amount: 48500,
      currency: 'EUR',
      stage: 'Angebot',
      probability: 60,
      ownerLabel: 'Lena Schmidt',
      expectedClose: '2025-06-30',
    },
  },
  {
    // "$" names no single currency and 4/5/2025 no single date: both stay unknown.
    fixture: 'salesforce/classic-opportunity.html',
    url: 'https://na85.salesforce.com/0065g00000XyZab',
    expected: { title: 'Initech Upgrade', amount: 48000, stage: 'Proposal/Price Quote', probability: 75 },
  },
  {
    fixture: 'hubspot/deal.html',
    url: 'https://app-eu1.hubspot.com/contacts/147506535/record/0-3/420466980027',
    expected: {
      title: 'Northwind expansion',
      amount: 48250,
      currency: 'EUR',
      stage: 'Contract sent',
      probability: 90,
      ownerLabel: 'Priya Raman',
      expectedClose: '2025-06-30',
    },
  },
  {
    fixture: 'pipedrive/deal.html',
    url: 'https://acme.pipedrive.com/deal/42',
    expected: {
      title: 'Contoso renewal',
      amount: 1234.5,
      currency: 'EUR',
      stage: 'Proposal made',
      ownerLabel: 'Marta Kowalska',
      expectedClose: '2025-07-15',
    },
  },
  {
    fixture: 'pipedrive/deal.html',
    url: 'https://acme.pipedrive.com/person/17',
    // A person page reads its name only; this fixture is a deal page, whose first name hook is the deal title.
    expected: { title: 'Contoso renewal' },
  },
  {
    fixture: 'dynamics365/opportunity.html',
    url: 'https://contoso.crm.dynamics.com/main.aspx?appid=d05771f7-d483-41b2-9672-5333d8eaa013&pagetype=entityrecord&etn=opportunity&id=c1520d06-03d4-4019-a223-30b02a8f81da',
    expected: {
      title: '50 Café Espresso Machines for the Fourth Coffee flagship stores',
      amount: 60000,
      currency: 'USD',
      stage: 'Develop',
      probability: 40,
      ownerLabel: 'Nancy Anderson',
      expectedClose: '2025-09-30',
    },
  },
  {
    fixture: 'odoo/crm-lead-17.html',
    url: 'https://acme.odoo.com/web#id=42&cids=1&menu_id=139&action=209&model=crm.lead&view_type=form',
    expected: {
      title: 'Office Design Project',
      amount: 24000,
      currency: 'EUR',
      stage: 'Proposition',
      probability: 45,
      ownerLabel: 'Mitchell Admin',
      expectedClose: '2025-08-21',
    },
  },
  {
    fixture: 'odoo/contact-18.html',
    url: 'https://acme.odoo.com/odoo/contacts/15',
    expected: { title: 'Deco Addict' },
  },
  {
    fixture: 'suitecrm/opportunity-7.html',
    url: 'https://crm.example.com/index.php?module=Opportunities&action=DetailView&record=8f1c5a3e-2b7d-4c1a-9e4f-5a6b7c8d9e0f',
    expected: {
      title: 'Riverside Hospital Beds',
      amount: 75000,
      currency: 'USD',
      stage: 'Perception Analysis',
      probability: 70,
      ownerLabel: 'Sally Bronsen',
      expectedClose: '2025-11-14',
    },
  },
  {
    fixture: 'suitecrm/demo-opportunity-7.html',
    url: 'https://crm.example.com/demo/index.php?module=Opportunities&action=DetailView&record=0b9f5d7e-1c2a-4e3b-9d4c-5e6f7a8b9c0d',
    expected: {
      title: 'Harbour cold-store fit-out',
      amount: 86400,
      currency: 'EUR',
      stage: 'Closed Won',
      probability: 100,
      ownerLabel: 'Olga Brandt',
      expectedClose: '2026-02-09',
    },
  },
  {
    // SuiteCRM 8 names no field in its markup: the record name only.
    fixture: 'suitecrm/opportunity-8.html',
    url: 'https://crm.example.com/#/opportunities/record/8f1c5a3e-2b7d-4c1a-9e4f-5a6b7c8d9e0f',
    expected: { title: 'Riverside Hospital Beds' },
  },
  {
    fixture: 'espocrm/opportunity.html',
    url: 'https://espo.example.com/#Opportunity/view/64f1a2b3c4d5e6f70',
    expected: {
      title: 'Blue Ocean Fleet Deal',
      amount: 1250000,
      currency: 'EUR',
      stage: 'Proposal',
      probability: 50,
      ownerLabel: 'Admin',
      expectedClose: '2025-10-01',
    },
  },
  {
    fixture: 'bitrix24/deal.html',
    url: 'https://acme.bitrix24.com/crm/deal/details/42/?IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER',
    expected: {
      title: 'Поставка оборудования',
      amount: 1500000,
      currency: 'RUB',
      stage: 'Подготовка документов',
      probability: 30,
      ownerLabel: 'Иван Петров',
      expectedClose: '2025-12-31',
    },
  },
  {
    // amoCRM shows the budget without a currency (an account has one), and has no expected close date on the card.
    fixture: 'amocrm/lead.html',
    url: 'https://acme.amocrm.ru/leads/detail/15304587',
    expected: {
      title: 'Поставка стеллажей для склада',
      amount: 1250000,
      stage: 'Переговоры',
      ownerLabel: 'Ирина Соколова',
    },
  },
];

describe('readRecord on saved pages', () => {
  for (const { fixture: file, url, expected } of cases) {
    it(`${file} as ${url}`, () => {
      const fields = read(fixture(file), url);
      expect(fields, `fix the selectors of the adapter or test/fixtures/${file}`).toEqual(expected);
      expect(DealFieldsSchema.safeParse(fields).success).toBe(true);
    });
  }
});

describe('readRecord never reads what is not on screen', () => {
  const lightningUrl = 'https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000XyZabAAF/view';

  it('ignores the hidden earlier Lightning record page', () => {
    const fields = read(fixture('salesforce/lightning-opportunity.html'), lightningUrl);
    expect(fields.title).not.toBe('Globex – Old Renewal');
    expect(fields.ownerLabel).not.toBe('Old Owner');
  });

  it('reads nothing from Lightning when no page is active (mid-navigation), rather than the hidden one', () => {
    const html = fixture('salesforce/lightning-opportunity.html').replace('oneContent active lafPageHost', 'oneContent lafPageHost');
    expect(read(html, lightningUrl)).toEqual({});
  });

  it('reads the focused console tab, not the background one', () => {
    const fields = read(
      fixture('salesforce/lightning-console.html'),
      'https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000XyZacAAF/view',
    );
    expect(fields.title).toBe('Müller GmbH Rahmenvertrag');
  });

  it('ignores a record open in an Odoo or EspoCRM dialog', () => {
    expect(read(fixture('odoo/crm-lead-17.html'), 'https://acme.odoo.com/odoo/crm/42').title).toBe('Office Design Project');
    expect(read(fixture('espocrm/opportunity.html'), 'https://espo.example.com/#Opportunity/view/64f1a2b3c4d5e6f70').amount).toBe(1250000);
  });

  it('returns {} for a non-record page and for an empty document', () => {
    expect(read(fixture('hubspot/deal.html'), 'https://app.hubspot.com/contacts/1234567/objects/0-3/views/all/board')).toEqual({});
    for (const { url } of cases) expect(read('<html><body></body></html>', url)).toEqual({});
  });

  it('reads only the name of a record that is not a deal', () => {
    expect(
      read(fixture('bitrix24/deal.html'), 'https://acme.bitrix24.com/crm/company/details/7/'),
    ).toEqual({ title: 'Поставка оборудования' });
  });
});

describe('readRecord treats page text as text', () => {
  it('returns script payloads, RTL, bidi overrides and mojibake verbatim as plain strings', () => {
    const fields = read(
      fixture('suitecrm/hostile-names-7.html'),
      'https://crm.example.com/index.php?module=Opportunities&action=DetailView&record=8f1c5a3e-2b7d-4c1a-9e4f-5a6b7c8d9e0f',
    );
    expect(fields).toEqual({
      title: '<script>alert(document.cookie)</script><img src=x onerror=alert(1)>',
      stage: '"><svg onload=alert(1)> Closing',
      probability: 50,
      ownerLabel: '\u200fمحمد العلي\u200e \u202eevil\u202c MÃ¼ller 👩‍💼',
    });
  });

  it('clamps a 1 MB title to the schema limit in every fixture, leaving the other fields as they were', () => {
    const huge = 'A'.repeat(1_000_000);
    for (const { fixture: file, url, expected } of cases) {
      if (!expected.title) continue;
      const html = fixture(file).split(expected.title).join(huge);
      const fields = read(html, url);
      expect(fields.title, file).toBe('A'.repeat(500));
      expect({ ...fields, title: expected.title }, file).toEqual(expected);
    }
  }, 30_000); // a dozen megabyte documents parsed by linkedom: seconds on a busy machine, not milliseconds
});

describe('readRecord stays cheap', () => {
  afterEach(() => vi.restoreAllMocks());

  it('uses a bounded number of querySelector calls and never querySelectorAll', () => {
    for (const { fixture: file, url } of cases) {
      const { document } = parseHTML(fixture(file));
      const element = document.body as unknown as object;
      const owners = [document, element].map((start) => {
        let owner = start as object | null;
        while (owner && !Object.prototype.hasOwnProperty.call(owner, 'querySelector')) owner = Object.getPrototypeOf(owner);
        return owner as { querySelector: (selector: string) => unknown; querySelectorAll: (selector: string) => unknown };
      });
      const unique = [...new Set(owners)];
      const single = unique.map((owner) => vi.spyOn(owner, 'querySelector'));
      const all = unique.map((owner) => vi.spyOn(owner, 'querySelectorAll'));
      const detected = detectRecord(url, { instances })!;
      readRecord(document as unknown as Document, detected);
      const count = (spies: { mock: { calls: unknown[] } }[]) => spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
      expect(count(single), file).toBeGreaterThan(0); // the spies do see the adapter's queries
      expect(count(single), file).toBeLessThanOrEqual(40);
      expect(count(all), file).toBe(0);
      vi.restoreAllMocks();
    }
  });
});
