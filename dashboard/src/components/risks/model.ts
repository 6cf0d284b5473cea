// The risk register as the dashboard reads it (the contract's record), and a preview of the platform's matrix.
import type { RiskPoint } from '../../../../contracts/risks';
import type { RiskLevel } from '../overview/risk';

export type { RiskPoint };
export { riskCategories } from '../../../../contracts/risks';

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
