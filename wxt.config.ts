import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { AliasOptions, Plugin } from 'vite';
import { defineConfig } from 'wxt';
import { WEEKLY_REPORT_STYLE } from './core/escalation/weekly-report';
import { INSTALL_HOSTS, TENANT_HOSTS } from './extension/host-permissions';
import type { CommandName } from './extension/messages';

// No CRM host is declared up front: the workspace's own tenants (SaaS or self-hosted) are optional host
// permissions granted at run time from the options page, then registered as content scripts.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: false, // explicit imports everywhere: core/ must stay importable by the server
  hooks: {
    // The CRM content script uses the browser's native promise APIs instead of webextension-polyfill (see
    // extension/content/native-browser.ts); prepended so it wins over the polyfill module's alias.
    'vite:build:extendConfig': (entrypoints, config) => {
      if (entrypoints.some((entrypoint) => entrypoint.type !== 'background' && entrypoint.type !== 'content-script')) {
        keepZodJitlessFirst(config);
        return;
      }
      if (!entrypoints.every((entrypoint) => entrypoint.type === 'content-script')) return;
      config.plugins = [...(config.plugins ?? []), noLegacyStartedMessage()];
      config.resolve ??= {};
      config.resolve.alias = [
        { find: /^wxt\/browser$/, replacement: resolve('extension/content/native-browser.ts') },
        ...aliasEntries(config.resolve.alias),
      ];
    },
  },
  vite: () => ({
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
    build: { rollupOptions: { onwarn: quietZodAnnotations } },
  }),
  manifest: ({ browser, manifestVersion, command }) => ({
    name: 'Headway',
    description: 'Plan progress, load hints, negotiation notes and escalation on top of your CRM.',
    // sidePanel: the record shows in the browser's own side panel (extension/panel/browser-panel.ts); Firefox's
    // sidebar_action below needs no permission.
    permissions: ['storage', 'alarms', 'scripting', 'notifications', ...(browser === 'firefox' ? [] : ['sidePanel'])],
    // Loopback at install; every CRM tenant of the workspace, SaaS ones included, is asked for from the options
    // page after pairing (one click), so Headway never reads another company's CRM pages (extension/host-permissions.ts).
    host_permissions: INSTALL_HOSTS,
    optional_host_permissions: TENANT_HOSTS,
    content_security_policy: { extension_pages: extensionPagesCsp(command === 'serve') },
    // Suggested keys only: a browser leaves a command without a key when its own shortcuts use that key, as
    // Chromium 156 does with Alt+Shift+N; the panel shows the key the browser actually gave (components/Sidebar/shortcuts.ts).
    commands: {
      'toggle-sidebar': {
        suggested_key: { default: 'Alt+Shift+H' },
        description: 'Show or close the Headway panel beside this CRM tab',
      },
      'capture-note': {
        suggested_key: { default: 'Alt+Shift+M' },
        description: 'Capture a negotiation note on this record',
      },
      escalate: {
        suggested_key: { default: 'Alt+Shift+E' },
        description: 'Escalate this record to management',
      },
    } satisfies Record<CommandName, { suggested_key: { default: string }; description: string }>,
    // MV2 (Firefox) has no optional_host_permissions: optional hosts are optional_permissions there.
    ...(manifestVersion === 2 ? { optional_permissions: TENANT_HOSTS } : {}),
    ...(browser === 'firefox'
      ? {
          // Firefox's sidebar shows the active tab's record; it opens at install, and Firefox remembers it after.
          sidebar_action: { default_panel: 'panel.html', default_title: 'Headway', open_at_install: true },
          browser_specific_settings: {
            gecko: {
              id: 'headway@headway.example',
              // 140: the first ESR that asks the user's consent for the data types declared below.
              strict_min_version: '140.0',
              // What leaves the browser, to the Headway server the user pairs with (and nowhere else): the device
              // token, CRM records as their pages show them and the notes written on them (people's names among
              // them), and which record pages were open (a deal's link, an escalation's page).
              data_collection_permissions: { required: ['authenticationInfo', 'personallyIdentifyingInfo', 'websiteActivity', 'websiteContent'] },
            },
          },
        }
      : {}),
  }),
});

/**
 * zod 4 ships `/* @__PURE__ *\/` comments in places Rollup cannot use; Rollup drops them (harmless) and said so in
 * about 20 lines on every build and `npm start`, burying the lines that matter. Only that warning, only for zod.
 */
