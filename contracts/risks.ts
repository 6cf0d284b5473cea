// The risk register (一院一清单): each institution's risk points, assessed likelihood × severity into the four
// colour levels of the 双重预防 mechanism (重大 red, 较大 orange, 一般 yellow, 低 blue). A risk point is standing
// knowledge about a place, kept apart from hazard tickets (a found defect to be fixed and closed).
import { z } from 'zod';
import { PlausibleDay as Day } from './times.js';

/** 重大 / 较大 / 一般 / 低, worst first: the levels of risk points and of hazards alike. */
export const riskLevels = ['major', 'significant', 'general', 'low'] as const;
export const RiskLevel = z.enum(riskLevels);
export type RiskLevel = z.infer<typeof RiskLevel>;

/** What kind of hazard source a risk point is about (the dashboard words them). */
export const riskCategories = ['fire', 'electrical', 'hazardous_chemicals', 'medical_gas', 'ebike_charging', 'kitchen', 'construction', 'crowd', 'other'] as const;
export const RiskCategory = z.enum(riskCategories);
export type RiskCategory = z.infer<typeof RiskCategory>;

/** 1 (rare / negligible) to 5 (almost certain / catastrophic). */
export const RiskRating = z.number().int().min(1).max(5);

const Text = (max: number) => z.string().trim().min(1).max(max);

export const RiskResponsible = z.object({
  name: Text(64),
  post: z.string().trim().max(64).nullable().default(null),
  phone: z.string().trim().max(32).nullable().default(null),
});
export type RiskResponsible = z.infer<typeof RiskResponsible>;

/** What a person fills in: the level is computed from the ratings, never given. */
export const RiskAssessment = z.object({
  /** Where: building, floor, room or area. */
  place: Text(200),
  /** What could go wrong there (危险源). */
  hazardSource: Text(500),
  category: RiskCategory,
  likelihood: RiskRating,
  severity: RiskRating,
  /** The controls in place (管控措施). */
  controls: Text(2000),
  responsible: RiskResponsible,
  /** When the point is to be assessed again. */
  reviewBy: Day,
});

export const NewRiskPoint = RiskAssessment.extend({ siteId: z.string().min(1).max(64) });
export type NewRiskPoint = z.infer<typeof NewRiskPoint>;

/** A reassessment: any of the fields; a change of rating recomputes the level. */
export const RiskPointChange = RiskAssessment.partial().refine((c) => Object.keys(c).length > 0, 'nothing to change');
export type RiskPointChange = z.infer<typeof RiskPointChange>;

export const RiskPoint = NewRiskPoint.extend({
  id: z.string(),
  siteName: z.string(),
  regionCode: z.string(),
  /** likelihood × severity, 1-25. */
  score: z.number().int(),
  level: RiskLevel,
  /** The review date has passed (Asia/Shanghai days). */
  reviewOverdue: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  /** Taken off the register (the place was rebuilt, the source removed), with why. */
  retiredAt: z.string().nullable(),
  retiredBy: z.string().nullable(),
  retiredNote: z.string().nullable(),
});
export type RiskPoint = z.infer<typeof RiskPoint>;

/** Per institution: its active risk points by level and the worst of them (null: none registered). */
export const RiskSummary = z.object({
  siteId: z.string(),
  siteName: z.string(),
  regionCode: z.string(),
  worst: RiskLevel.nullable(),
  counts: z.record(RiskLevel, z.number().int()),
  reviewOverdue: z.number().int(),
});
export type RiskSummary = z.infer<typeof RiskSummary>;
