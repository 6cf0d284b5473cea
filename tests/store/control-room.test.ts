// The control room's tables on PGlite and PostgreSQL (platform/store/control-room.ts): certificates seen through
// their holders' institutions, shifts overlapping a window, one open duty session per operator and room, and 查岗
// answered once, missed past its time, answered by the device.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Site } from '../../contracts/records.js';
import type { SqlExecutor } from '../../platform/store/executor.js';
import { Store } from '../../platform/store/store.js';
import { bothAdapters } from '../helpers/adapters.js';

const adapters = bothAdapters('control');
const T = Date.parse('2026-06-15T02:00:00Z');
const H = 3600_000;

describe.each(adapters)('control room store on %s', (_kind, open) => {
  let db: SqlExecutor;
  let store: Store;

  beforeAll(async () => {
    db = await open();
    store = new Store(db);
    await store.migrate();
    for (const [id, regionCode] of [['jh', '220281'], ['hd', '220282']] as const) {
      await store.upsertSite(Site.parse({ id, name: id, kind: 'hospital', regionCode, lat: 43, lng: 127 }), { regionCode, cityCode: '220200', provinceCode: '220000' });
    }
    for (const [username, siteIds, role] of [['a1', ['jh'], 'operator'], ['a2', ['jh'], 'operator'], ['b1', ['hd'], 'operator'], ['m', ['jh'], 'safety_manager']] as const) {
      await store.createUser({ username, passwordHash: 'x', role, regionCode: null, siteIds: [...siteIds] });
    }
  });
  afterAll(async () => { await db?.close(); });

  it('keeps certificates and shows them through their holders\' institutions', async () => {
    await store.controlRoom.putCertificate('a1', { number: 'N1', level: 'junior', expiresOn: '2027-01-01' }, 'm', T);
    const updated = await store.controlRoom.putCertificate('a1', { number: 'N1b', level: 'senior', expiresOn: '2028-01-01' }, 'm', T + 1);
    expect(updated).toMatchObject({ username: 'a1', number: 'N1b', level: 'senior', expiresOn: '2028-01-01', siteIds: ['jh'] });
    await store.controlRoom.putCertificate('b1', { number: 'N2', level: 'junior', expiresOn: '2026-07-01' }, 'admin', T);
    expect((await store.controlRoom.certificates([])).map((c) => c.username)).toEqual(['b1', 'a1']);
    expect((await store.controlRoom.certificates([{ region: '220281' }])).map((c) => c.username)).toEqual(['a1']);
    expect((await store.controlRoom.certificates([{ siteIds: ['hd'] }], ['a1', 'b1'])).map((c) => c.username)).toEqual(['b1']);
    expect(await store.controlRoom.operatorsOf('jh')).toEqual(['a1', 'a2']);
  });

  it('lists shifts overlapping a window and one open session per operator and room', async () => {
    const shift = await store.controlRoom.addShift({ siteId: 'jh', regionCode: '220281', startsAt: T, endsAt: T + 12 * H, operators: ['a1', 'a2'], leader: { name: '张', post: null } }, 'm', T);
    expect(shift).toMatchObject({ siteName: 'jh', operators: ['a1', 'a2'], leader: { name: '张', post: null } });
    expect((await store.controlRoom.shifts([], { from: T + 11 * H, to: T + 13 * H })).map((s) => s.id)).toEqual([shift.id]);
    expect(await store.controlRoom.shifts([], { from: T + 12 * H, to: T + 13 * H })).toEqual([]);
    expect(await store.controlRoom.shifts([{ region: '220282' }], { from: T, to: T + H })).toEqual([]);

    expect(await store.controlRoom.signOn('jh', '220281', 'a1', T)).toMatchObject({ username: 'a1', signedOffAt: null });
    expect(await store.controlRoom.signOn('jh', '220281', 'a1', T + 1)).toBeNull();
    const off = await store.controlRoom.signOff('jh', 'a1', { open: 'o', happened: 'h' }, T + H);
    expect(off).toMatchObject({ signedOffAt: new Date(T + H).toISOString(), handover: { open: 'o', happened: 'h' } });
    expect(await store.controlRoom.signOff('jh', 'a1', { open: '', happened: '' }, T + H)).toBeNull();
    expect(await store.controlRoom.signOn('jh', '220281', 'a1', T + 2 * H)).not.toBeNull(); // a new session after signing off
    expect(await store.controlRoom.countSessions([], { open: false })).toBe(1);
    expect((await store.controlRoom.sessions([{ region: '220281' }], { open: true, limit: 10 })).map((s) => s.username)).toEqual(['a1']);
  });

  it('answers a 查岗 once and in time, misses it after, and records the device\'s answer', async () => {
    const check = await store.controlRoom.addCheck({ siteId: 'jh', regionCode: '220281', askedBy: 'county', askedAt: T, answerBy: T + 10 * 60_000, deviceId: 'td' });
    expect(check).toMatchObject({ state: 'waiting', siteName: 'jh', deviceId: 'td', commandId: null });
    expect(await store.controlRoom.linkCommand(check.id, 'cmd-1')).toMatchObject({ commandId: 'cmd-1' });
    expect(await store.controlRoom.answer(check.id, 'a1', T + 11 * 60_000)).toBeNull(); // too late
    expect(await store.controlRoom.answer(check.id, 'a1', T + 60_000)).toMatchObject({ state: 'answered', answeredBy: 'a1' });
    expect(await store.controlRoom.answer(check.id, 'a2', T + 2 * 60_000)).toBeNull();
    expect(await store.controlRoom.deviceAnswered('cmd-1', T + 30_000)).toMatchObject({ deviceAnsweredAt: new Date(T + 30_000).toISOString() });
    expect(await store.controlRoom.deviceAnswered('cmd-1', T + 40_000)).toBeNull();

    const unanswered = await store.controlRoom.addCheck({ siteId: 'hd', regionCode: '220282', askedBy: 'x', askedAt: T, answerBy: T + 60_000, deviceId: null });
    expect(await store.controlRoom.missOverdue(T + 60_000)).toEqual([]);
    expect((await store.controlRoom.missOverdue(T + 60_001)).map((c) => [c.id, c.state])).toEqual([[unanswered.id, 'missed']]);
    expect(await store.controlRoom.answer(unanswered.id, 'b1', T + 30_000)).toBeNull();
    expect(await store.controlRoom.countChecks([{ region: '220281' }], { state: 'answered' })).toBe(1);
    expect((await store.controlRoom.checks([], { state: 'missed', limit: 10 })).map((c) => c.id)).toEqual([unanswered.id]);
  });
});
