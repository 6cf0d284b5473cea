// Notices and interviews on PGlite and PostgreSQL (platform/store/supervision.ts): targets seen through the scope,
// acknowledged once, the acknowledged filter over the targets a reader sees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Site } from '../../contracts/records.js';
import type { SqlExecutor } from '../../platform/store/executor.js';
import { Store } from '../../platform/store/store.js';
import { bothAdapters } from '../helpers/adapters.js';

const adapters = bothAdapters('sup');
const T = Date.parse('2026-06-15T02:00:00Z');

describe.each(adapters)('supervision store on %s', (_kind, open) => {
  let db: SqlExecutor;
  let store: Store;

  beforeAll(async () => {
    db = await open();
    store = new Store(db);
    await store.migrate();
    for (const [id, regionCode] of [['a1', '220281'], ['a2', '220281'], ['b', '220282']] as const) {
      await store.upsertSite(Site.parse({ id, name: id, regionCode, lat: 43, lng: 127 }), { regionCode, cityCode: '220200', provinceCode: '220000' });
    }
  });
  afterAll(async () => { await db?.close(); });

  it('lists records through their targets and takes one acknowledgement per institution', async () => {
    const notice = await store.supervision.add({ kind: 'notice', regionCode: '220200', issuedBy: 'city', at: T, title: 't', findings: 'f', interview: null, siteIds: ['a1', 'a2', 'b'] });
    const interview = await store.supervision.add({ kind: 'interview', regionCode: '220281', issuedBy: 'county', at: T + 1000, title: 'i', findings: 'x', interview: { on: '2026-06-14', attendees: 'a', commitments: 'c', followUpOn: '2026-07-01' }, siteIds: ['a1'] });
    expect((await store.supervision.list([], { limit: 10 })).map((r) => [r.id, r.targets.length])).toEqual([[interview, 1], [notice, 3]]);
    const [own] = await store.supervision.list([{ siteIds: ['b'] }], { limit: 10 });
    expect(own).toMatchObject({ id: notice, issuedAt: new Date(T).toISOString(), targets: [{ siteId: 'b', siteName: 'b', regionCode: '220282', acknowledgedAt: null, acknowledgedBy: null }] });

    expect(await store.supervision.acknowledge(notice, 'a1', 's1', T + 5000)).toBe(true);
    expect(await store.supervision.acknowledge(notice, 'a1', 's1', T + 6000)).toBe(false);
    expect(await store.supervision.acknowledge(interview, 'b', 's', T)).toBe(false); // not concerned
    expect((await store.supervision.list([{ siteIds: ['a1'] }], { limit: 10, acknowledged: false })).map((r) => r.id)).toEqual([interview]);
    expect((await store.supervision.list([{ siteIds: ['a1'] }], { limit: 10, acknowledged: true })).map((r) => r.id)).toEqual([notice]);
    expect(await store.supervision.count([{ region: '220281' }], { acknowledged: false })).toBe(2);
    expect(await store.supervision.count([], { kind: 'interview' })).toBe(1);
    const [seen] = await store.supervision.list([{ region: '220281' }], { limit: 1, kind: 'notice' });
    expect(seen!.targets.map((t) => [t.siteId, t.acknowledgedBy, t.acknowledgedAt])).toEqual([['a1', 's1', new Date(T + 5000).toISOString()], ['a2', null, null]]);
  });
});
