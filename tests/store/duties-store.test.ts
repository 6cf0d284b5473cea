// The institution's duties in the store (issue 15), on PGlite and on PostgreSQL: the institution record's new part and
// its filters, the public page's token, the kinds stored before mapped by the migration, versioned checklists, checks
// with their counts, rhythms, and missed periods flagged once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRhythms, institutionKinds, type CheckTemplate } from '../../contracts/duties.js';
import { Site } from '../../contracts/records.js';
import type { SqlExecutor } from '../../platform/store/executor.js';
import { migrate } from '../../platform/store/migrations.js';
import { Store } from '../../platform/store/store.js';
import { bothAdapters } from '../helpers/adapters.js';

const adapters = bothAdapters('duties');

const JILIN = { cityCode: '220200', provinceCode: '220000' };
const jiaohe = Site.parse({
  id: 'jh-rmyy', name: '蛟河市人民医院', kind: 'general_hospital', regionCode: '220281', grade: 'grade2', keyUnit: true, highRisk: false, beds: 450,
  fireSafetyResponsible: { name: '王建国', post: '院长', phone: '0432-62345678' }, fireSafetyManager: { name: '李明', post: '保卫科科长', phone: '13904321234' },
});
const jiaoheClinic = Site.parse({ id: 'jh-tg', name: '蛟河市天岗镇卫生院', kind: 'township_health_center', regionCode: '220281', grade: 'grade1' });
const huadian = Site.parse({ id: 'hd-ylzx', name: '桦甸市养老服务中心', kind: 'elderly_care', regionCode: '220282', ownership: 'private', highRisk: true });
const DAY = 86_400_000;

