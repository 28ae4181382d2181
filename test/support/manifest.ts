import config from '../../wxt.config';

/** The parts of the manifest the unit tests read. */
export interface ManifestParts {
  host_permissions?: string[];
  optional_host_permissions?: string[];
  optional_permissions?: string[];
  commands: Record<string, { suggested_key?: { default?: string }; description?: string }>;
}

/** The manifest wxt.config.ts gives a production build for this browser, without building. */
export function manifestOf(browser: 'chrome' | 'firefox', manifestVersion: 2 | 3): ManifestParts {
  return (config.manifest as (env: object) => ManifestParts)({ browser, manifestVersion, mode: 'production', command: 'build' });
}
