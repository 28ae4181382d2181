import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The project's own import graph, read from the source with a regex (no dependency): every relative `import`,
 * `export … from`, `import()` and `import type`, resolved to a file. Enough to hold the layers apart
 * (layers.test.ts); bundlers and the compiler check that the imports resolve at all.
 */

export const ROOT = resolve(__dirname, '../../..');
const SOURCE_DIRS = ['core', 'server', 'extension', 'components', 'entrypoints'];
const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(])import\s*\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

export interface ImportEdge {
  /** Repository-relative paths with forward slashes. */
  from: string;
  to: string;
}

export function sourceFiles(): string[] {
  return SOURCE_DIRS.flatMap((dir) => walk(join(ROOT, dir))).map((file) => relative(ROOT, file).split('\\').join('/'));
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

export function relativeImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...text.matchAll(SPECIFIER)].map((match) => match[1] ?? match[2] ?? match[3]!).filter((spec) => spec.startsWith('.'));
}

export function importEdges(files: readonly string[] = sourceFiles()): ImportEdge[] {
  const known = new Set(files);
  return files.flatMap((from) =>
    relativeImports(from).flatMap((spec) => {
      const base = relative(ROOT, resolve(ROOT, dirname(from), spec)).split('\\').join('/');
      const to = [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((candidate) => known.has(candidate));
      return to ? [{ from, to }] : [];
    }),
  );
}
