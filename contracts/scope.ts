// Which sites a query may touch: the user's scope and the request's filters, as plain data.
import type { InstitutionFilter } from './duties.js';

export interface SiteScope {
  /** A region code at any level (000000 = the whole country); matches it and everything below it. */
  region?: string;
  /** Only these institutions. */
  siteIds?: readonly string[];
  /** Only institutions of this kind, grade, ownership, 重点单位 or 高危单位 flag (a bureau's list filters). */
  institution?: InstitutionFilter;
}

export type RegionColumn = 'province_code' | 'city_code' | 'region_code';

/** The sites column naming a child: city_code under a province, ..., id for institutions under a county. */
export type GroupColumn = RegionColumn | 'id';

/** GB/T 2260 codes tell their level: PP0000 province, PPCC00 city, anything else county. */
export function regionLevelOf(code: string): 'country' | 'province' | 'city' | 'county' {
  if (code === '000000') return 'country';
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

export function regionColumn(code: string): RegionColumn | null {
  switch (regionLevelOf(code)) {
    case 'country': return null;
    case 'province': return 'province_code';
    case 'city': return 'city_code';
    case 'county': return 'region_code';
  }
}
