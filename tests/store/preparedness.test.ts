// Training, plans and drills and the fire teams on PGlite and PostgreSQL (platform/store/preparedness.ts): newest
// first with their attachments, the latest day per kind and topic, attachment bytes kept exactly, a fire team with
// its latest check (an institution without a team listed empty).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Site } from '../../contracts/records.js';
import type { SqlExecutor } from '../../platform/store/executor.js';
import { Store } from '../../platform/store/store.js';
import { bothAdapters } from '../helpers/adapters.js';

const adapters = bothAdapters('prep');
const T = Date.parse('2026-06-15T02:00:00Z');
const base = { title: 't', participants: 3, participantNames: '', evaluation: '' };

describe.each(adapters)('preparedness store on %s', (_kind, open) => {
  let db: SqlExecutor;
  let store: Store;

  beforeAll(async () => {
    db = await open();
    store = new Store(db);
    await store.migrate();
    for (const [id, regionCode] of [['jh', '220281'], ['hd', '220282']] as const) {
      await store.upsertSite(Site.parse({ id, name: id, kind: 'hospital', regionCode, lat: 43, lng: 127 }), { regionCode, cityCode: '220200', provinceCode: '220000' });
    }
  });
  afterAll(async () => { await db?.close(); });

  it('keeps records with their attachments, newest first, and the latest day of each kind and topic', async () => {
    const old = await store.preparedness.add({ ...base, siteId: 'jh', regionCode: '220281', kind: 'drill', topic: 'evacuation', on: '2026-01-10' }, 'm', T);
    const recent = await store.preparedness.add({ ...base, siteId: 'jh', regionCode: '220281', kind: 'drill', topic: 'evacuation', on: '2026-05-20' }, 'm', T);
    await store.preparedness.add({ ...base, siteId: 'hd', regionCode: '220282', kind: 'training', topic: 'periodic', on: '2026-03-01' }, 'a', T);
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0x10]);
    const attachment = await store.preparedness.addAttachment(old.id, '预案.pdf', 'application/pdf', bytes, 'm', T);
    expect(await store.preparedness.attachment(old.id, attachment)).toEqual({ name: '预案.pdf', contentType: 'application/pdf', bytes });
    expect(await store.preparedness.attachment(recent.id, attachment)).toBeNull();

    const listed = await store.preparedness.list([{ region: '220281' }], { limit: 10 });
    expect(listed.map((r) => r.id)).toEqual([recent.id, old.id]);
    expect(listed[1]!.attachments).toEqual([{ id: attachment, name: '预案.pdf', contentType: 'application/pdf', url: `/api/preparedness/${old.id}/attachments/${attachment}` }]);
    expect(await store.preparedness.count([], { kind: 'drill', from: '2026-02-01' })).toBe(1);
    expect((await store.preparedness.latest([])).sort((a, b) => a.siteId.localeCompare(b.siteId))).toEqual([
      { siteId: 'hd', kind: 'training', topic: 'periodic', lastOn: '2026-03-01' },
      { siteId: 'jh', kind: 'drill', topic: 'evacuation', lastOn: '2026-05-20' },
    ]);
  });

  it('keeps a fire team and its latest equipment check', async () => {
    await store.preparedness.putFireTeam('jh', { members: [{ name: '李', post: '站长', phone: '' }], equipment: [{ name: '灭火器', count: 2 }] }, 'm', T);
    await store.preparedness.addCheck('jh', '2026-06-01', [{ name: '灭火器', ok: true, note: '' }], 'm', T);
    const latest = await store.preparedness.addCheck('jh', '2026-06-14', [{ name: '灭火器', ok: false, note: '压力不足' }], 'o', T + 1000);
    const teams = await store.preparedness.fireTeams([]);
    expect(teams.map((t) => [t.siteId, t.members.length, t.lastCheck?.id ?? null])).toEqual([['hd', 0, null], ['jh', 1, latest.id]]);
    expect(teams[1]!.lastCheck).toMatchObject({ on: '2026-06-14', failed: 1, checkedBy: 'o' });
  });
});
