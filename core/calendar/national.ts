import type { CalendarCountry } from '../schema';

/*
 * Public holidays as data, one table per country and year, written from the official sources named below. A year
 * missing from a table is a year whose calendar is not known here yet: working calendars say so (unknownYears)
 * rather than guess, since some countries (Russia above all) move days off by decree each year.
 *
 * `off`: days off that fall on a weekday (a holiday on a Saturday or Sunday costs no working day, unless it is
 * moved: then the day it is moved to is listed). `working`: weekend days that are worked (transferred working days).
 */
export interface NationalYear {
  off: readonly string[];
  working?: readonly string[];
}

export interface NationalCalendar {
  name: string;
  source: string;
  /** What the table leaves out, said wherever the calendar is offered. */
  notIncluded: string | null;
  years: Readonly<Record<number, NationalYear>>;
}

export const NATIONAL_CALENDARS: Readonly<Record<CalendarCountry, NationalCalendar>> = {
  RU: {
    name: 'Russia (production calendar, 5-day week)',
    source:
      'Labour Code art. 112; Government decrees No. 1335 of 4 Oct 2024 (2025) and No. 1466 of 24 Sep 2025 (2026). ' +
      'The decree for 2027 was not confirmed published when this table was written, so 2027 is unknown.',
    notIncluded: 'Regional holidays of the republics (e.g. Tatarstan, Bashkortostan) are not included.',
    years: {
      // New Year holidays 1–8 Jan; 4 Jan (Sat) → 2 May, 5 Jan (Sun) → 31 Dec, 23 Feb (Sun) → 8 May, 8 Mar (Sat) →
      // 13 Jun; Saturday 1 Nov is worked, its day off moved to Monday 3 Nov.
      2025: {
        off: [
          '2025-01-01', '2025-01-02', '2025-01-03', '2025-01-06', '2025-01-07', '2025-01-08',
          '2025-05-01', '2025-05-02', '2025-05-08', '2025-05-09', '2025-06-12', '2025-06-13',
          '2025-11-03', '2025-11-04', '2025-12-31',
        ],
        working: ['2025-11-01'],
      },
      // New Year holidays 1–8 Jan; 3 Jan (Sat) → 9 Jan, 4 Jan (Sun) → 31 Dec; 8 Mar (Sun) → 9 Mar and 9 May (Sat) →
      // 11 May under art. 112. No working Saturday.
      2026: {
        off: [
          '2026-01-01', '2026-01-02', '2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09',
          '2026-02-23', '2026-03-09', '2026-05-01', '2026-05-11', '2026-06-12', '2026-11-04', '2026-12-31',
        ],
      },
    },
  },
  DE: {
    name: 'Germany (national holidays)',
    source: 'Public holidays common to all 16 states (Einigungsvertrag art. 2; state holiday laws).',
    notIncluded:
      'State holidays are not included: Epiphany (BW, BY, ST), Women’s Day (BE, MV), Corpus Christi (BW, BY, HE, NW, ' +
      'RP, SL), Assumption Day (SL, parts of BY), World Children’s Day (TH), Reformation Day (BB, HB, HH, MV, NI, SN, ' +
      'ST, SH, TH), All Saints’ Day (BW, BY, NW, RP, SL), Repentance Day (SN), Augsburg Peace Festival; add the ' +
      'state’s days as company days off.',
    years: {
      // New Year, Good Friday, Easter Monday, 1 May, Ascension, Whit Monday, 3 Oct, 25 and 26 Dec (weekdays only).
      2025: { off: ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-01', '2025-05-29', '2025-06-09', '2025-10-03', '2025-12-25', '2025-12-26'] },
      // 3 Oct and 26 Dec fall on a Saturday.
      2026: { off: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-01', '2026-05-14', '2026-05-25', '2026-12-25'] },
      // 1 May, 3 Oct, 25 and 26 Dec fall on a weekend.
      2027: { off: ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-06', '2027-05-17'] },
    },
  },
  GB: {
    name: 'United Kingdom (England & Wales bank holidays)',
    source: 'Banking and Financial Dealings Act 1971 and royal proclamations, as listed on gov.uk/bank-holidays.',
    notIncluded: 'Scotland’s and Northern Ireland’s bank holidays are not included.',
    years: {
      2025: { off: ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26'] },
      // Boxing Day falls on a Saturday: substitute Monday 28 Dec.
      2026: { off: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28'] },
      // Christmas (Sat) and Boxing Day (Sun): substitutes Monday 27 and Tuesday 28 Dec.
      2027: { off: ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28'] },
    },
  },
  US: {
    name: 'United States (federal holidays)',
    source: '5 U.S.C. 6103, with the observed day: a Saturday holiday on the Friday before, a Sunday one on the Monday after.',
    notIncluded: 'State holidays and one-off closures by executive order are not included.',
    years: {
      2025: { off: ['2025-01-01', '2025-01-20', '2025-02-17', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-10-13', '2025-11-11', '2025-11-27', '2025-12-25'] },
      // 4 Jul is a Saturday: observed Friday 3 Jul.
      2026: { off: ['2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25'] },
      // 19 Jun (Sat) → Fri 18 Jun; 4 Jul (Sun) → Mon 5 Jul; 25 Dec (Sat) → Fri 24 Dec; 1 Jan 2028 (Sat) → Fri 31 Dec.
      2027: {
        off: ['2027-01-01', '2027-01-18', '2027-02-15', '2027-05-31', '2027-06-18', '2027-07-05', '2027-09-06', '2027-10-11', '2027-11-11', '2027-11-25', '2027-12-24', '2027-12-31'],
      },
    },
  },
};
