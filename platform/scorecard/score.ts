// The scorecard (考核评估): an institution's month measured against the rules (data: points per unit, thresholds,
// caps), each rule's points with what it measured, and a region's ranking. Pure: the facts are counted elsewhere.
import type { InstitutionScore, ScorecardMetric, ScorecardRule, ScorePoint } from '../../contracts/scorecard.js';

/** Every institution starts the month from this. */
export const SCORE_BASE = 100;

/** What the rules measure, for one institution and month. */
export interface MonthFacts {
  checksMissed: number;
  overdueRectifications: number;
  majorHazardsOpen: number;
  /** null: no alarm confirmed (nothing to judge). */
  falseAlarmRate: number | null;
  /** null: no devices. */
  onlineRate: number | null;
  dutyChecksMissed: number;
  preparednessOverdue: number;
  /** The month's report: submitted by its due day, late (after it, or not by it), or neither yet (not due). */
  report: 'on_time' | 'late' | 'pending';
  notices: number;
  interviews: number;
}

const COUNTS: Partial<Record<ScorecardMetric, keyof MonthFacts>> = {
  checks_missed: 'checksMissed',
  overdue_rectifications: 'overdueRectifications',
  major_hazards_open: 'majorHazardsOpen',
  duty_checks_missed: 'dutyChecksMissed',
  preparedness_overdue: 'preparednessOverdue',
  notices: 'notices',
  interviews: 'interviews',
};

/** Steps beyond a bound; a float's last bit does not make one more (0.10 / 0.05 is 2, not 3). */
const steps = (beyond: number, step: number | null): number => (step === null ? 1 : Math.ceil(beyond / step - 1e-9));

/** What a rule measures in the facts and the units it makes of it. */
export function measure(rule: Pick<ScorecardRule, 'metric' | 'threshold' | 'step'>, facts: MonthFacts): { value: number; units: number } | null {
  const count = COUNTS[rule.metric];
  if (count) {
    const value = facts[count] as number;
    return { value, units: Math.max(0, value - (rule.threshold ?? 0)) };
  }
  switch (rule.metric) {
    case 'false_alarm_rate': {
      const value = facts.falseAlarmRate;
      if (value === null) return null;
      const bound = rule.threshold ?? 0;
      return { value, units: value > bound ? steps(value - bound, rule.step) : 0 };
    }
    case 'online_rate': {
      const value = facts.onlineRate;
      if (value === null) return null;
      const bound = rule.threshold ?? 1;
      return { value, units: value < bound ? steps(bound - value, rule.step) : 0 };
    }
    case 'report_late':
      return { value: facts.report === 'late' ? 1 : 0, units: facts.report === 'late' ? 1 : 0 };
    case 'report_on_time':
      return { value: facts.report === 'on_time' ? 1 : 0, units: facts.report === 'on_time' ? 1 : 0 };
    default:
      return null;
  }
}

/** One rule's points for the facts, or null when it gives none. */
export function pointsFor(rule: ScorecardRule, facts: MonthFacts): ScorePoint | null {
  if (!rule.active) return null;
  const m = measure(rule, facts);
  if (!m || m.units === 0) return null;
  const raw = m.units * rule.points;
  const capped = rule.cap !== null && Math.abs(raw) > rule.cap;
  return { rule: rule.code, metric: rule.metric, value: m.value, threshold: rule.threshold, units: m.units, points: capped ? Math.sign(raw) * rule.cap! : raw, capped };
}

/** The month's score (the base plus every rule's points, at least 0) and its reasons, most points lost first. */
export function score(rules: readonly ScorecardRule[], facts: MonthFacts): { score: number; points: ScorePoint[] } {
  const points = rules.map((r) => pointsFor(r, facts)).filter((p): p is ScorePoint => p !== null).sort((a, b) => a.points - b.points || a.rule.localeCompare(b.rule));
  return { score: Math.max(0, SCORE_BASE + points.reduce((n, p) => n + p.points, 0)), points };
}

/** Best first; equal scores share a rank (1, 2, 2, 4), then by name. */
export function rank(scores: readonly Omit<InstitutionScore, 'rank'>[]): InstitutionScore[] {
  const sorted = [...scores].sort((a, b) => b.score - a.score || a.siteName.localeCompare(b.siteName, 'zh-CN') || a.siteId.localeCompare(b.siteId));
  let previous: { score: number; rank: number } | null = null;
  return sorted.map((s, i) => {
    const r = previous && previous.score === s.score ? previous.rank : i + 1;
    previous = { score: s.score, rank: r };
    return { ...s, rank: r };
  });
}
