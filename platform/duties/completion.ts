// Checks done against checks owed (日周月), per institution and summed over a region. Pure.
import { checkRhythms, type CheckCompletion, type CheckRhythm, type CheckRhythmPlan } from '../../contracts/duties.js';
import { periodsBeginningIn } from './periods.js';

export interface InstitutionPlan {
  siteId: string;
  /** When it was registered: periods that ended before, and spans that ended before, owe nothing. */
  createdAt: number;
  plan: CheckRhythmPlan;
}

/** Checks done by an institution, by rhythm and period, with what they found. */
export interface DoneCount {
  siteId: string;
  rhythm: CheckRhythm;
  period: string;
  checks: number;
  fixedOnSpot: number;
  hazardsOpened: number;
}

const rate = (done: number, expected: number): number | null => (expected === 0 ? null : done / expected);

export function emptyCompletion(): CheckCompletion {
  return {
    expected: 0, done: 0, rate: null, fixedOnSpot: 0, hazardsOpened: 0,
    byRhythm: { daily: { expected: 0, done: 0, rate: null }, weekly: { expected: 0, done: 0, rate: null }, monthly: { expected: 0, done: 0, rate: null } },
  };
}

/**
 * An institution's completion over the periods that begin in [from, min(to, now)): a period still running counts
 * (today's daily check is owed today). Per period, done is at most what was owed.
 */
export function institutionCompletion(plan: InstitutionPlan, done: readonly DoneCount[], from: number, to: number, now: number): CheckCompletion {
  const c = emptyCompletion();
  // registered after the span ended: nothing was owed in it, not even a week that began in it and runs on
  if (plan.createdAt >= to) return finish(c);
  const byPeriod = new Map(done.map((d) => [`${d.rhythm}/${d.period}`, d]));
  for (const rhythm of checkRhythms) {
    const owed = plan.plan[rhythm];
    for (const p of periodsBeginningIn(rhythm, from, Math.min(to, now + 1))) {
      if (p.to <= plan.createdAt) continue;
      const d = byPeriod.get(`${rhythm}/${p.period}`);
      c.byRhythm[rhythm].expected += owed;
      c.byRhythm[rhythm].done += Math.min(owed, d?.checks ?? 0);
    }
  }
  for (const d of done) {
    c.fixedOnSpot += d.fixedOnSpot;
    c.hazardsOpened += d.hazardsOpened;
  }
  return finish(c);
}

/** The sum of several completions (a region's institutions). */
export function sumCompletions(parts: readonly CheckCompletion[]): CheckCompletion {
  const c = emptyCompletion();
  for (const p of parts) {
    for (const rhythm of checkRhythms) {
      c.byRhythm[rhythm].expected += p.byRhythm[rhythm].expected;
      c.byRhythm[rhythm].done += p.byRhythm[rhythm].done;
    }
    c.fixedOnSpot += p.fixedOnSpot;
    c.hazardsOpened += p.hazardsOpened;
  }
  return finish(c);
}

function finish(c: CheckCompletion): CheckCompletion {
  for (const rhythm of checkRhythms) {
    const r = c.byRhythm[rhythm];
    r.rate = rate(r.done, r.expected);
    c.expected += r.expected;
    c.done += r.done;
  }
  c.rate = rate(c.done, c.expected);
  return c;
}
