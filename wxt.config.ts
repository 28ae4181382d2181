import { defineConfig } from 'wxt';

// Known SaaS CRM hosts are declared up front; self-hosted CRMs (and the demo CRM) are optional
// host permissions granted at run time from the options page, then registered as content scripts.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: false, // explicit imports everywhere: core/ must stay importable by the server
  vite: () => ({
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  }),
  manifest: ({ browser }) => ({
    name: 'Headway',
    description: 'Plan progress, load hints, negotiation notes and escalation on top of your CRM.',
    permissions: ['storage', 'alarms', 'scripting', 'notifications'],
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    commands: {
      'toggle-sidebar': {
        suggested_key: { default: 'Alt+Shift+H' },
        description: 'Show or collapse the Headway sidebar',
      },
      'capture-note': {
        suggested_key: { default: 'Alt+Shift+N' },
        description: 'Capture a negotiation note on this record',
      },
      escalate: {
        suggested_key: { default: 'Alt+Shift+E' },
        description: 'Escalate this record to management',
      },
    },
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'headway@headway.example', strict_min_version: '115.0' } } }
      : {}),
  }),
});
