import { describe, expect, it } from 'vitest';
import { importEdges, sourceFiles } from './import-graph';

/**
 * The layers, and which may import which (issue 16 point 4). A file's layer is its folder:
 * - core: framework-free, shared by the extension and the server; imports only core.
 * - server: core and itself.
 * - extension: what the worker, the pages and the CRM tab share (messages, clients, catalogues, storage); core and itself.
 * - extension/background: the service worker; never the content script's code nor UI.
 * - extension/content: the CRM tab's script; never the worker's code nor UI (it draws nothing on the CRM page).
 * - components: UI of the extension's pages and side panel; it asks the background through the shared clients,
 *   never imports the worker's code.
 * - entrypoints: wire one surface each; anything but the server.
 */
type Layer = 'core' | 'server' | 'extension' | 'background' | 'content' | 'components' | 'entrypoints';

const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  core: ['core'],
  server: ['core', 'server'],
  extension: ['core', 'extension'],
  background: ['core', 'extension', 'background'],
  content: ['core', 'extension', 'content'],
  components: ['core', 'extension', 'components'],
  entrypoints: ['core', 'extension', 'background', 'content', 'components', 'entrypoints'],
};

function layerOf(file: string): Layer {
  if (file.startsWith('extension/background/')) return 'background';
  if (file.startsWith('extension/content/')) return 'content';
  const top = file.split('/')[0];
  if (top === 'core' || top === 'server' || top === 'extension' || top === 'components' || top === 'entrypoints') return top;
  throw new Error(`${file} is in no layer`);
}

function wrongWayImports(edges: readonly { from: string; to: string }[]): string[] {
  return edges.filter(({ from, to }) => !MAY_IMPORT[layerOf(from)].includes(layerOf(to))).map(({ from, to }) => `${from} → ${to}`);
}

describe('the layers', () => {
  const files = sourceFiles();
  const edges = importEdges(files);

  it('are read from the tree (the walk finds the files and their imports)', () => {
    expect(files).toContain('extension/background/hub.ts');
    expect(edges).toContainEqual({ from: 'entrypoints/background.ts', to: 'extension/background/hub.ts' });
    expect(edges.length).toBeGreaterThan(1000);
  });

  it('import only the way they may: core from nothing else, the UI never from the worker, the worker never from the UI', () => {
    expect(wrongWayImports(edges)).toEqual([]);
  });

  it('would catch a wrong-way import of each kind', () => {
    expect(
      wrongWayImports([
        { from: 'core/crm/index.ts', to: 'extension/messages.ts' },
        { from: 'core/plan/progress.ts', to: 'server/app.ts' },
        { from: 'server/app.ts', to: 'extension/api.ts' },
        { from: 'components/Sidebar/Sidebar.tsx', to: 'extension/background/hub.ts' },
        { from: 'extension/background/hub.ts', to: 'components/Sidebar/Sidebar.tsx' },
        { from: 'extension/messages.ts', to: 'extension/background/connection.ts' },
        { from: 'extension/content/page-watch.ts', to: 'extension/background/connection.ts' },
        { from: 'extension/background/hub.ts', to: 'extension/content/page-watch.ts' },
        { from: 'entrypoints/background.ts', to: 'server/app.ts' },
      ]),
    ).toHaveLength(9);
  });
});
