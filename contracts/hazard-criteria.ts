// 重大事故隐患判定: the criteria a hazard at a health institution is judged major by, kept as data (admins edit and
// add to the list; a criterion is retired, never deleted, so the tickets that name it keep their meaning).
import { z } from 'zod';

export const CriterionCode = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'lower-case letters, digits and "_"');

export const HazardCriterion = z.object({
  code: CriterionCode,
  title: z.string(),
  titleEn: z.string(),
  active: z.boolean(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type HazardCriterion = z.infer<typeof HazardCriterion>;

/** An admin's words for a criterion (new or changed), and whether it is offered. */
export const CriterionText = z.object({
  title: z.string().trim().min(1).max(300),
  titleEn: z.string().trim().min(1).max(300),
  active: z.boolean().default(true),
});
