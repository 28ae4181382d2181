import { createHash } from 'node:crypto';
import type { NoteForCrm } from './types';

/**
 * A negotiation note as plain text for a CRM's own note, comment or activity: who wrote it, the side, what they
 * asked, what we offered, price, discount, objections, next step; then the free text. Shared by every connector so a
 * note reads the same in every CRM.
 */
export function noteSubject(note: NoteForCrm): string {
  const side = note.content.side === 'buyer' ? 'buyer' : 'seller';
  const first = note.content.text.split('\n')[0]?.trim() ?? '';
  const subject = first ? `Negotiation (${side}): ${first}` : `Negotiation note (${side}) by ${note.author.name}`;
  return subject.length > 200 ? `${subject.slice(0, 199)}…` : subject;
}

export function noteBody(note: NoteForCrm): string {
  const c = note.content;
  const lines: [string, string | undefined][] = [
    ['Author', note.author.name],
    ['Side', c.side === 'buyer' ? 'Buyer' : 'Seller'],
    ['Contact', c.contact],
    ['Asked', c.asked],
    ['Offered', c.offered],
    ['Price', c.price === undefined ? undefined : String(c.price)],
    ['Discount', c.discountPct === undefined ? undefined : `${c.discountPct} %`],
    ['Objections', c.objections],
    ['Next step', [c.nextStep, c.nextStepDate].filter(Boolean).join(' on ') || undefined],
  ];
  const facts = lines.filter((line): line is [string, string] => line[1] !== undefined && line[1] !== '').map(([label, value]) => `${label}: ${value}`);
  return [...facts, ...(c.text ? ['', c.text] : []), '', 'Written by Headway.'].join('\n');
}

/** Plain text as the HTML a CRM keeps in a rich-text note (HubSpot, Pipedrive): escaped, one line a <br>. */
export function textAsHtml(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return escaped.split('\n').join('<br>');
}

/**
 * A UUID derived from a write-back's key (RFC 4122 version 5 layout over SHA-1), for CRMs that accept an id from the
 * client: the same note always gets the same id, so a replay after a crash meets the record it already created.
 */
export function uuidFromKey(key: string): string {
  const hash = createHash('sha1').update(`headway:${key}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The reference line that makes a write findable again, for CRMs that take no id or idempotency key from a client
 * (amoCRM, Salesforce, EspoCRM, Odoo, HubSpot, Pipedrive): the same key always gives the same line, which ends the text written and is looked for
 * before writing.
 */
export function referenceOf(key: string): string {
  return `Headway ref ${uuidFromKey(key)}`;
}
