import { expect, it } from 'vitest';
import { shellLocale } from '../../../server/cli/locale';

it('the CLI speaks the shell’s language when it is one Headway speaks, English otherwise', () => {
  expect(shellLocale({ LANG: 'ru_RU.UTF-8' })).toBe('ru');
  expect(shellLocale({ LANG: 'ru_RU.UTF-8', LC_ALL: 'en_GB.UTF-8' })).toBe('en');
  expect(shellLocale({ LANG: 'de_DE.UTF-8', LC_MESSAGES: 'ru_RU' })).toBe('ru');
  expect(shellLocale({ LANG: 'C.UTF-8' })).toBe('en');
  expect(shellLocale({})).toBe('en');
});
