import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SIDEBAR_FONTS } from '../../../components/Sidebar/fontWarmUp';

const css = ['components/Sidebar/sidebar.css', 'components/Sidebar/sidebar-details.css', 'components/Notes/notes.css']
  .map((file) => readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, ''))
  .join('\n');

/** Every (weight, size) a rule of the sidebar's CSS can ask for; a rule that sets only one inherits the other. */
function strikesIn(sheet: string): Set<string> {
  const strikes = new Set<string>();
  for (const [, body] of sheet.matchAll(/\{([^{}]*)\}/g)) {
    const size = /font-size:\s*(\d+px)/.exec(body!)?.[1];
    const weight = /font-weight:\s*(\d+)/.exec(body!)?.[1];
    if (!size && !weight) continue;
    // The panel's own size is 13 px and its weight 400; a rule setting one of them keeps the other from the panel.
    strikes.add(`${weight ?? '400'} ${size ?? '13px'}`);
  }
  return strikes;
}

describe('the sidebar font warm-up', () => {
  it('warms exactly the strikes the sidebar CSS uses, in its family', () => {
    const warmed = new Set(SIDEBAR_FONTS.map((font) => font.replace(/ system-ui$/, '')));
    expect([...strikesIn(css)].sort()).toEqual([...warmed].sort());
    expect(css).toMatch(/--hw-font:\s*system-ui, sans-serif;/);
  });
});
