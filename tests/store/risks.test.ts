// The risk register's table on PGlite and PostgreSQL (platform/store/risks.ts): add, reassess, retire, the order of
// the list, the overdue filter, the per-institution summary and the worst level per region.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Site } from '../../contracts/records.js';
import type { SqlExecutor } from '../../platform/store/executor.js';
import { Store } from '../../platform/store/store.js';
import { bothAdapters } from '../helpers/adapters.js';

const adapters = bothAdapters('risks');
const TODAY = '2026-06-15';
const AT = Date.parse('2026-06-15T02:00:00Z');
const base = { place: '配电室', hazardSource: '线路老化', category: 'electrical' as const, controls: '定期测温', responsible: { name: '王强', post: null, phone: null } };

describe.each(adapters)('risk store on %s', (_kind, open) => {
  let db: SqlExecutor;
  let store: Store;

  beforeAll(async () => {
    db = await open();
    store = new Store(db);
    await store.migrate();
    for (const [id, regionCode, cityCode] of [['jh', '220281', '220200'], ['hd', '220282', '220200'], ['empty', '220281', '220200']]) {
      await store.upsertSite(Site.parse({ id, name: id, kind: 'hospital', regionCode, lat: 43, lng: 127 }), { regionCode: regionCode!, cityCode: cityCode!, provinceCode: '220000' });
    }
  });
  afterAll(async () => { await db?.close(); });

  it('keeps points, reassesses and retires them, lists worst first and sums them per institution and region', async () => {
    const low = await store.risks.add({ ...base, siteId: 'jh', regionCode: '220281', likelihood: 1, severity: 2, level: 'low', reviewBy: '2026-06-14' }, 'safety', AT, TODAY);
    const major = await store.risks.add({ ...base, siteId: 'jh', regionCode: '220281', likelihood: 5, severity: 5, level: 'major', reviewBy: '2026-12-31' }, 'safety', AT, TODAY);
    const other = await store.risks.add({ ...base, siteId: 'hd', regionCode: '220282', likelihood: 3, severity: 4, level: 'significant', reviewBy: '2026-06-15' }, 'admin', AT, TODAY);
    expect(low).toMatchObject({ siteName: 'jh', reviewBy: '2026-06-14', reviewOverdue: true, score: 2, createdAt: new Date(AT).toISOString() });
    expect(other.reviewOverdue).toBe(false); // due today is not overdue yet

    expect((await store.risks.list([], { limit: 10 }, TODAY)).map((p) => p.id)).toEqual([major.id, other.id, low.id]);
    expect((await store.risks.list([{ region: '220281' }], { limit: 10, reviewOverdue: true }, TODAY)).map((p) => p.id)).toEqual([low.id]);
    expect(await store.risks.count([{ siteIds: ['hd'] }], {}, TODAY)).toBe(1);

    const changed = await store.risks.change(major.id, { severity: 2, level: 'general', responsible: { name: '李华', post: '科长', phone: null } }, 'safety', AT + 1000, TODAY);
    expect(changed).toMatchObject({ likelihood: 5, severity: 2, level: 'general', responsible: { name: '李华', post: '科长', phone: null }, updatedBy: 'safety' });
    const retired = await store.risks.retire(other.id, '已拆除', 'admin', AT + 2000, TODAY);
    expect(retired).toMatchObject({ retiredBy: 'admin', retiredNote: '已拆除' });
    expect(await store.risks.retire(other.id, '再次', 'admin', AT + 3000, TODAY)).toBeNull();
    expect(await store.risks.change(other.id, { severity: 1 }, 'admin', AT + 3000, TODAY)).toBeNull();
    expect((await store.risks.list([], { limit: 10, retired: true }, TODAY))).toHaveLength(3);

    expect(await store.risks.summary([{ region: '220281' }], TODAY)).toEqual([
      { siteId: 'empty', siteName: 'empty', regionCode: '220281', worst: null, counts: { major: 0, significant: 0, general: 0, low: 0 }, reviewOverdue: 0 },
      { siteId: 'jh', siteName: 'jh', regionCode: '220281', worst: 'general', counts: { major: 0, significant: 0, general: 1, low: 1 }, reviewOverdue: 1 },
    ]);
    expect(await store.risks.worstBy([], 'region_code')).toEqual(new Map([['220281', 'general']]));
    expect(await store.risks.worstBy([], 'city_code')).toEqual(new Map([['220200', 'general']]));
  });
});
