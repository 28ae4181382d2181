/**
 * While the sidebar is open, the CRM page is narrowed by the panel's width so the panel sits beside the
 * CRM's controls instead of over them. The margin is an inline !important style on <html>, not a style element:
 * a new sheet in the document makes the browser re-check its rules against every element of a big CRM page
 * (3–9 ms on the bench page), an inline style restyles <html> alone before the relayout the narrower page needs
 * anyway. Inline !important also wins over the CRM's own !important rules. Whatever inline margin the page had
 * is given back when the panel moves or collapses. Only our own constant values are written, never page data.
 */
export const PANEL_WIDTH_PX = 300;

type Side = 'left' | 'right';

interface Taken {
  side: Side;
  /** The page's own inline value and priority for that margin, usually none. */
  value: string;
  priority: string;
  hadStyleAttribute: boolean;
}

const taken = new WeakMap<Document, Taken>();

export function setPageOffset(document: Document, side: Side | null): void {
  const html = document.documentElement;
  const current = taken.get(document);
  if (current?.side === side) return;
  if (current) {
    const property = `margin-${current.side}`;
    html.style.removeProperty(property);
    if (current.value) html.style.setProperty(property, current.value, current.priority);
    if (!current.hadStyleAttribute && html.style.length === 0) html.removeAttribute('style');
    taken.delete(document);
  }
  if (side === null) return;
  const property = `margin-${side}`;
  taken.set(document, { side, value: html.style.getPropertyValue(property), priority: html.style.getPropertyPriority(property), hadStyleAttribute: html.hasAttribute('style') });
  html.style.setProperty(property, `${PANEL_WIDTH_PX}px`, 'important');
}
