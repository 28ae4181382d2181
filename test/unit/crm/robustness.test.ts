// Whatever URL the browser is on and whatever the page contains, detection and reading never throw and never
// produce a value the schemas refuse.
import fc from 'fast-check';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { adapters, detectRecord } from '../../../core/crm';
import { DealFields, RecordType } from '../../../core/schema';
import { allVectors } from './vectors';

const instances = allVectors[0]!.instances;

// Hosts every adapter answers for, so random paths reach the parsers rather than stopping at host matching.
const hosts = [
  'https://acme.lightning.force.com',
  'https://na85.salesforce.com',
  'https://app.hubspot.com',
  'https://acme.pipedrive.com',
  'https://crm.zoho.com',
  'https://contoso.crm.dynamics.com',
  'https://acme.odoo.com',
  'https://crm.example.com',
  'https://espo.example.com',
  'https://globex.twenty.com',
  'https://acme.myfreshworks.com',
  'https://app.close.com',
  'https://app.copper.com',
  'https://acme.monday.com',
  'https://acme.bitrix24.com',
];

const segment = fc.oneof(
  fc.constantFrom('lightning', 'r', 'o', 'Opportunity', 'view', 'contacts', 'record', '0-3', 'deal', 'crm', 'tab',
    'Potentials', 'main.aspx', 'odoo', 'web', 'index.php', 'object', 'opportunity', 'sales', 'deals', 'lead',
    'companies', 'app', 'boards', 'pulses', 'details', 'leads', 'inbox', '0065g00000XyZab', '42', '0', ''),
  fc.stringMatching(/^[A-Za-z0-9_.%-]{0,24}$/),
);

const url = fc
  .tuple(
    fc.constantFrom(...hosts),
    fc.array(segment, { maxLength: 7 }),
    fc.constantFrom('', '?pagetype=entityrecord&etn=opportunity&id=%7Bc1520d06-03d4-4019-a223-30b02a8f81da%7D',
      '?module=Opportunities&action=DetailView&record=abc', '?action=ajaxui'),
    fc.oneof(fc.constant(''), fc.string({ maxLength: 60 }).map((hash) => `#${hash}`),
      fc.constantFrom('#/opportunities/record/x', '#Opportunity/view/abc', '#id=4&model=crm.lead', '#/deal/12',
        '#ajaxUILoc=index.php%3Fmodule%3DLeads%26action%3DDetailView%26record%3D1')),
  )
  .map(([host, segments, query, hash]) => `${host}/${segments.join('/')}${query}${hash}`);

describe('robustness', () => {
  it('detectRecord never throws and answers a well-formed record or null', () => {
    fc.assert(
      fc.property(url, (href) => {
        const detected = detectRecord(href, { instances });
        if (detected === null) return;
        if (detected.recordType !== null) expect(RecordType.safeParse(detected.recordType).success).toBe(true);
        if (detected.recordType !== null) expect(detected.id).not.toBeNull();
        if (detected.id !== null) expect(detected.id.length).toBeGreaterThan(0);
        if (detected.id !== null) expect(detected.id.length).toBeLessThanOrEqual(200);
      }),
      { numRuns: 3000 },
    );
  }, 30_000);

  it('detectRecord accepts any string without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        detectRecord(text, { instances });
      }),
    );
  });

  it('every adapter reads arbitrary markup into schema-valid fields', () => {
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('€1.234,50', '$12K', '75%', '31.12.2025',
      '2025-02-30', '<script>x</script>', '\u202eevil', '9'.repeat(40)));
    const markup = fc.array(
      fc.tuple(
        fc.constantFrom(
          '<div class="windowViewMode-normal active"><records-highlights2><lightning-formatted-text slot="primaryField">%s</lightning-formatted-text></records-highlights2><div data-target-selection-name="sfdc:RecordField.Opportunity.Amount"><lightning-formatted-text>%s</lightning-formatted-text></div></div>',
          '<div data-selenium-test="property-input-amount">%s</div>',
          '<h1 data-id="header_title" title="%s">%s</h1><input data-id="closeprobability.fieldControl-whole-number-text-input" value="%s">',
          '<div class="o_form_view"><div name="expected_revenue" class="o_field_widget"><input value="%s">%s</div></div>',
          '<div class="detail-view-field" field="date_closed">%s</div><h2 class="module-title-text">%s</h2>',
          '<div id="main"><div class="field" data-name="probability">%s</div></div>',
          '<div class="ui-entity-editor-content-block" data-cid="OPPORTUNITY_WITH_CURRENCY"><div class="ui-entity-editor-content-block-text">%s</div></div>',
          '<title>%s - %s</title>',
        ),
        fc.array(value, { minLength: 3, maxLength: 3 }),
      ),
      { maxLength: 6 },
    );
    const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
    fc.assert(
      fc.property(markup, fc.constantFrom<RecordType | null>('deal', 'account', null), (parts, recordType) => {
        const html = parts
          .map(([template, values]) => values.reduce((out, text) => out.replace('%s', escape(text)), template))
          .join('');
        const { document } = parseHTML(`<!DOCTYPE html><html><head></head><body>${html}</body></html>`);
        for (const adapter of adapters) {
          const fields = adapter.readRecord(document as unknown as Document, { recordType, id: '1' });
          expect(DealFields.strict().safeParse(fields).success, adapter.id).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  }, 30_000); // parsing a few hundred documents for 14 adapters takes seconds on a busy 2-core machine
});
