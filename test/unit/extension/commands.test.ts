// The keyboard commands as the browser learns them from the manifest, checked against the one list of names the
// background accepts and the README's keys. test/e2e/commands.test.ts fires each through the browser's own event.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CommandName } from '../../../extension/messages';
import { COMMAND_NAMES } from '../../../extension/protocol';
import { manifestOf } from '../../support/manifest';

const commandsOf = (browser: 'chrome' | 'firefox', manifestVersion: 2 | 3) => manifestOf(browser, manifestVersion).commands;

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');

describe('keyboard commands', () => {
  for (const [browser, version] of [['chrome', 3], ['firefox', 2]] as const) {
    it(`${browser}'s manifest declares exactly the commands the background handles, each with its own key`, () => {
      const commands = commandsOf(browser, version);
      expect(Object.keys(commands).sort()).toEqual([...COMMAND_NAMES].sort());
      const keys = Object.values(commands).map((command) => command.suggested_key?.default);
      for (const key of keys) expect(key).toMatch(/^Alt\+Shift\+[A-Z]$/);
      expect(new Set(keys).size).toBe(keys.length);
      for (const command of Object.values(commands)) expect(command.description).toBeTruthy();
    });
  }

  it('the background accepts each declared name and nothing else', () => {
    for (const name of COMMAND_NAMES) expect(CommandName.safeParse(name).success).toBe(true);
    expect(CommandName.safeParse('open-everything').success).toBe(false);
  });

  it('the README names the key of each command', () => {
    for (const command of Object.values(commandsOf('chrome', 3))) expect(readme).toContain(`\`${command.suggested_key!.default}\``);
  });
});
