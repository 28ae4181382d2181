/**
 * The sidebar's three font strikes (sidebar.css: 13 px in 400 and 600, the title at 16 px 600), resolved while the
 * content script waits for its storage read. A tab resolves each family, weight and size through synchronous calls
 * to the browser process the first time it lays text out in them; left to the first frame, those calls blocked it
 * for 4–20 ms on the bench page. Measuring a letter on a canvas resolves the same strikes in the tab's font cache,
 * so the first frame finds them ready. Kept in step with sidebar.css by test/unit/sidebar/font-warm-up.test.ts.
 */
export const SIDEBAR_FONTS = ['400 13px system-ui', '600 13px system-ui', '600 16px system-ui'] as const;

export function warmUpFonts(document: Document): void {
  const context = document.createElement('canvas').getContext('2d');
  if (!context) return;
  for (const font of SIDEBAR_FONTS) {
    context.font = font;
    context.measureText('H');
  }
}
