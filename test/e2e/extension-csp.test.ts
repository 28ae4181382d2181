// Extension hygiene, on the extension as built (.output/chrome-mv3): the manifest carries the strict CSP, nothing in
// the build loads or evaluates code from anywhere but the package, every permission is justified in the README, and
// in real Chromium every extension page runs under that CSP without a single violation.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEEKLY_REPORT_STYLE } from '../../core/escalation/weekly-report';
import { NOTIFICATION_ICON } from '../../extension/background/sync/notification-icon';
import { extensionDir, launchWithExtension, repoRoot, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { pair } from './notes-support';

interface BuiltManifest {
  permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  optional_permissions?: string[];
  content_security_policy?: { extension_pages?: string; sandbox?: string };
  web_accessible_resources?: unknown;
  externally_connectable?: unknown;
  sandbox?: unknown;
}

const manifest = (): BuiltManifest => JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')) as BuiltManifest;

/** "a b; c d" → {a: ['b'], c: ['d']}. */
function directives(policy: string): Record<string, string[]> {
  const parsed: Record<string, string[]> = {};
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) parsed[name] = values;
  }
  return parsed;
}

function builtFiles(extension: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(extension)) found.push(path);
    }
  };
  walk(extensionDir);
  return found;
}

/** The README section the permissions test reads; the whole section, up to the next heading. */
function readmePermissions(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf('## Permissions, and why');
  expect(start, 'README.md has a "Permissions, and why" section').toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe('the built manifest and bundles', () => {
  it('declares a strict CSP for the extension pages and the service worker', () => {
    const policy = manifest().content_security_policy?.extension_pages;
    expect(policy, 'content_security_policy.extension_pages is set explicitly').toBeTypeOf('string');
    expect(directives(policy!)).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      // The weekly report's style block, by hash: report.html shows the report in a frame that inherits this policy.
      'style-src': ["'self'", `'sha256-${createHash('sha256').update(WEEKLY_REPORT_STYLE, 'utf8').digest('base64')}'`],
      'img-src': ["'self'"],
      // The Headway server is an origin the user chooses at pairing time, so only the scheme can be pinned; data:
      // is how Chrome loads the notification icon (a data: PNG) in the service worker; wss:/ws: the poke channel's
      // socket to that same server (http: and https: do not cover WebSocket schemes).
      'connect-src': ["'self'", 'https:', 'http:', 'wss:', 'ws:', 'data:'],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
    // Nothing reopens a door the policy closes: no page is exposed to websites or other extensions.
    expect(manifest().web_accessible_resources).toBeUndefined();
    expect(manifest().externally_connectable).toBeUndefined();
    expect(manifest().sandbox).toBeUndefined();
  });

  it('loads every script and stylesheet of its pages from the package itself', () => {
    const pages = builtFiles('.html');
    expect(pages.map((page) => relative(extensionDir, page)).sort()).toEqual(['dashboard.html', 'escalate.html', 'inbox.html', 'options.html', 'panel.html', 'popup.html', 'report.html']);
    for (const page of pages) {
      const html = readFileSync(page, 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length, `${page} loads its bundle`).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(body!.trim(), `${page}: no inline script`).toBe('');
        expect(attributes, `${page}: script from the package`).toMatch(/\bsrc="\/(?!\/)[^"]+\.js"/);
      }
      for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) expect(tag, `${page}: ${tag}`).toMatch(/\bhref="\/(?!\/)[^"]+"/);
      expect(html, `${page}: no inline event handlers`).not.toMatch(/\son[a-z]+=/i);
    }
  });

  it('contains no eval, no remote script loading, and the Function constructor only in zod’s switched-off JIT', () => {
    const bundles = builtFiles('.js');
    expect(bundles.length).toBeGreaterThan(0);
    for (const bundle of bundles) {
      const code = readFileSync(bundle, 'utf8');
      const name = relative(extensionDir, bundle);
      expect(code, `${name}: eval`).not.toMatch(/(?<![.\w$])eval\s*\(/);
      expect(code, `${name}: importScripts`).not.toMatch(/(?<![.\w$])importScripts\s*\(/);
      expect(code, `${name}: import() of a URL`).not.toMatch(/(?<![.\w$])import\s*\(\s*["'`](?:https?:)?\/\//);
      expect(code, `${name}: a script element`).not.toMatch(/createElement\(\s*["'`]script["'`]/);
      expect(code, `${name}: a string timer`).not.toMatch(/(?<![.\w$])set(?:Timeout|Interval)\(\s*["'`]/);
      // Every reference to the Function constructor as a value (new Function, Function(...), const F = Function).
      // zod has exactly two: the allowsEval probe, which returns false without running under `jitless`, and the
      // object fast path it compiles only when that probe said true. extension/zod-jitless.ts sets jitless before
      // any schema exists; the Chromium tests below show that no page trips the CSP. A new site fails here.
      const sites = [...code.matchAll(/(?<![.\w$'"])Function(?![\w$.'"])/g)].map((match) => code.slice(Math.max(0, match.index - 160), match.index + 40));
      for (const site of sites) {
        const zodProbe = /\.jitless\|\|[^{}]*\)return!1;try\{const ([\w$]+)=Function;return new \1\(""\)/.test(site);
        const zodCompile = /compile\(\)\{const ([\w$]+)=Function,/.test(site);
        expect(zodProbe || zodCompile, `${name}: Function constructor outside zod's JIT:\n…${site}…`).toBe(true);
      }
    }
    // The CRM content script carries no zod at all (its 30 KB budget), so none of this there.
    const contentScript = readFileSync(join(extensionDir, 'content-scripts/crm.js'), 'utf8');
    expect(contentScript).not.toMatch(/(?<![.\w$'"])Function(?![\w$.'"])/);
  });

  it('posts nothing to CRM pages: the content script posts only on its port to the background (WXT’s legacy start message is dropped)', () => {
    const contentScript = readFileSync(join(extensionDir, 'content-scripts/crm.js'), 'utf8');
    // Every postMessage is the page port's (an optional call on a variable, `port?.postMessage`, minified); none on
    // window, top, parent or self, and none bare, which would be the page's own window.
    const calls = contentScript.match(/[\w$?.]*postMessage\(/g) ?? [];
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call).toMatch(/^[\w$]+\?\.postMessage\($/);
    expect(calls.some((call) => /^(window|top|parent|self|globalThis)\??\./.test(call))).toBe(false);
    // The start signal older instances of the script listen for is still sent, on the document.
    expect(contentScript).toMatch(/dispatchEvent\(new CustomEvent/);
  });

  it('names every permission and host permission of the manifest in the README, and states the CSP there', () => {
    const section = readmePermissions();
    const built = manifest();
    const all = [...(built.permissions ?? []), ...(built.host_permissions ?? []), ...(built.optional_host_permissions ?? [])];
    expect(all.length).toBeGreaterThan(0);
    for (const permission of all) expect(section, `README permissions section names ${permission}`).toContain(`\`${permission}\``);
    expect(section).toContain(built.content_security_policy!.extension_pages!);
  });
});

describe('every extension page under that CSP, in real Chromium', () => {
  let server: RunningServer;
  let extension: LaunchedExtension;
  const pageErrors: string[] = [];

  /**
   * The distinct violations a page reported since it loaded (recorded by the init script below). Chromium reports a
   * blocked script element twice (seen with Chromium 156), hence the set.
   */
  const violations = (page: Page) =>
    page.evaluate(() => [...new Set((globalThis as unknown as { headwayCspViolations: string[] }).headwayCspViolations)]);

  beforeAll(async () => {
    server = await startServer();
    extension = await launchWithExtension();
    // Runs in every page before its own scripts: records each CSP violation the page reports.
    await extension.context.addInitScript(() => {
      const seen: string[] = [];
      (globalThis as unknown as { headwayCspViolations: string[] }).headwayCspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`));
    });
    extension.context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`)));
    // Pairing goes through the options page and the service worker's fetch to the server: connect-src at work.
    await pair(extension, server, server.pairingCode);
  });

  afterAll(async () => {
    await extension?.close();
    server?.cleanup();
  });

  it('renders options, popup, dashboard, inbox, the escalate window and the report page without a violation or an error', async () => {
    const pages: [string, (page: Page) => Promise<void>][] = [
      ['options.html', (page) => page.getByTestId('account-name').waitFor()],
      ['popup.html', (page) => page.getByRole('button').first().waitFor()],
      // Progress figures come from the server through the background: the fetch path works under the policy.
      ['dashboard.html', (page) => page.getByTestId('progress-table').locator('tbody tr').first().waitFor()],
      ['inbox.html', (page) => page.locator('main.hw-inbox').waitFor()],
      // An unknown id: the window asks the background and shows its answer.
      ['escalate.html?id=missing', (page) => page.getByRole('alert').waitFor()],
      ['report.html?id=missing', (page) => page.getByTestId('report-problem').waitFor()],
    ];
    for (const [path, ready] of pages) {
      const page = await extension.context.newPage();
      await page.goto(`chrome-extension://${extension.extensionId}/${path}`);
      await ready(page);
      expect(await violations(page), path).toEqual([]);
      await page.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('refuses inline and remote script in a page, so the policy is the one in force', async () => {
    const page = await extension.context.newPage();
    await page.goto(`chrome-extension://${extension.extensionId}/options.html`);
    await page.getByTestId('account-name').waitFor();
    const ran = await page.evaluate(() => {
      const flag = globalThis as unknown as { headwayInlineRan?: boolean };
      const inline = document.createElement('script');
      inline.textContent = 'globalThis.headwayInlineRan = true';
      document.head.append(inline);
      const remote = document.createElement('script');
      remote.src = 'https://example.invalid/remote.js';
      document.head.append(remote);
      return flag.headwayInlineRan === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => violations(page)).toEqual([
      expect.stringMatching(/^script-src-elem blocked inline/),
      expect.stringMatching(/^script-src-elem blocked https:\/\/example\.invalid\/remote\.js/),
    ]);
    await page.close();
  });

  it('lets the service worker show a notification with its data: icon, and keeps zod’s JIT off there', async () => {
    const shown = await extension.worker.evaluate(async (iconUrl) => {
      type Notifications = { create(id: string, options: object): Promise<string>; clear(id: string): Promise<boolean> };
      const scope = globalThis as unknown as { chrome: { notifications: Notifications }; __zod_globalConfig?: { jitless?: boolean } };
      const id = await scope.chrome.notifications.create('headway-csp-check', { type: 'basic', iconUrl, title: 'Headway', message: 'CSP check' });
      await scope.chrome.notifications.clear(id);
      return { id, jitless: scope.__zod_globalConfig?.jitless };
    }, NOTIFICATION_ICON);
    expect(shown).toEqual({ id: 'headway-csp-check', jitless: true });
  });
});
