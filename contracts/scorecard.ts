// The scorecard (考核评估): per institution and month, a score from rules kept as data (admins edit them; each change
// is a new version, audited), each point lost or gained with its reason as a kind and data the dashboard words.
import { z } from 'zod';

/** What a rule measures; how it is measured is FireNet's code, how much it weighs is the rule's data. */
export const scorecardMetrics = [
  /** Checks owed (日周月) and not done in the month. */
  'checks_missed',
  /** Hazards past their rectification deadline at the month's end. */
  'overdue_rectifications',
  /** Major hazards (重大事故隐患) open at the month's end. */
  'major_hazards_open',
  /** False alarms over confirmed alarms, above the threshold. */
  'false_alarm_rate',
  /** The month's average online rate, below the threshold. */
  'online_rate',
  /** 查岗 not answered in time in the month. */
  'duty_checks_missed',
  /** Drills, training and plans overdue at the month's end (应急准备). */
  'preparedness_overdue',
  /** The month's report submitted after its due day, or not submitted by it. */
  'report_late',
  /** The month's report submitted by its due day. */
  'report_on_time',
  /** 通报 received in the month. */
  'notices',
  /** 约谈 received in the month. */
  'interviews',
] as const;
export const ScorecardMetric = z.enum(scorecardMetrics);
export type ScorecardMetric = z.infer<typeof ScorecardMetric>;

export const ScorecardRuleCode = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'lower-case letters, digits and "_"');

/** What an admin sets: points per unit (negative: lost), the threshold and step of a rate, a cap on the rule's points. */
export const ScorecardRuleBody = z.object({
  metric: ScorecardMetric,
  /** Points per unit: per item counted, per `step` beyond a rate's threshold, or once for a yes/no metric. Negative: lost. */
  points: z.number().int().min(-100).max(100).refine((p) => p !== 0, 'not 0'),
  /** A count: units are the items beyond it (default 0). A rate (0..1): the bound it is measured against. */
  threshold: z.number().min(0).max(1000).nullable().default(null),
  /** A rate: one unit per `step` beyond the threshold (null: one unit for being beyond it at all). */
  step: z.number().positive().max(1).nullable().default(null),
  /** At most this many points from the rule, lost or gained (null: no cap). */
  cap: z.number().int().min(1).max(100).nullable().default(null),
  active: z.boolean().default(true),
});
export type ScorecardRuleBody = z.infer<typeof ScorecardRuleBody>;

export const ScorecardRule = ScorecardRuleBody.extend({
  code: ScorecardRuleCode,
  threshold: z.number().nullable(),
  step: z.number().nullable(),
  cap: z.number().int().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type ScorecardRule = z.infer<typeof ScorecardRule>;

/** One point lost or gained: which rule, what was measured, the units it made and the points. */
export const ScorePoint = z.object({
  rule: z.string(),
  metric: ScorecardMetric,
  /** The measured value: a count, a rate (0..1) or 1/0 for yes/no. */
  value: z.number(),
  threshold: z.number().nullable(),
  units: z.number().int(),
  points: z.number().int(),
  /** The rule's cap cut the points. */
  capped: z.boolean(),
});
export type ScorePoint = z.infer<typeof ScorePoint>;

export const InstitutionScore = z.object({
  siteId: z.string(),
  siteName: z.string(),
  regionCode: z.string(),
  /** 100 plus the points (at least 0). */
  score: z.number().int(),
  /** 1 for the best of the region; ties share a rank. */
  rank: z.number().int(),
  /** Every rule that lost or gained points, most points lost first. */
  points: z.array(ScorePoint),
});
export type InstitutionScore = z.infer<typeof InstitutionScore>;

export const Scorecard = z.object({
  month: z.string(),
  region: z.object({ code: z.string(), name: z.string(), level: z.string() }),
  base: z.number().int(),
  /** The rule versions it was scored by. */
  rules: z.array(z.object({ code: z.string(), version: z.number().int() })),
  /** Best first. */
  institutions: z.array(InstitutionScore),
});
export type Scorecard = z.infer<typeof Scorecard>;
