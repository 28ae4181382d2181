import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { isoCurrencyCodes } from '../../../core/format/currency-codes';
import { formatDateTimeRu, formatDayRu, formatMoneyRu, groupDigitsRu } from '../../../core/format/russian';
import { defineMessages, pickLocale, placeholdersOf, readerLocale, pluralCategory, translator, type Messages } from '../../../core/i18n';

describe('the reader’s language', () => {
  it('is the first of the browser’s languages Headway speaks, by primary subtag; English otherwise', () => {
    expect(pickLocale(['ru-RU', 'en-US'])).toBe('ru');
    expect(pickLocale(['kk-KZ', 'ru', 'en'])).toBe('ru');
    expect(pickLocale(['de-DE', 'en-GB'])).toBe('en');
    expect(pickLocale(['RU'])).toBe('ru');
    expect(pickLocale(['de', 'fr'])).toBe('en');
    expect(pickLocale([])).toBe('en');
  });

  it('is the language the person set, over any the browser has; the browser’s when they set none', () => {
    expect(readerLocale('ru', ['en-US'])).toBe('ru');
    expect(readerLocale('en', ['ru-RU'])).toBe('en');
    expect(readerLocale(null, ['ru-RU', 'en'])).toBe('ru');
    expect(readerLocale(undefined, ['de'])).toBe('en');
  });
});

describe('plural rules', () => {
  it('answer what Intl.PluralRules answers for whole and fractional counts, in both languages', () => {
    const counts = [...Array.from({ length: 250 }, (_, n) => n), 1001, 1011, 1021, 1.5, 0.1, -1, -2, -5, -11, -21];
    for (const locale of ['en', 'ru'] as const) {
      const rules = new Intl.PluralRules(locale === 'en' ? 'en-GB' : 'ru-RU');
      for (const count of counts) expect(pluralCategory(locale, count), `${locale} ${count}`).toBe(rules.select(count));
    }
  });

  it('give 1 сделка, 2 сделки, 5 сделок, 11 сделок, 21 сделка', () => {
    const t = translator(defineMessages({ deals: { one: '{count} deal', other: '{count} deals' } }, { deals: { one: '{count} сделка', few: '{count} сделки', many: '{count} сделок', other: '{count} сделки' } }), 'ru');
    expect([1, 2, 5, 11, 21, 22, 25, 111].map((count) => t('deals', { count }))).toEqual(['1 сделка', '2 сделки', '5 сделок', '11 сделок', '21 сделка', '22 сделки', '25 сделок', '111 сделок']);
  });
});

describe('messages', () => {
  const messages = defineMessages({ over: '{name} is at {percent} of capacity' }, { over: '{name}: загрузка {percent}' });

  it('fill their placeholders, and leave a missing one visible rather than blank', () => {
    expect(translator(messages, 'en')('over', { name: 'Maya', percent: '140 %' })).toBe('Maya is at 140 % of capacity');
    expect(translator(messages, 'ru')('over', { name: 'Майя', percent: '140 %' })).toBe('Майя: загрузка 140 %');
    expect(translator(messages, 'ru')('over', { name: 'Майя' })).toBe('Майя: загрузка {percent}');
  });

  // Every surface's catalogue: the same keys (the compiler holds that), the same placeholders in each language, and
  // no empty text. A new surface's i18n.ts is found without being listed here.
  const catalogues = import.meta.glob<Record<string, unknown>>(['../../../components/**/i18n.ts', '../../../core/**/i18n.ts', '../../../extension/**/i18n.ts', '../../../server/**/i18n.ts'], { eager: true });
  const surfaces = Object.entries(catalogues).flatMap(([file, module]) =>
    Object.entries(module)
      .filter((entry): entry is [string, Messages<Record<string, string>>] => typeof entry[1] === 'object' && entry[1] !== null && 'en' in entry[1] && 'ru' in entry[1])
      .map(([name, value]) => [`${file} ${name}`, value] as const),
  );

  it('are found for the surfaces translated so far', () => {
    expect(surfaces.length).toBeGreaterThan(0);
  });

  it.each(surfaces)('%s: every key in both languages, with the same placeholders and no empty text', (_, surface) => {
    expect(Object.keys(surface.ru).sort()).toEqual(Object.keys(surface.en).sort());
    for (const key of Object.keys(surface.en)) {
      const en = surface.en[key]!;
      const ru = surface.ru[key]!;
      expect([...placeholdersOf(ru)].sort(), key).toEqual([...placeholdersOf(en)].sort());
      for (const text of typeof ru === 'string' ? [ru] : Object.values(ru)) expect(String(text).trim(), key).not.toBe('');
      if (typeof ru !== 'string') expect(ru, `${key}: Russian plurals need one, few and many`).toEqual({ one: expect.any(String), few: expect.any(String), many: expect.any(String), other: expect.any(String) });
    }
  });
});

