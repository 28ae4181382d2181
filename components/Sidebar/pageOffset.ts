/**
 * While the sidebar is open, the CRM page is narrowed by the panel's width so the panel sits beside the
 * CRM's controls instead of over them. Only our own constant CSS is written (textContent, no page data).
 */
export const PANEL_WIDTH_PX = 300;
const STYLE_ID = 'headway-page-offset';

export function setPageOffset(document: Document, side: 'left' | 'right' | null): void {
  let style = document.getElementById(STYLE_ID);
  if (side === null) {
    style?.remove();
    return;
  }
  if (!style) {
    style = document.createElement('style');
    style.id = STYLE_ID;
    (document.head ?? document.documentElement).append(style);
  }
  style.textContent = `html{margin-${side}:${PANEL_WIDTH_PX}px !important;}`;
}
