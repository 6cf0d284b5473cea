// Days and months as the institutions count them: Asia/Shanghai, UTC+8 all year (no daylight saving
// since 1991), so a fixed offset is exact. Pure: epoch milliseconds in, dates and boundaries out.
import { z } from 'zod';

export { REPORT_TIME_ZONE } from '../../contracts/reports.js';

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM, e.g. 2024-06');
export type Month = z.infer<typeof Month>;

/** 'YYYY-MM-DD' of the local day `ms` falls on. */
export function localDate(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM' of the local month `ms` falls on. */
export function localMonth(ms: number): Month {
  return localDate(ms).slice(0, 7);
}

/** Local midnight of the day `ms` falls on. */
export function startOfLocalDay(ms: number): number {
  return Math.floor((ms + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS;
}

/** The last `n` local days up to and including today, oldest first, and when the first began. */
export function lastDays(now: number, n: number): { from: number; dates: string[] } {
  const today = startOfLocalDay(now);
  const from = today - (n - 1) * DAY_MS;
  return { from, dates: Array.from({ length: n }, (_, i) => localDate(from + i * DAY_MS)) };
}

/** A local month as [from, to) in epoch ms. */
export function monthRange(month: Month): { from: number; to: number } {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return { from: Date.UTC(year, mon - 1, 1) - OFFSET_MS, to: Date.UTC(year, mon, 1) - OFFSET_MS };
}
