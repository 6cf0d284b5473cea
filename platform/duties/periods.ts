// The periods the 日周月 checks are owed for, on the institutions' calendar (Asia/Shanghai, UTC+8 all year, as
// reports/calendar.ts): a day 2026-11-30, an ISO week 2026-W49 (Monday to Sunday), a month 2026-11. Pure.
import type { CheckRhythm } from '../../contracts/duties.js';

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export interface Period {
  rhythm: CheckRhythm;
  /** Its name: 2026-11-30, 2026-W49, 2026-11. */
  period: string;
  /** [from, to) in epoch ms. */
  from: number;
  to: number;
}

/** The local calendar day of `ms` as a UTC midnight (so Date's UTC getters read the local date). */
const localDay = (ms: number): number => Math.floor((ms + OFFSET_MS) / DAY_MS) * DAY_MS;
const ymd = (localMidnight: number): string => new Date(localMidnight).toISOString().slice(0, 10);

/** The period of `rhythm` that `ms` falls in. */
export function periodAt(rhythm: CheckRhythm, ms: number): Period {
  const day = localDay(ms);
  if (rhythm === 'daily') return { rhythm, period: ymd(day), from: day - OFFSET_MS, to: day + DAY_MS - OFFSET_MS };
  if (rhythm === 'monthly') {
    const d = new Date(day);
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    return { rhythm, period: ymd(start).slice(0, 7), from: start - OFFSET_MS, to: end - OFFSET_MS };
  }
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0
  const monday = day - weekday * DAY_MS;
  const thursday = new Date(monday + 3 * DAY_MS);
  const isoYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * DAY_MS)) + 1;
  return { rhythm, period: `${isoYear}-W${String(week).padStart(2, '0')}`, from: monday - OFFSET_MS, to: monday + 7 * DAY_MS - OFFSET_MS };
}

/** The periods of `rhythm` that begin within [from, to), oldest first. */
export function periodsBeginningIn(rhythm: CheckRhythm, from: number, to: number): Period[] {
  const out: Period[] = [];
  let p = periodAt(rhythm, from);
  if (p.from < from) p = periodAt(rhythm, p.to);
  while (p.from < to) {
    out.push(p);
    p = periodAt(rhythm, p.to);
  }
  return out;
}

/** The last `n` periods of `rhythm` that had ended by `now`, oldest first. */
export function endedPeriods(rhythm: CheckRhythm, now: number, n: number): Period[] {
  const out: Period[] = [];
  let p = periodAt(rhythm, periodAt(rhythm, now).from - 1);
  for (let i = 0; i < n; i++) {
    out.unshift(p);
    p = periodAt(rhythm, p.from - 1);
  }
  return out;
}

/** A local date 'YYYY-MM-DD' as its local midnight in epoch ms. */
export function localMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) - OFFSET_MS;
}