describe.each(adapters)('the institution\'s duties in the store on %s', (_kind, open) => {
  let db: SqlExecutor;
  let store: Store;

  beforeAll(async () => {
    db = await open();
    // kinds as stored before issue 15, mapped by migration 11
    await migrate(db, 10);
    const old = (id: string, kind: string) => db.query(
      `insert into sites (id, name, kind, region_code, city_code, province_code) values ($1, $1, $2, '220281', '220200', '220000')`, [id, kind]);
    await old('old-hospital', 'hospital');
    await old('old-township', 'township_health_center');
    await old('old-community', 'community_health_center');
    await old('old-odd', 'veterinary');
    await old('old-elderly', 'elderly_care');
    store = new Store(db);
    await store.migrate();
    for (const s of [jiaohe, jiaoheClinic, huadian]) await store.upsertSite(s, { regionCode: s.regionCode, ...JILIN });
  });

  afterAll(async () => {
    await db?.close();
  });

  it('maps the kinds stored before to today\'s codes, and gives every institution its own public token', async () => {
    const kinds = Object.fromEntries((await store.listSites([{ siteIds: ['old-hospital', 'old-township', 'old-community', 'old-odd', 'old-elderly'] }])).map((s) => [s.id, s.kind]));
    expect(kinds).toEqual({ 'old-hospital': 'general_hospital', 'old-township': 'primary_care', 'old-community': 'primary_care', 'old-odd': 'other', 'old-elderly': 'elderly_care' });
    expect(await store.getSite('old-hospital')).toMatchObject({ grade: 'ungraded', ownership: 'public', keyUnit: false, highRisk: false, beds: null, fireSafetyResponsible: null });
    const tokens = await Promise.all(['old-hospital', 'old-township', jiaohe.id].map((id) => store.institutions.publicToken(id)));
    expect(new Set(tokens).size).toBe(3);
    for (const t of tokens) expect(t).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the institution record as given, a legacy kind mapped', async () => {
    expect(await store.getSite(jiaohe.id)).toEqual(jiaohe);
    expect((await store.getSite(jiaoheClinic.id))?.kind).toBe('primary_care');
    const changed = { ...huadian, beds: 120, fireSafetyManager: { name: '赵红', post: '副主任', phone: '' } };
    await store.upsertSite(changed, { regionCode: huadian.regionCode, ...JILIN });
    expect(await store.getSite(huadian.id)).toEqual(changed);
  });

  it('filters institutions by kind, grade, ownership and the two flags, within the scope', async () => {
    const ids = async (institution: object, region = '220200') => (await store.listSites([{ region }, { institution }])).map((s) => s.id).sort();
    expect(await ids({ kind: 'general_hospital' })).toEqual(['jh-rmyy', 'old-hospital']);
    expect(await ids({ kind: 'general_hospital' }, '220282')).toEqual([]);
    expect(await ids({ grade: 'grade1' })).toEqual(['jh-tg']);
    expect(await ids({ ownership: 'private' })).toEqual(['hd-ylzx']);
    expect(await ids({ keyUnit: true })).toEqual(['jh-rmyy']);
    expect(await ids({ highRisk: true, kind: 'elderly_care' })).toEqual(['hd-ylzx']);
    expect(await store.countSites([{ institution: { keyUnit: false } }, { region: '220281' }])).toBe(6);
  });

  it('opens the public page by its token only, and a rotated token replaces the old one', async () => {
    const token = (await store.institutions.publicToken(jiaohe.id))!;
    expect(await store.institutions.byPublicToken(token)).toEqual({ id: jiaohe.id });
    expect(await store.institutions.byPublicToken(token.slice(0, -1))).toBeNull();
    const rotated = (await store.institutions.rotatePublicToken(jiaohe.id))!;
    expect(rotated).not.toBe(token);
    expect(await store.institutions.byPublicToken(token)).toBeNull();
    expect(await store.institutions.byPublicToken(rotated)).toEqual({ id: jiaohe.id });
    expect(await store.institutions.rotatePublicToken('no-such-site')).toBeNull();
  });

  it('seeds a checklist per institution kind and rhythm, and an edit makes a new version beside the old', async () => {
    const current = await store.checks.currentTemplates();
    expect(current).toHaveLength(institutionKinds.length * checkRhythms.length);
    const daily = (await store.checks.currentTemplates({ institutionKind: 'general_hospital', rhythm: 'daily' }))[0]!;
    expect(daily).toMatchObject({ id: 'general_hospital.daily', version: 1, createdBy: 'system' });
    expect(daily.items.map((i) => i.code)).toEqual(expect.arrayContaining(['exits_evacuation_routes', 'fire_doors', 'extinguishers_hydrants', 'electrics', 'ebike_charging', 'smoking']));
    const items = [...daily.items, { code: 'oxygen_store', label: '氧气库房' }];
    const v2 = (await store.checks.addTemplateVersion(daily, items, 'admin', Date.now()))!;
    expect(v2).toMatchObject({ version: 2, createdBy: 'admin', items });
    // edited from version 1 again: refused, version 2 stands
    expect(await store.checks.addTemplateVersion(daily, [], 'admin', Date.now())).toBeNull();
    expect((await store.checks.template('general_hospital.daily'))?.version).toBe(2);
    expect((await store.checks.template('general_hospital.daily', 1))?.items).toEqual(daily.items);
    expect((await store.checks.templateVersions('general_hospital.daily')).map((t) => t.version)).toEqual([2, 1]);
  });

  const record = async (siteId: string, regionCode: string, template: CheckTemplate, period: string, performedAt: number, fails: { fixed?: boolean; ticketId?: string }[] = []) => {
    const id = randomUUID();
    const items = template.items.map((i, n) => {
      const f = fails[n];
      return { code: i.code, label: i.label, result: f ? 'fail' as const : 'pass' as const, note: f ? '灭火器压力不足' : '',
        fixedOnSpotBy: f?.fixed ? '李明' : null, ticketId: f?.ticketId ?? null };
    });
    await store.transaction((tx) => store.checks.record(tx, { id, siteId, regionCode, template, period, performedAt, performedBy: 'li.ming', items, at: performedAt }));
    return id;
  };

  it('records a check with its counts, and reads it only within the scope', async () => {
    const template = (await store.checks.template('general_hospital.daily', 1))!;
    const at = Date.parse('2026-11-02T01:00:00Z');
    const id = await record(jiaohe.id, '220281', template, '2026-11-02', at, [{ fixed: true }, { ticketId: 't-1' }]);
    const check = await store.checks.get(id, [{ region: '220281' }]);
    expect(check).toMatchObject({
      siteId: jiaohe.id, siteName: jiaohe.name, templateId: 'general_hospital.daily', templateVersion: 1, rhythm: 'daily', period: '2026-11-02',
      passed: template.items.length - 2, failed: 2, fixedOnSpot: 1, hazardsOpened: 1, performedBy: 'li.ming',
    });
    expect(check?.items[0]).toMatchObject({ result: 'fail', fixedOnSpotBy: '李明', ticketId: null, photos: [] });
    expect(check?.items[1]).toMatchObject({ result: 'fail', fixedOnSpotBy: null, ticketId: 't-1' });
    expect(await store.checks.get(id, [{ region: '220282' }])).toBeNull();
    expect(await store.checks.list([{ region: '220282' }], { limit: 10 })).toEqual([]);
    expect((await store.checks.list([{ region: '220281' }], { limit: 10, rhythm: 'daily' })).map((c) => c.id)).toEqual([id]);
    expect(await store.checks.count([{ region: '220200' }, { institution: { kind: 'general_hospital' } }], {})).toBe(1);

    const photo = await store.checks.addPhoto(id, template.items[0]!.code, 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'li.ming', at);
    expect((await store.checks.get(id, []))?.items[0]?.photos).toEqual([{ id: photo, contentType: 'image/png', url: `/api/checks/${id}/photos/${photo}` }]);
    expect((await store.checks.photo(id, photo))?.bytes).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(await store.checks.photo(randomUUID(), photo)).toBeNull();

    const done = await store.checks.doneByPeriod([{ region: '220281' }], ['2026-11-02', '2026-11-03']);
    expect(done).toEqual([{ siteId: jiaohe.id, rhythm: 'daily', period: '2026-11-02', checks: 1, fixedOnSpot: 1, hazardsOpened: 1 }]);
  });

  it('keeps each institution\'s rhythm, one of each unless set', async () => {
    expect(await store.checks.rhythm(huadian.id)).toEqual({ daily: 1, weekly: 1, monthly: 1 });
    await store.checks.setRhythm(huadian.id, { daily: 2, weekly: 1, monthly: 0 });
    expect(await store.checks.rhythm(huadian.id)).toEqual({ daily: 2, weekly: 1, monthly: 0 });
    const planned = await store.checks.planned([{ region: '220282' }]);
    expect(planned.map((p) => [p.siteId, p.plan])).toEqual([[huadian.id, { daily: 2, weekly: 1, monthly: 0 }]]);
  });

  it('flags the institutions that did fewer checks than owed, once, and none registered after the period', async () => {
    const now = Date.now();
    // a period that ended before any of these institutions was registered: nothing owed
    expect(await store.checks.flagMissed('daily', '2020-01-01', Date.parse('2019-12-31T16:00:00Z'), Date.parse('2020-01-01T16:00:00Z'), now)).toEqual([]);
    // a day still to come ends after all were registered: all of them that did none are flagged
    const from = now + DAY;
    const flagged = await store.checks.flagMissed('daily', 'future-day', from, from + DAY, now);
    expect(flagged.map((f) => f.siteId).sort()).toEqual(['hd-ylzx', 'jh-rmyy', 'jh-tg', 'old-community', 'old-elderly', 'old-hospital', 'old-odd', 'old-township']);
    expect(await store.checks.flagMissed('daily', 'future-day', from, from + DAY, now + 1000)).toEqual([]);
    // owes none monthly: never flagged for a month
    expect((await store.checks.flagMissed('monthly', 'future-month', from, from + DAY, now)).map((f) => f.siteId)).not.toContain(huadian.id);
    // two owed, one done: flagged with what was done
    const template = (await store.checks.template('elderly_care.daily'))!;
    await record(huadian.id, '220282', template, 'future-day-2', now);
    expect((await store.checks.flagMissed('daily', 'future-day-2', from, from + DAY, now)).map((f) => f.siteId)).toContain(huadian.id);
    const missed = await store.checks.listMissed([{ region: '220282' }], { limit: 10 });
    expect(missed.map((m) => [m.siteId, m.period, m.expected, m.done])).toEqual(expect.arrayContaining([
      [huadian.id, 'future-day', 2, 0], [huadian.id, 'future-day-2', 2, 1],
    ]));
    expect(missed.every((m) => m.regionCode === '220282')).toBe(true);
    expect(await store.checks.countMissed([{ region: '220282' }], { rhythm: 'daily' })).toBe(2);
    // future-day, future-month and future-day-2 (owed one, did none)
    expect(await store.checks.countMissed([{ siteIds: [jiaohe.id] }], {})).toBe(3);
  });
});
