// The figures the overview and the monthly report derive from counts. Pure.
import { riskLevels, type RiskLevel } from '../../contracts/risks.js';
import type { HazardCounts } from '../../contracts/reports.js';

export type { HazardCounts };

export const noHazards = (): HazardCounts => ({ major: 0, significant: 0, general: 0, low: 0 });

/** A region's colour: the worst risk among its open hazards (riskLevels run from worst to least), null when none is open. */
export function worstRisk(open: HazardCounts): RiskLevel | null {
  return riskLevels.find((level) => open[level] > 0) ?? null;
}

/** The worst of several levels (a region's worst registered risk from its children's), null when there is none. */
export function worstOf(levels: Iterable<RiskLevel>): RiskLevel | null {
  const present = new Set(levels);
  return riskLevels.find((level) => present.has(level)) ?? null;
}

/** n / of; null when there is nothing to divide by (no devices, no confirmed alarm): shown as "—", never as 0%. */
export function rate(n: number, of: number): number | null {
  return of > 0 ? n / of : null;
}

/** Closed in the month over closed in it plus still open at its end: never over 100 %, null with nothing on the books. */
export function rectificationRate(f: { hazardsRectified: number; openWithPlans: number; openWithoutPlans: number }): number | null {
  return rate(f.hazardsRectified, f.hazardsRectified + f.openWithPlans + f.openWithoutPlans);
}

/** Adds counts field by field (a region's total from its children). */
export function sumCounts<T extends { [K in keyof T]: number }>(items: Iterable<T>, zero: T): T {
  const total = { ...zero };
  for (const item of items) for (const key of Object.keys(total) as (keyof T)[]) total[key] = (total[key] + item[key]) as T[keyof T];
  return total;
}
