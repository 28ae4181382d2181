import { describe, expect, it } from 'vitest';
import { formatsOf } from '../../../core/i18n';
import { readTypedDay, writeTypedDay } from '../../../core/format/typed-day';

describe('a day typed as the reader writes it', () => {
  it('reads Russian 31.12.2026 (and 1.2.2026, 01/02/2026) as the ISO day', () => {
    expect(readTypedDay('31.12.2026', 'ru')).toBe('2026-12-31');
    expect(readTypedDay(' 1.2.2026 ', 'ru')).toBe('2026-02-01');
    expect(readTypedDay('01/02/2026', 'ru')).toBe('2026-02-01');
    expect(readTypedDay('', 'ru')).toBe('');
  });

  it('reads English with the month by name, day first or month first, and ISO', () => {
    for (const typed of ['31 Dec 2026', '31 December 2026', 'Dec 31, 2026', 'december 31 2026', '31 dec. 2026', '2026-12-31']) {
      expect(readTypedDay(typed, 'en'), typed).toBe('2026-12-31');
    }
    expect(readTypedDay('7 Sept 2026', 'en')).toBe('2026-09-07');
    expect(readTypedDay('7 Sep 2026', 'en')).toBe('2026-09-07');
    expect(readTypedDay('  ', 'en')).toBe('');
  });

  it('refuses what is no day of the calendar, written in the other language’s order, or read differently in Britain and America', () => {
    expect(readTypedDay('31.02.2026', 'ru')).toBeNull();
    expect(readTypedDay('29.02.2026', 'ru')).toBeNull();
    expect(readTypedDay('29.02.2028', 'ru')).toBe('2028-02-29');
    expect(readTypedDay('2026-12-31', 'ru')).toBeNull();
    expect(readTypedDay('завтра', 'ru')).toBeNull();
    expect(readTypedDay('12/31/2026', 'en')).toBeNull();
    expect(readTypedDay('07/12/2026', 'en')).toBeNull();
    expect(readTypedDay('31 Feb 2026', 'en')).toBeNull();
    expect(readTypedDay('31 Decembre 2026', 'en')).toBeNull();
    expect(readTypedDay('31.12.2026', 'en')).toBeNull();
  });

  it('writes an ISO day back as every page writes a day in that language, and reads it back', () => {
    expect(writeTypedDay('2026-12-31', 'ru')).toBe('31.12.2026');
    expect(writeTypedDay('2026-12-31', 'en')).toBe('31 Dec 2026');
    expect(writeTypedDay('2026-12-31', 'en')).toBe(formatsOf('en').day('2026-12-31'));
    expect(writeTypedDay('', 'ru')).toBe('');
    expect(writeTypedDay('', 'en')).toBe('');
    for (let month = 1; month <= 12; month++) {
      const iso = `2026-${String(month).padStart(2, '0')}-09`;
      expect(readTypedDay(writeTypedDay(iso, 'en'), 'en')).toBe(iso);
      expect(readTypedDay(writeTypedDay(iso, 'ru'), 'ru')).toBe(iso);
    }
  });
});
