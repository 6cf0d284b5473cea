// The scorecard (考核评估) alone (pure): each rule's points from the facts of a month, caps, thresholds and steps,
// the score and its reasons, and the ranking within a region.
import { describe, expect, it } from 'vitest';
import type { ScorecardRule } from '../../contracts/scorecard.js';
import { measure, pointsFor, rank, score, SCORE_BASE, type MonthFacts } from '../../platform/scorecard/score.js';

const rule = (code: string, r: Partial<ScorecardRule> & Pick<ScorecardRule, 'metric' | 'points'>): ScorecardRule => ({
  code, threshold: null, step: null, cap: null, active: true, version: 1, updatedAt: '', updatedBy: 'system', ...r,
});

/** The shipped defaults (migration 020). */
const DEFAULTS: ScorecardRule[] = [
  rule('checks_missed', { metric: 'checks_missed', points: -1, cap: 20 }),
  rule('overdue_rectifications', { metric: 'overdue_rectifications', points: -5, cap: 20 }),
  rule('major_hazards_open', { metric: 'major_hazards_open', points: -5, cap: 20 }),
  rule('false_alarm_rate', { metric: 'false_alarm_rate', points: -5, threshold: 0.5 }),
  rule('online_rate', { metric: 'online_rate', points: -2, threshold: 0.95, step: 0.05, cap: 10 }),
  rule('duty_checks_missed', { metric: 'duty_checks_missed', points: -2, cap: 10 }),
  rule('preparedness_overdue', { metric: 'preparedness_overdue', points: -3, cap: 15 }),
  rule('report_late', { metric: 'report_late', points: -5 }),
  rule('report_on_time', { metric: 'report_on_time', points: 2 }),
  rule('notices', { metric: 'notices', points: -3, cap: 9 }),
  rule('interviews', { metric: 'interviews', points: -5, cap: 15 }),
];

const clean: MonthFacts = {
  checksMissed: 0, overdueRectifications: 0, majorHazardsOpen: 0, falseAlarmRate: null, onlineRate: 1, dutyChecksMissed: 0, preparednessOverdue: 0,
  report: 'on_time', notices: 0, interviews: 0,
};

describe('scorecard rules (pure)', () => {
  it('gives a clean month the base and the on-time bonus, with that one reason', () => {
    expect(score(DEFAULTS, clean)).toEqual({
      score: SCORE_BASE + 2,
      points: [{ rule: 'report_on_time', metric: 'report_on_time', value: 1, threshold: null, units: 1, points: 2, capped: false }],
    });
  });

  it('takes points per unit, caps a rule, and lists the most lost first', () => {
    const facts: MonthFacts = { ...clean, checksMissed: 35, overdueRectifications: 2, majorHazardsOpen: 1, report: 'late', notices: 1, interviews: 1 };
    const result = score(DEFAULTS, facts);
    expect(result.points.map((p) => [p.rule, p.units, p.points, p.capped])).toEqual([
      ['checks_missed', 35, -20, true],
      ['overdue_rectifications', 2, -10, false],
      ['interviews', 1, -5, false],
      ['major_hazards_open', 1, -5, false],
      ['report_late', 1, -5, false],
      ['notices', 1, -3, false],
    ]);
    expect(result.score).toBe(100 - 20 - 10 - 5 - 5 - 5 - 3);
  });

  it('measures a rate against its threshold in steps, and not at all without anything to divide', () => {
    const online = DEFAULTS.find((r) => r.code === 'online_rate')!;
    // 85 % is 10 points below 95 %: two steps of 5, not three (0.1 / 0.05 in floating point)
    expect(measure(online, { ...clean, onlineRate: 0.85 })).toEqual({ value: 0.85, units: 2 });
    expect(measure(online, { ...clean, onlineRate: 0.949 })).toEqual({ value: 0.949, units: 1 });
    expect(pointsFor(online, { ...clean, onlineRate: 0.95 })).toBeNull();
    expect(pointsFor(online, { ...clean, onlineRate: null })).toBeNull();
    expect(pointsFor(online, { ...clean, onlineRate: 0.2 })).toMatchObject({ units: 15, points: -10, capped: true });
    const falseAlarms = DEFAULTS.find((r) => r.code === 'false_alarm_rate')!;
    expect(pointsFor(falseAlarms, { ...clean, falseAlarmRate: 0.8 })).toMatchObject({ value: 0.8, threshold: 0.5, units: 1, points: -5 });
    expect(pointsFor(falseAlarms, { ...clean, falseAlarmRate: 0.5 })).toBeNull();
    expect(pointsFor(falseAlarms, { ...clean, falseAlarmRate: null })).toBeNull();
  });

  it('counts only the items beyond a count\'s threshold, ignores an inactive rule, and never scores below 0', () => {
    expect(pointsFor(rule('lenient', { metric: 'duty_checks_missed', points: -2, threshold: 1 }), { ...clean, dutyChecksMissed: 3 })).toMatchObject({ value: 3, units: 2, points: -4 });
    expect(pointsFor({ ...DEFAULTS[0]!, active: false }, { ...clean, checksMissed: 5 })).toBeNull();
    const harsh = [rule('all', { metric: 'checks_missed', points: -50 })];
    expect(score(harsh, { ...clean, checksMissed: 3 }).score).toBe(0);
    // a report not yet due neither gains nor loses
    expect(score(DEFAULTS, { ...clean, report: 'pending' })).toEqual({ score: 100, points: [] });
  });

  it('ranks best first, equal scores sharing a rank', () => {
    const ranked = rank([
      { siteId: 'a', siteName: '甲医院', regionCode: '220281', score: 90, points: [] },
      { siteId: 'b', siteName: '乙医院', regionCode: '220281', score: 100, points: [] },
      { siteId: 'c', siteName: '丙医院', regionCode: '220282', score: 90, points: [] },
      { siteId: 'd', siteName: '丁医院', regionCode: '220282', score: 70, points: [] },
    ]);
    expect(ranked.map((r) => [r.siteId, r.rank])).toEqual([['b', 1], ['c', 2], ['a', 2], ['d', 4]]);
  });
});
