import { pickLocale, type Locale } from '../../core/i18n';

/**
 * The language of the person at the shell, as the POSIX locale variables name it (LC_ALL over LC_MESSAGES over LANG:
 * "ru_RU.UTF-8" → ru); English when none names a language Headway speaks ("C.UTF-8", "POSIX", unset).
 */
export function shellLocale(env: NodeJS.ProcessEnv = process.env): Locale {
  const tag = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return pickLocale([tag.split('.')[0] ?? '']);
}
