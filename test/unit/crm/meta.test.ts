// refined-github style meta-test: an adapter file that is not registered, not covered by URL vectors, without
// saved pages, or missing from the README's supported-CRMs table fails here, naming what to add.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { adapters, detectRecord } from '../../../core/crm';
import { allVectors } from './vectors';

const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

// index (entry point), registry, types (contract), dom and values (shared reading helpers), tenant (shared tenant
// rules) are not adapters.
const notAdapters = new Set(['index.ts', 'registry.ts', 'types.ts', 'dom.ts', 'values.ts', 'tenant.ts']);
const adapterFiles = readdirSync(root('core/crm')).filter((file) => file.endsWith('.ts') && !notAdapters.has(file));

// The CRMs whose page reading is tested against saved HTML (test/fixtures/<crm>/*.html).
const withFixtures = ['salesforce', 'hubspot', 'pipedrive', 'dynamics365', 'odoo', 'suitecrm', 'espocrm', 'bitrix24', 'amocrm'];

function readmeTable(): string {
  const readme = readFileSync(root('README.md'), 'utf8');
  const start = readme.indexOf('<!-- supported-crms:start -->');
  const end = readme.indexOf('<!-- supported-crms:end -->');
  expect(start, 'README.md needs the <!-- supported-crms:start --> marker').toBeGreaterThanOrEqual(0);
  expect(end, 'README.md needs the <!-- supported-crms:end --> marker after the start').toBeGreaterThan(start);
  return readme.slice(start, end);
}

describe('core/crm adapters', () => {
  it('has one file per CRM', () => {
    expect(adapterFiles.length).toBe(adapters.length);
  });

  for (const file of adapterFiles) {
    const id = file.replace(/\.ts$/, '');

    describe(file, () => {
      it('exports the adapter registered in core/crm/registry.ts under the file name', async () => {
        const module = (await import(`../../../core/crm/${id}.ts`)) as Record<string, unknown>;
        const registered = adapters.find((adapter) => adapter.id === id);
        expect(registered, `add ${id} to core/crm/registry.ts`).toBeDefined();
        expect(Object.values(module), `core/crm/${file} must export the registered adapter`).toContain(registered);
      });

      it('has at least five URL vectors', () => {
        const count = allVectors.filter((vector) => vector.crm === id).length;
        expect(count, `add vectors for ${id} to test/fixtures/crm-url-vectors.extra.json`).toBeGreaterThanOrEqual(5);
      });

      it('has at least one record vector and one non-record vector', () => {
        const own = allVectors.filter((vector) => vector.crm === id);
        expect(own.some((vector) => vector.id !== null), `add a record URL of ${id}`).toBe(true);
        expect(own.some((vector) => vector.id === null), `add a list/settings URL of ${id}`).toBe(true);
      });

      it('ends with the real URLs it was tested on, each detected as this CRM', () => {
        const source = readFileSync(root(`core/crm/${file}`), 'utf8').trimEnd();
        const tail = source.slice(source.lastIndexOf('// Tested on'));
        expect(tail.startsWith('// Tested on'), `end core/crm/${file} with a "// Tested on" comment`).toBe(true);
        const urls = [...tail.matchAll(/^\/\/ (https?:\/\/\S+)$/gm)].map((match) => match[1]!);
        expect(urls.length, `list at least three URLs at the end of core/crm/${file}`).toBeGreaterThanOrEqual(3);
        const instances = allVectors[0]!.instances;
        for (const url of urls) expect(detectRecord(url, { instances })?.crm, url).toBe(id);
      });

      it('is listed in the README supported-CRMs table', () => {
        expect(readmeTable(), `add a row for ${id} to README.md`).toContain(`| \`${id}\` |`);
      });

      if (withFixtures.includes(id)) {
        it('has saved HTML pages in test/fixtures/<crm>/', () => {
          const folder = root(`test/fixtures/${id}`);
          expect(existsSync(folder), `create test/fixtures/${id}/`).toBe(true);
          expect(readdirSync(folder).filter((name) => name.endsWith('.html')).length).toBeGreaterThan(0);
        });
      }
    });
  }
});
