import { foldToAscii } from './text.js';

/** A calendar date; `day` counts days since 1970-01-01 (for "within a year" comparisons). */
export interface DateParts {
  iso: string;
  year: number;
  month: number;
  dayOfMonth: number;
  day: number;
}

export const MIN_YEAR = 1800;
export const MAX_YEAR = 2200;

const YMD_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
// 2024-01-31, 2024/1/31, 2024.01.31, optionally followed by a time (ISO timestamps from jsonb).
const YMD = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$/;
// 31/01/2024, 31.01.2024, 31-01-2024 (day first unless the first number cannot be a day of a month ≤ 12).
const DMY = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A valid date or null (Feb 30, month 13, year 0 are not dates). */
export function makeDate(year: number, month: number, dayOfMonth: number): DateParts | null {
  if (!(year >= MIN_YEAR && year <= MAX_YEAR && month >= 1 && month <= 12)) return null;
  if (!(dayOfMonth >= 1 && dayOfMonth <= daysInMonth(year, month))) return null;
  const iso = `${year}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
  return {
    iso,
    year,
    month,
    dayOfMonth,
    day: Math.round(Date.UTC(year, month - 1, dayOfMonth) / 86_400_000),
  };
}

/**
 * YYYYMMDD, YYYY-MM-DD (also / and . separators, and ISO timestamps), DD/MM/YYYY (MM/DD/YYYY when the
 * first number is over 12 only in the second position) → parts with `iso` = YYYY-MM-DD; anything else null.
 */
export function normalizeDate(input: string | null | undefined): DateParts | null {
  if (input == null) return null;
  const s = foldToAscii(input).trim();
  if (s.length === 0 || s.length > 40) return null;
  let m = YMD_COMPACT.exec(s) ?? YMD.exec(s);
  if (m) return makeDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = DMY.exec(s);
  if (m) {
    const first = Number(m[1]);
    const second = Number(m[2]);
    const year = Number(m[3]);
    if (second > 12 && first <= 12) return makeDate(year, first, second);
    return makeDate(year, second, first);
  }
  return null;
}