describe('Russian figures and dates', () => {
  it('write every ISO currency as ru-RU’s Intl does, whole and with kopecks', () => {
    for (const currency of isoCurrencyCodes) {
      for (const [amount, digits] of [[141_200, 0], [1_234_567.89, 2], [-5000, 0], [0.5, 2]] as const) {
        const intl = new Intl.NumberFormat('ru-RU', { style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: digits }).format(amount);
        expect(formatMoneyRu(amount, currency, digits), `${currency} ${amount}`).toBe(intl);
      }
    }
    expect(formatMoneyRu(141_200, 'EUR')).toBe('141\u00a0200\u00a0€');
    expect(formatMoneyRu(1_234_567.89, 'RUB', 2)).toBe('1\u00a0234\u00a0567,89\u00a0₽');
    expect(groupDigitsRu(1234.5, 2)).toBe(new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 2 }).format(1234.5));
  });

  it('write each month as ru-RU’s medium date does, without its trailing “г.”', () => {
    const intl = new Intl.DateTimeFormat('ru-RU', { dateStyle: 'medium', timeZone: 'UTC' });
    for (let month = 0; month < 12; month++) {
      const day = new Date(Date.UTC(2026, month, 7));
      expect(formatDayRu(day.toISOString().slice(0, 10))).toBe(intl.format(day).replace(/\s*г\.$/, ''));
    }
    expect(formatDayRu('2026-12-07')).toBe('7 дек. 2026');
    const local = new Date(2026, 11, 7, 9, 5);
    expect(formatDateTimeRu(local.toISOString())).toBe(new Intl.DateTimeFormat('ru-RU', { dateStyle: 'medium', timeStyle: 'short' }).format(local).replace(' г.,', ','));
  });
});

describe('translated surfaces', () => {
  // Components whose every word comes from a catalogue; the list grows as surfaces are translated (issue 17 §1).
  const translated = import.meta.glob<string>(['../../../components/Sidebar/*.tsx', '../../../components/OwnerLoad/*.tsx', '../../../components/MyProgress/*.tsx', '../../../components/Language/*.tsx'], { eager: true, query: '?raw', import: 'default' });

  /** Text a reader meets that is written in the component: JSX text, and words in text-bearing attributes. */
  function literalText(file: string, source: string): string[] {
    const found: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isJsxText(node) && /\p{L}{2,}/u.test(node.text)) found.push(node.text.trim());
      if (ts.isJsxAttribute(node) && /^(aria-label|title|placeholder|alt)$/.test(node.name.getText()) && node.initializer && ts.isStringLiteral(node.initializer) && /\p{L}/u.test(node.initializer.text)) found.push(node.initializer.text);
      ts.forEachChild(node, visit);
    };
    visit(ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX));
    return found;
  }

  it('finds literal text where it is (the check itself)', () => {
    expect(literalText('x.tsx', 'const a = <p title="Close it">\n  Can’t reach {time}.\n</p>;')).toEqual(['Close it', 'Can’t reach']);
  });

  it.each(Object.entries(translated))('%s has no user-facing text outside its catalogue', (file, source) => {
    // The brand is a name, not a word to translate.
    expect(literalText(file, source).filter((text) => text !== 'Headway')).toEqual([]);
  });
});
