import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import type { BenchRow } from './row';

const gzipped = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;

/** Everything the content script entry injects: its JS and the CSS WXT emits beside it. */
export function injectedBytes(outputDir = resolve('.output/chrome-mv3')): number {
  const dir = join(outputDir, 'content-scripts');
  const files = readdirSync(dir).filter((file) => /\.(js|css)$/.test(file));
  if (files.length === 0) throw new Error(`No content script in ${dir}: build the extension first (npx wxt build).`);
  return files.reduce((sum, file) => sum + gzipped(join(dir, file)), 0);
}

/** The bare sidebar, built now with the settings WXT uses for content scripts: the code as it would be injected. */
export const bareSidebarCode = () => bareBaselineCode('bare-sidebar.tsx');

/** A baseline of test/bench/baseline/ bundled alone, as one minified script. */
export async function bareBaselineCode(file: string): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'headway-bare-sidebar-'));
  try {
    await build({
      configFile: false,
      logLevel: 'silent',
      esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
      build: {
        outDir,
        minify: true,
        lib: { entry: resolve('test/bench/baseline', file), formats: ['iife'], name: 'bare', fileName: () => 'bare.js' },
      },
    });
    return readFileSync(join(outDir, 'bare.js'), 'utf8');
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

export async function benchBundleSize(): Promise<BenchRow[]> {
  const ours = injectedBytes();
  const bare = gzipSync(await bareSidebarCode(), { level: 9 }).length;
  const budget = 30 * 1024;
  return [
    {
      name: 'Injected into a CRM page (JS + CSS, gzip)',
      value: ours,
      unit: 'B',
      baseline: bare,
      baselineName: 'bare Preact + signals shadow-root sidebar',
      budget: `≤ ${budget} B`,
      pass: ours <= budget,
    },
  ];
}