function quietZodAnnotations(warning: { code?: string; id?: string }, warn: (warning: never) => void): void {
  if (warning.code === 'INVALID_ANNOTATION' && /[\\/]node_modules[\\/]zod[\\/]/.test(warning.id ?? '')) return;
  warn(warning as never);
}

/**
 * zod must be told `jitless` before any page module builds a schema (extension/zod-jitless.ts). Left to itself
 * Rollup put zod in the pages' shared chunk, which the zod-jitless chunk then imports: the shared chunk and its
 * schemas ran first and zod's eval probe was reported as a CSP violation. In a chunk of their own, zod and the
 * switch run, in that order, before any chunk that imports zod.
 */
function keepZodJitlessFirst(config: { build?: { rollupOptions?: { output?: unknown } } }): void {
  config.build ??= {};
  config.build.rollupOptions ??= {};
  const output = config.build.rollupOptions.output;
  if (Array.isArray(output)) return; // not WXT's shape: leave it alone rather than guess
  config.build.rollupOptions.output = {
    ...(output as object | undefined),
    manualChunks: (id: string) => (/[\\/]node_modules[\\/]zod[\\/]|[\\/]extension[\\/]zod-jitless\.ts$/.test(id) ? 'zod' : undefined),
  };
}

/**
 * The pages (options, popup, dashboard, inbox, escalate) and the service worker load only the extension's own
 * files: no remote or inline script, no eval, no plugins, no <base>, no framing by any page. Everything else is
 * closed by default-src 'none' and opened only as far as the code needs:
 * - connect-src https: http: the Headway server is whatever origin the user pairs with (https://, or http:// on
 *   their own network; extension/api.ts refuses other schemes), so the scheme is all a static policy can pin.
 * - connect-src wss: ws: the poke channel, a WebSocket to that same server (server/sync/poke-channel.ts); a scheme
 *   source http: or https: does not match WebSocket URLs.
 * - connect-src data: Chrome fetches a notification's iconUrl from the service worker, and the icon is a data: PNG
 *   (extension/background/sync/notification-icon.ts); without it every notification fails with "Unable to download images".
 * - style-src 'self': only the bundled stylesheets; Preact's style props go through CSSOM, which CSP does not govern.
 *   Plus, by hash, the weekly report's own style block: report.html shows the server's report in a srcdoc frame,
 *   which inherits this policy, and the report is plain HTML with that one <style>.
 * `wxt dev` injects styles as <style> elements and reloads over a websocket to its dev server, so only there
 * style-src allows inline styles and connect-src that websocket (WXT adds the dev server to script-src itself);
 * `wxt build` ships the strict policy, which test/e2e/extension-csp.test.ts checks in the built manifest.
 */
function extensionPagesCsp(devServer: boolean): string {
  const dev = devServer ? ['ws://localhost:*'] : [];
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' ${styleHash(WEEKLY_REPORT_STYLE)}${devServer ? " 'unsafe-inline'" : ''}`,
    "img-src 'self'",
    ['connect-src', "'self'", 'https:', 'http:', 'wss:', 'ws:', 'data:', ...dev].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * WXT's ContentScriptContext announces a starting content script twice, so an older instance of it (left behind by
 * an extension update) stops: a CustomEvent on the document, which WXT 0.21 listens for, and a window.postMessage
 * for scripts built before WXT 0.20. No Headway build listens for the message, yet on the CRM's tab it costs 4–6 ms
 * of the first paint's critical path (measured with marks around it) and shows every page script a message naming
 * our script. This drops that one call at build time; the build fails if WXT's code no longer has it as expected.
 */
function noLegacyStartedMessage(): Plugin {
  const legacyMessage = /\n\t\twindow\.postMessage\(\{\n\t\t\ttype: ContentScriptContext\.SCRIPT_STARTED_MESSAGE_TYPE,[^}]*\}, "\*"\);/;
  return {
    name: 'headway:no-legacy-started-message',
    transform(code, id) {
      if (!/[\\/]wxt[\\/]dist[\\/]utils[\\/]content-script-context\.mjs$/.test(id)) return null;
      if (!legacyMessage.test(code)) throw new Error('WXT changed ContentScriptContext.stopOldScripts: check its window.postMessage again (wxt.config.ts).');
      return { code: code.replace(legacyMessage, ''), map: null };
    },
  };
}

function styleHash(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

function aliasEntries(alias: AliasOptions | undefined): { find: string | RegExp; replacement: string }[] {
  if (!alias) return [];
  return Array.isArray(alias) ? alias : Object.entries(alias).map(([find, replacement]) => ({ find, replacement }));
}
