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
  const translated = import.meta.glob<string>(['../../../components/Sidebar/*.tsx', '../../../components/OwnerLoad/*.tsx', '../../../components/MyProgress/*.tsx', '../../../components/Notes/*.{ts,tsx}', '../../../components/Escalation/*.{ts,tsx}', '../../../components/Connection/*.{ts,tsx}', '../../../components/Dashboard/DashboardPage.tsx', '../../../components/Dashboard/CrmConnections.tsx', '../../../components/Dashboard/import-refusal.tsx', '../../../components/WithCommand.tsx', '../../../components/Dashboard/format.ts', '../../../components/PlanProgress/{ProgressSection,DepartmentSummary,ManagersTable,PaceBadge,PopupProgress,BurnUpChart,DealsDrillDown,DealHistory,PlanImportDialog,PlanTargetDialog}.tsx', '../../../components/PlanProgress/burnup.ts', '../../../components/LoadHints/*.{ts,tsx}', '../../../components/Language/*.tsx', '../../../components/DealImport/*.{ts,tsx}', '../../../components/DateField/*.tsx', '!**/i18n.ts'], { eager: true, query: '?raw', import: 'default' });

  const TEXT_PROPS = /^(aria-label|aria-description|title|placeholder|alt|label)$/;
  /** Calls whose arguments are never shown to a reader: developer logs and DOM queries. */
  const QUIET_CALLS = /^(console\.\w+|\w+\.querySelector(All)?|\w+\.closest|\w+\.getURL|\w+\.sendMessage|new URL)$/;
  /** Two words of prose ("Open dashboard"), not an identifier, a key, a CSS class ("hw-a hw-b") or a path. */
  const PROSE = /(?<![\p{L}\-_.\/#:])\p{L}{2,}[\s\u00a0]+\p{L}{2,}(?![\p{L}\-_\/])/u;
  /** Shown words: prose, or a capitalised word ("Buyer"); a lone lower-case word in code is a value ("buyer"). */
  const WORDS = new RegExp(`${PROSE.source}|\\p{Lu}\\p{Ll}`, 'u');
  /** Key names are the same in every language. */
  const KEYS = /^(Ctrl|Alt|Shift|Esc|Enter|⌘)(\+(Ctrl|Alt|Shift|Esc|Enter|⌘|\w))*$/;

  /** The literal text pieces of an expression: string literals and the text of template literals. */
  function pieces(node: ts.Node): { text: string; node: ts.Node }[] {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [{ text: node.text, node }];
    if (ts.isTemplateExpression(node)) return [{ text: [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' '), node }];
    return [];
  }

  /**
   * Where a literal is a value the code tests or passes on, not text it shows: an argument of a call (t('key'),
   * format.money(x, 'EUR')), an operand of a comparison (side === 'buyer'), a condition, an index.
   */
  const notShown = (node: ts.Node, stop: ts.Node): boolean => {
    for (let at: ts.Node = node; at !== stop && at.parent; at = at.parent) {
      const parent = at.parent;
      if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(at as ts.Expression)) return true;
      if (ts.isBinaryExpression(parent) && parent.operatorToken.kind !== ts.SyntaxKind.PlusToken && parent.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken && parent.operatorToken.kind !== ts.SyntaxKind.BarBarToken && parent.operatorToken.kind !== ts.SyntaxKind.AmpersandAmpersandToken) return true;
      if (ts.isConditionalExpression(parent) && parent.condition === at) return true;
      if (ts.isElementAccessExpression(parent) && parent.argumentExpression === at) return true;
    }
    return false;
  };
  /** In a JSX attribute that bears no text (class, data-testid, style): markup, not words. */
  const inMarkupAttribute = (node: ts.Node): boolean => {
    for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
      if (ts.isJsxAttribute(at)) return !TEXT_PROPS.test(at.name.getText());
      if (ts.isJsxElement(at) || ts.isJsxSelfClosingElement(at)) return false;
    }
    return false;
  };

  /**
   * Text a reader meets that is written in the component: JSX text; words in text-bearing attributes and props,
   * literal or inside their expression (`title={open ? 'Close' : 'Open'}`); words put into the markup as an
   * expression (`{side === 'buyer' ? 'Buyer' : 'Seller'}`); and anywhere else in the file, prose — two words or
   * more — in a string or template literal (a message set into state, returned into JSX, thrown), unless it is an
   * argument of a developer log or a DOM query.
   */
  function literalText(file: string, source: string): string[] {
    const found: string[] = [];
    const seen = new Set<ts.Node>();
    const note = (text: string, node: ts.Node) => {
      if (seen.has(node)) return;
      seen.add(node);
      found.push(text.trim());
    };
    const within = (root: ts.Node, test: RegExp) => {
      const walk = (node: ts.Node): void => {
        for (const piece of pieces(node)) if (test.test(piece.text) && !notShown(piece.node, root)) note(piece.text, piece.node);
        if (!ts.isJsxElement(node) && !ts.isJsxSelfClosingElement(node)) ts.forEachChild(node, walk);
      };
      walk(root);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isJsxText(node) && /\p{L}{2,}/u.test(node.text) && !KEYS.test(node.text.trim())) found.push(node.text.trim());
      if (ts.isJsxAttribute(node) && TEXT_PROPS.test(node.name.getText()) && node.initializer) {
        if (ts.isStringLiteral(node.initializer) && /\p{L}/u.test(node.initializer.text)) note(node.initializer.text, node.initializer);
        else if (ts.isJsxExpression(node.initializer) && node.initializer.expression) within(node.initializer.expression, WORDS);
      }
      if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) within(node.expression, WORDS);
      if (!seen.has(node)) {
        for (const piece of pieces(node)) {
          const call = node.parent && (ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent)) ? node.parent.expression.getText() : null;
          const quiet = call !== null && QUIET_CALLS.test(ts.isNewExpression(node.parent) ? `new ${call}` : call);
          if (PROSE.test(piece.text) && !quiet && !ts.isImportDeclaration(node.parent) && !ts.isJsxAttribute(node.parent) && !inMarkupAttribute(node)) note(piece.text, piece.node);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX));
    return found;
  }

  it('finds literal text where it is (the check itself)', () => {
    expect(literalText('x.tsx', 'const a = <p title="Close it">\n  Can’t reach {time}.\n</p>;')).toEqual(['Close it', 'Can’t reach']);
    // In expressions: a text-bearing prop, a word put into the markup, prose set into state or returned.
    expect(literalText('x.tsx', "const a = <p aria-label={open ? 'Close' : t('open')}>{side === 'buyer' ? 'Buyer' : t(side)}</p>;")).toEqual(['Close', 'Buyer']);
    expect(literalText('x.tsx', "setProblem('Pick a week first.'); const f = () => `Sent to ${name} today`;")).toEqual(['Pick a week first.', 'Sent to   today']);
    // Not text: keys, codes, classes, test ids, a developer's log, a query, a single word outside the markup.
    expect(literalText('x.tsx', "const a = <p class={`hw-a ${on ? 'hw-on' : ''}`} data-testid=\"x y\">{t('heading')}{format.money(1, 'EUR')}</p>; console.error('Headway request failed', e); el.querySelector('.hw a'); const k = 'open';")).toEqual([]);
  });

  it.each(Object.entries(translated))('%s has no user-facing text outside its catalogue', (file, source) => {
    // The brand is a name, not a word to translate.
    expect(literalText(file, source).filter((text) => text !== 'Headway')).toEqual([]);
  });
});

describe('escalation words', () => {
  it('are core’s once, and the extension’s labels capitalise only their first letter', async () => {
    const { categoryLabel, severityLabel } = await import('../../../extension/escalation/build');
    const { escalationWords } = await import('../../../core/escalation/i18n');
    expect(categoryLabel('decision', 'ru')).toBe('Нужно решение');
    expect(categoryLabel('report-request', 'en')).toBe('Report request');
    expect(severityLabel('critical', 'ru')).toBe('Критическая');
    const report = escalationWords('ru');
    expect(report.category('decision')).toBe('нужно решение');
    expect(report.severity('critical')).toBe('критическая');
  });
});
