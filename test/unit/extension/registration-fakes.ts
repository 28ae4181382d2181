import type { RegisteredScript, RegistrationApis } from '../../../extension/background/content-scripts';

/** An in-memory stand-in for browser.scripting + browser.permissions (fakeBrowser implements neither). */
export function fakeApis(granted: (pattern: string) => boolean) {
  const registered = new Map<string, RegisteredScript>();
  const calls: string[] = [];
  const apis: RegistrationApis = {
    permissions: { contains: async ({ origins }) => origins.every(granted) },
    scripting: {
      async getRegisteredContentScripts(filter) {
        return [...registered.values()].filter((script) => !filter?.ids || filter.ids.includes(script.id));
      },
      async registerContentScripts(scripts) {
        calls.push('register');
        for (const script of scripts) {
          if (registered.has(script.id)) throw new Error(`Duplicate script ID '${script.id}'`);
          registered.set(script.id, script);
        }
      },
      async unregisterContentScripts(filter) {
        calls.push('unregister');
        for (const id of filter?.ids ?? [...registered.keys()]) registered.delete(id);
      },
    },
  };
  return { apis, registered, calls };
}
