import { describe, expect, it } from 'vitest';
import { readTypedDay, writeTypedDay } from '../../../core/format/typed-day';

describe('a day typed as the reader writes it', () => {
  it('reads Russian 31.12.2026 (and 1.2.2026, 01/02/2026) as the ISO day; English as ISO', () => {
    expect(readTypedDay('31.12.2026', 'ru')).toBe('2026-12-31');
    expect(readTypedDay(' 1.2.2026 ', 'ru')).toBe('2026-02-01');
    expect(readTypedDay('01/02/2026', 'ru')).toBe('2026-02-01');
    expect(readTypedDay('2026-12-31', 'en')).toBe('2026-12-31');
    expect(readTypedDay('', 'ru')).toBe('');
  });

  it('refuses what is no day of the calendar, or written in the other language’s order', () => {
    expect(readTypedDay('31.02.2026', 'ru')).toBeNull();
    expect(readTypedDay('29.02.2026', 'ru')).toBeNull();
    expect(readTypedDay('29.02.2028', 'ru')).toBe('2028-02-29');
    expect(readTypedDay('2026-12-31', 'ru')).toBeNull();
    expect(readTypedDay('12/31/2026', 'en')).toBeNull();
    expect(readTypedDay('завтра', 'ru')).toBeNull();
  });

  it('writes an ISO day back in the reader’s order', () => {
    expect(writeTypedDay('2026-12-31', 'ru')).toBe('31.12.2026');
    expect(writeTypedDay('2026-12-31', 'en')).toBe('2026-12-31');
    expect(writeTypedDay('', 'ru')).toBe('');
  });
});
