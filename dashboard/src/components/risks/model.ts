// The risk register as the dashboard reads it (the contract's record), and a preview of the platform's matrix.
import type { RiskCategory, RiskPoint } from '../../../../contracts/risks';
import type { RiskLevel } from '../overview/risk';

export type { RiskPoint };

// The contract's lists are zod enums; importing them would bring zod into the page, whose start-up probe for eval is
// a CSP refusal. The list is restated here, and the compiler holds it to the contract's.
export const riskCategories = ['fire', 'electrical', 'hazardous_chemicals', 'medical_gas', 'ebike_charging', 'kitchen', 'construction', 'crowd', 'other'] as const satisfies readonly RiskCategory[];
export const everyCategory: [Exclude<RiskCategory, (typeof riskCategories)[number]>] extends [never] ? true : never = true;

/**
 * likelihood × severity into the four levels, shown live while a form is filled in. Only a preview: the platform
 * computes the level that is saved (platform/risks/assessment.ts), and the list shows that one.
 */
export function previewRisk(likelihood: number, severity: number): { score: number; level: RiskLevel } {
  const score = likelihood * severity;
  const level: RiskLevel = score >= 20 ? 'major' : score >= 12 ? 'significant' : score >= 6 ? 'general' : 'low';
  return { score, level };
}

export const RATINGS = [1, 2, 3, 4, 5] as const;
