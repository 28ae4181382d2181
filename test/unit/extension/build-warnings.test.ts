import { describe, expect, it } from 'vitest';
import config from '../../../wxt.config';

type Warning = { code?: string; id?: string; message?: string };
type OnWarn = (warning: Warning, warn: (warning: Warning) => void) => void;

/** The onwarn every build (`npx wxt build`, `npm start`) hands Rollup, as wxt.config.ts declares it. */
function onwarn(): OnWarn {
  const vite = (config.vite as (env: object) => { build?: { rollupOptions?: { onwarn?: OnWarn } } })({ mode: 'production', command: 'build' });
  const handler = vite.build?.rollupOptions?.onwarn;
  if (!handler) throw new Error('wxt.config.ts gives Rollup no onwarn.');
  return handler;
}

const passedOn = (warning: Warning): Warning[] => {
  const shown: Warning[] = [];
  onwarn()(warning, (each) => shown.push(each));
  return shown;
};

// Issue 15 §3 item 12: `npm start` printed about 20 lines of Rollup warnings from zod on every start.
describe('build warnings', () => {
  it("drops Rollup's INVALID_ANNOTATION warnings about zod's own files, and only those", () => {
    const zod = { code: 'INVALID_ANNOTATION', id: '/repo/node_modules/zod/v4/core/schemas.js', message: 'A comment "/* @__PURE__ */" … cannot interpret' };
    expect(passedOn(zod)).toEqual([]);
    expect(passedOn({ ...zod, id: 'C:\\repo\\node_modules\\zod\\v4\\classic\\schemas.js' })).toEqual([]);
  });

  it('still shows the same warning about our code or another package, and every other warning about zod', () => {
    const ours = { code: 'INVALID_ANNOTATION', id: '/repo/core/schema/deal.ts' };
    const otherPackage = { code: 'INVALID_ANNOTATION', id: '/repo/node_modules/preact/dist/preact.module.js' };
    const circular = { code: 'CIRCULAR_DEPENDENCY', id: '/repo/node_modules/zod/v4/core/schemas.js' };
    expect(passedOn(ours)).toEqual([ours]);
    expect(passedOn(otherPackage)).toEqual([otherPackage]);
    expect(passedOn(circular)).toEqual([circular]);
  });
});
