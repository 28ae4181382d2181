// Reading a CRM page: a handful of querySelector calls, never a walk over the document, because readRecord runs
// on every mutation batch of single-page CRMs. Works on the Document (or the element) the caller passes in.
// Types only: zod itself stays out of the content script's bundle (30 KB budget); the parsers below keep every
// value inside DealFields' bounds, and the tests check their output against the schema.
import type { DealFields } from '../schema/deal';
import type { ParsedRecordUrl } from './types';
import { cleanText, limits, parseCurrency, parseDate, parseMoney, parseProbability } from './values';

/** Alternatives for one field, tried in order; each adapter comments which page version each one serves. */
export type Selectors = readonly string[];

export function first(root: ParentNode, selectors: Selectors): Element | null {
  for (const selector of selectors) {
    const element = root.querySelector(selector);
    if (element) return element;
  }
  return null;
}

/** What an element shows: form controls hold it in their value (or selected option), everything else in text. */
function shownText(element: Element): string | null {
  const tag = element.tagName.toLowerCase();
  if (tag === 'input' || tag === 'textarea') {
    const value = (element as HTMLInputElement).value;
    return typeof value === 'string' && value !== '' ? value : element.getAttribute('value');
  }
  if (tag === 'select') {
    const option = element.querySelector('option[selected]') ?? element.querySelector('option');
    return option?.textContent ?? null;
  }
  return element.textContent;
}

/** The text of the first selector that matches and shows something. */
export function readText(root: ParentNode, selectors: Selectors): string | undefined {
  for (const selector of selectors) {
    const element = root.querySelector(selector);
    if (!element) continue;
    const text = shownText(element);
    if (text && /\S/.test(text.length > 4096 ? text.slice(0, 4096) : text)) return text;
  }
  return undefined;
}

/** An attribute of the first selector that matches and carries it non-empty (e.g. Dynamics' full title). */
export function readAttribute(root: ParentNode, selectors: Selectors, attribute: string): string | undefined {
  for (const selector of selectors) {
    const value = root.querySelector(selector)?.getAttribute(attribute);
    if (value && value.trim()) return value;
  }
  return undefined;
}

/** Raw texts as the page shows them; dealFieldsFrom parses them. */
export interface PageTexts {
  title?: string;
  amount?: string;
  /** A separate currency field or code, used when the amount itself names no currency. */
  currency?: string;
  stage?: string;
  probability?: string;
  owner?: string;
  expectedClose?: string;
}

/** Parses page texts into DealFields; a field is present only when its text was read and parsed without guessing. */
export function dealFieldsFrom(texts: PageTexts): DealFields {
  const fields: DealFields = {};
  const title = cleanText(texts.title, limits.title);
  if (title) fields.title = title;
  // The symbol or code printed with the amount wins; a separate currency field fills in when the amount has none.
  const fieldCurrency = parseCurrency(texts.currency);
  const money = parseMoney(texts.amount, fieldCurrency);
  if (money.amount !== undefined) fields.amount = money.amount;
  const currency = money.currency ?? fieldCurrency;
  if (currency) fields.currency = currency;
  const stage = cleanText(texts.stage, limits.stage);
  if (stage) fields.stage = stage;
  const probability = parseProbability(texts.probability);
  if (probability !== undefined) fields.probability = probability;
  const owner = cleanText(texts.owner, limits.ownerLabel);
  if (owner) fields.ownerLabel = owner;
  const expectedClose = parseDate(texts.expectedClose);
  if (expectedClose) fields.expectedClose = expectedClose;
  return fields;
}

/** Records that are not deals show a name worth displaying, but their money fields mean something else. */
export function titleOnly(title: string | undefined): DealFields {
  return dealFieldsFrom({ title });
}

/** Where an adapter reads each deal field; a field without selectors is one the CRM's page does not show. */
export type DealSelectors = { readonly title: Selectors } & { readonly [field in keyof PageTexts]?: Selectors };

const pageTextFields = ['title', 'amount', 'currency', 'stage', 'probability', 'owner', 'expectedClose'] as const;

/**
 * What most adapters read: nothing on a non-record page, only the title on a record that is not a deal (its money
 * fields mean something else), every field on a deal. `known` holds texts the adapter read another way (an attribute
 * such as Dynamics' full title); a text there wins over the selectors, an undefined one falls back to them.
 */
export function readDealFields(
  root: ParentNode,
  record: ParsedRecordUrl,
  selectors: DealSelectors,
  known: PageTexts = {},
): DealFields {
  if (record.id === null) return {};
  if (record.recordType !== 'deal') return titleOnly(known.title ?? readText(root, selectors.title));
  const texts: PageTexts = {};
  for (const field of pageTextFields) texts[field] = known[field] ?? readText(root, selectors[field] ?? []);
  return dealFieldsFrom(texts);
}
