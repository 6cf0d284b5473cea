// The rules of the monthly report submitted upward (每月报送): when each level's report is due, where a report
// stands, which steps its state allows, and a region's summary of the approved reports below it. Pure: times are
// passed in; days and months are China's (calendar.ts).
import { MonthlyRow } from '../../contracts/reports.js';
import type { SubmissionLevel, SubmissionState, SubmissionStatus } from '../../contracts/submissions.js';
import { localDate, localMonth, monthRange, type Month } from './calendar.js';
import { rate, rectificationRate } from './figures.js';

export interface DueRule {
  /** Institutions submit the month's report by this day of the next month (the seeds: the 21st). */
  dueDay: number;
  /** Each level above has this many more days: the county's summary, then the city's, then the province's. */
  summaryDays: number;
}

const LEVEL_STEP: Record<SubmissionLevel, number> = { site: 0, county: 1, city: 2, province: 3 };

/** The month `n` months after `month` (n may be negative). */
export function shiftMonth(month: Month, n: number): Month {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The last day (YYYY-MM-DD) a level's report for `month` is on time: a day of the next month. */
export function dueDate(month: Month, level: SubmissionLevel, rule: DueRule): string {
  const day = Math.min(28, rule.dueDay + LEVEL_STEP[level] * rule.summaryDays);
  return `${shiftMonth(month, 1)}-${String(day).padStart(2, '0')}`;
}

/** Past the due day: the due day has ended in China. */
export function pastDue(now: number, month: Month, level: SubmissionLevel, rule: DueRule): boolean {
  return localDate(now) > dueDate(month, level, rule);
}

/** A month's report is submitted once the month is over. */
export function monthOver(now: number, month: Month): boolean {
  return now >= monthRange(month).to;
}

/** The months, of the two before `now`'s, whose reports of `level` are past due at `now` (the late-report job looks at these). */
export function monthsPastDue(now: number, level: SubmissionLevel, rule: DueRule): Month[] {
  const current = localMonth(now);
  return [2, 1].map((k) => shiftMonth(current, -k)).filter((m) => pastDue(now, m, level, rule));
}

/** Where a report stands: its state once stored; before, late when flagged or past due, else missing. */
export function submissionStatus(state: SubmissionState | null, flaggedLate: boolean, isPastDue: boolean): SubmissionStatus {
  if (state) return state;
  return flaggedLate || isPastDue ? 'late' : 'missing';
}

export type Refusal = { ok: false; status: 400 | 409; code: string; message: string };

/** Submitting: a first time, or again after it was returned; never over one submitted or approved. */
export function decideSubmit(existing: SubmissionState | null, now: number, month: Month): { ok: true; resubmission: boolean } | Refusal {
  if (!monthOver(now, month)) return { ok: false, status: 400, code: 'report.month_not_over', message: `month: ${month} is not over yet` };
  if (existing === 'submitted' || existing === 'approved') return { ok: false, status: 409, code: 'report.already_submitted', message: `the report for ${month} is ${existing} already` };
  return { ok: true, resubmission: existing === 'returned' };
}

/** The bureau above approves or returns a submitted report (a returned one waits for the resubmission). */
export function decideReview(state: SubmissionState, action: 'approve' | 'return'): { ok: true; to: SubmissionState } | Refusal {
  if (state !== 'submitted') return { ok: false, status: 409, code: 'report.not_submitted', message: `the report is ${state}: only a submitted report is ${action === 'approve' ? 'approved' : 'returned'}` };
  return { ok: true, to: action === 'approve' ? 'approved' : 'returned' };
}

/** The rates of a row: recomputed from the counts of a summary, never summed. */
const RATES = new Set<keyof MonthlyRow>(['falseAlarmRate', 'onlineRateNow', 'onlineRate', 'rectificationRate', 'onlineRateFrom', 'checkCompletionRate']);
const WHO = new Set<keyof MonthlyRow>(['code', 'name', 'level']);

/**
 * A region's summary of the reports below it: every count summed (a count added to MonthlyRow later is summed too),
 * the rates recomputed from the sums; the month's average online rate weighted by each report's devices.
 */
export function summarise(who: Pick<MonthlyRow, 'code' | 'name' | 'level'>, rows: readonly MonthlyRow[]): MonthlyRow {
  const sum = {} as Record<string, number>;
  for (const key of Object.keys(MonthlyRow.shape) as (keyof MonthlyRow)[]) {
    if (RATES.has(key) || WHO.has(key)) continue;
    sum[key] = rows.reduce((n, r) => n + (typeof r[key] === 'number' ? (r[key] as number) : 0), 0);
  }
  const counted = sum as unknown as MonthlyRow;
  const sampled = rows.filter((r) => r.onlineRate !== null && r.devices > 0);
  const weighted = sampled.reduce((n, r) => n + r.onlineRate! * r.devices, 0);
  return {
    ...counted,
    ...who,
    falseAlarmRate: rate(counted.falseAlarms, counted.confirmedAlarms),
    onlineRateNow: rate(counted.online, counted.devices),
    onlineRate: rate(weighted, sampled.reduce((n, r) => n + r.devices, 0)),
    onlineRateFrom: rows.some((r) => r.devices > 0 && r.onlineRateFrom === 'now') ? 'now' : 'samples',
    rectificationRate: rectificationRate(counted),
    checkCompletionRate: rate(counted.checksDone, counted.checksExpected),
  };
}
