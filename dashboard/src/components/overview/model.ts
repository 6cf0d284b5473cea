// The shapes of GET /api/overview (with the risk figures) and GET /api/sites, as the overview relies on them.
export type RegionLevel = 'country' | 'province' | 'city' | 'county';

export interface RegionRef {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

// The figures are typed by the server's own zod schemas (type-only: erased from the bundle).
export type { MajorHazard, OverviewChild, OverviewSummary, TrendDay } from '../../../../contracts/reports';
export type { HazardCounts } from '../../../../contracts/reports';
import type { OverviewChild, OverviewSummary } from '../../../../contracts/reports';
import type { HazardCounts } from '../../../../contracts/reports';

export interface OverviewData {
  region: RegionRef;
  children: OverviewChild[];
  /** Absent from a platform without the risk figures: panels then show what the children give. */
  summary?: OverviewSummary;
}

export interface Site {
  id: string;
  name: string;
  kind: string;
  regionCode: string;
  lat: number | null;
  lng: number | null;
}

/** A feature of the map filled with a colour: a child region, or a region below one (a 直辖市's districts). */
export interface MapArea {
  code: string;
  name: string;
  color: string;
  /** Tooltip lines, plain text. */
  lines: string[];
}

/** An institution on the map. */
export interface MapMarker {
  id: string;
  name: string;
  lat: number;
  lng: number;
  color: string;
  lines: string[];
}

export function totalHazards(counts: HazardCounts | undefined): number {
  return counts ? counts.major + counts.significant + counts.general + counts.low : 0;
}

/** The regions above `code` by GB/T 2260's prefix rule: province xx0000, city xxxx00 (省直辖县级 xx90xx -> xx9000). */
export function ancestorCodes(code: string): string[] {
  if (code === '000000') return [];
  const province = `${code.slice(0, 2)}0000`;
  const city = `${code.slice(0, 4)}00`;
  const out = ['000000'];
  if (code !== province) out.push(province);
  if (code !== city && city !== province) out.push(city);
  return out;
}
