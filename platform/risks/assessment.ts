// Assessing a risk point: likelihood × severity on a 5 × 5 matrix into the four colour levels. Pure.
import type { RiskLevel } from '../../contracts/risks.js';

/**
 * The level of a score (1-25): 20 and 25 重大 (red), 12-16 较大 (orange), 6-10 一般 (yellow), 1-5 低 (blue). The
 * products a 5 × 5 matrix gives are 1-6, 8-10, 12, 15, 16, 20 and 25, so each level is a band of the matrix: a
 * point rated 5 on one axis is at least 一般 only when the other axis is at least 2.
 */
export function assessRisk(likelihood: number, severity: number): { score: number; level: RiskLevel } {
  const score = likelihood * severity;
  const level: RiskLevel = score >= 20 ? 'major' : score >= 12 ? 'significant' : score >= 6 ? 'general' : 'low';
  return { score, level };
}
