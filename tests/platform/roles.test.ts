// Roles, table-driven: for each role what it can read (lists, counts, exports, telemetry, sockets) and change, and that
// the other county's items are 404 or absent. Real FireNet: real MQTT devices, real gateway, rules and store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { hashSecret } from '../../platform/auth/hash.js';
import { deviceTopic } from '../../contracts/topics.js';
import { eventPayload, eventually, nextEvent, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

/** Institution A in 蛟河市 220281, institution B in 桦甸市 220282 (both under 吉林市 220200, 吉林省 220000). */
const A = 'roles-jh';
const B = 'roles-hd';
const NAME = { [A]: '蛟河角色测试医院', [B]: '桦甸角色测试医院' } as const;
type Site = typeof A | typeof B;

type Role = 'admin' | 'province' | 'city' | 'county' | 'otherCounty' | 'safety' | 'operator' | 'logistics';
const USERS: Record<Exclude<Role, 'admin'>, { role: string; regionCode: string | null; siteIds: string[] }> = {
  province: { role: 'bureau', regionCode: '220000', siteIds: [] },
  city: { role: 'bureau', regionCode: '220200', siteIds: [] },
  county: { role: 'bureau', regionCode: '220281', siteIds: [] },
  otherCounty: { role: 'bureau', regionCode: '220282', siteIds: [] },
  safety: { role: 'safety_manager', regionCode: null, siteIds: [A] },
  operator: { role: 'operator', regionCode: null, siteIds: [A] },
  logistics: { role: 'logistics', regionCode: null, siteIds: [A] },
};
/** The institutions each role may see. */
const SEES: Record<Role, Site[]> = {
  admin: [A, B], province: [A, B], city: [A, B], county: [A], otherCounty: [B], safety: [A], operator: [A], logistics: [A],
};
const ROLES = Object.keys(SEES) as Role[];
/** The users whose role has the overview view (bureaus and admins, contracts/views.ts): only they get GET /api/overview. */
const HAS_OVERVIEW: Role[] = ROLES.filter((r) => r === 'admin' || USERS[r as Exclude<Role, 'admin'>].role === 'bureau');

let fn: TestFireNet;
const token = {} as Record<Role, string>;
let setupToken: string;
/** The items set up at each institution. */
const item = {} as Record<Site, { device: string; alarm: string; workorder: string; ticket: string }>;
let seq = 0;

async function device(site: Site, prefix = 'sd'): Promise<{ id: string; client: MqttClient }> {
  const id = `${prefix}-${site}-${++seq}`;
  const secret = await fn.provisionDevice({ id, family: 'smoke_detector', siteId: site, zone: '病房' });
  return { id, client: await fn.connectDevice(id, secret) };
}
const publish = (d: { id: string; client: MqttClient }, type: string, data: Record<string, unknown> = {}) =>
  d.client.publishAsync(deviceTopic(d.id, 'events'), eventPayload(`${d.id}-${++seq}`, type, data), { qos: 1 });

async function freshAlarm(site: Site): Promise<string> {
  const d = await device(site);
  await publish(d, 'smoke.alarm');
  return eventually(async () => (await fn.api<any[]>(`/api/alarms?deviceId=${d.id}`)).body[0]?.id as string | undefined, 5000, `alarm of ${d.id}`);
}
async function freshWorkOrder(site: Site): Promise<string> {
  const d = await device(site);
  await publish(d, 'fault', { code: 'E07' });
  return eventually(async () => (await fn.api<any[]>(`/api/workorders?deviceId=${d.id}`)).body.find((w) => w.category === 'fault')?.id as string | undefined, 5000, `work order of ${d.id}`);
}
async function freshTicket(site: Site): Promise<string> {
  const res = await fn.api<{ id: string }>('/api/tickets', { body: { siteId: site, title: '疏散通道堆放杂物', location: '一楼东侧', level: 'general' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const FIVE = { owner: '后勤保障科 王强', funds: '专项经费 2 万元', measures: '清理杂物，设置禁放标识', deadline: '2030-06-30T17:00:00+08:00', contingencyPlan: '整改期间专人值守' };
/** Ticket transitions in order, each with its body. */
const TICKET_STEPS = [
  { to: 'registered', ...FIVE },
  { to: 'rectifying' },
  { to: 'pending_verification', note: '已清理完毕' },
  { to: 'closed', note: '验收合格' },
] as const;

/**
 * A second admin moves a step as setup (not the admin under test: whoever fixed or rectified may not verify);
 * fails loudly when it does not go through.
 */
async function adminDoes(path: string, body: unknown): Promise<void> {
  const res = await fn.api(path, { body, token: setupToken });
  expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
}

/** What a role tries, on a fresh item at `site` brought to the state just before the step; returns the status. */
const ACTIONS = {
  'alarm ack': async (site: Site, t: string) => (await fn.api(`/api/alarms/${await freshAlarm(site)}/ack`, { body: {}, token: t })).status,
  'alarm confirm': async (site: Site, t: string) => {
    const id = await freshAlarm(site);
    await adminDoes(`/api/alarms/${id}/ack`, {});
    return (await fn.api(`/api/alarms/${id}/confirm`, { body: { outcome: 'test', note: '测试' }, token: t })).status;
  },
  'alarm close': async (site: Site, t: string) => {
    const id = await freshAlarm(site);
    await adminDoes(`/api/alarms/${id}/confirm`, { outcome: 'false_alarm' });
    return (await fn.api(`/api/alarms/${id}/close`, { body: {}, token: t })).status;
  },
  'work order assign': async (site: Site, t: string) =>
    (await fn.api(`/api/workorders/${await freshWorkOrder(site)}/transition`, { body: { action: 'assign', assignee: 'fixer' }, token: t })).status,
  'work order fix': async (site: Site, t: string) =>
    (await fn.api(`/api/workorders/${await freshWorkOrder(site)}/transition`, { body: { action: 'fix', note: '更换探测器' }, token: t })).status,
  'work order verify': async (site: Site, t: string) => {
    const id = await freshWorkOrder(site);
    await adminDoes(`/api/workorders/${id}/transition`, { action: 'fix' });
    return (await fn.api(`/api/workorders/${id}/transition`, { body: { action: 'verify' }, token: t })).status;
  },
  ...Object.fromEntries(TICKET_STEPS.map((step, i) => [`ticket ${step.to}`, async (site: Site, t: string) => {
    const id = await freshTicket(site);
    for (const before of TICKET_STEPS.slice(0, i)) await adminDoes(`/api/tickets/${id}/transition`, before);
    return (await fn.api(`/api/tickets/${id}/transition`, { body: step, token: t })).status;
  }])),
  // whoever fixed or rectified may not verify it, whatever the role
  'work order verify own fix': async (site: Site, t: string) => {
    const id = await freshWorkOrder(site);
    expect((await fn.api(`/api/workorders/${id}/transition`, { body: { action: 'fix' }, token: t })).status).toBe(200);
    return (await fn.api(`/api/workorders/${id}/transition`, { body: { action: 'verify' }, token: t })).status;
  },
  'ticket closed own rectification': async (site: Site, t: string) => {
    const id = await freshTicket(site);
    for (const before of TICKET_STEPS.slice(0, 2)) await adminDoes(`/api/tickets/${id}/transition`, before);
    expect((await fn.api(`/api/tickets/${id}/transition`, { body: TICKET_STEPS[2], token: t })).status).toBe(200);
    return (await fn.api(`/api/tickets/${id}/transition`, { body: TICKET_STEPS[3], token: t })).status;
  },
  'ticket comment': async (site: Site, t: string) =>
    (await fn.api(`/api/tickets/${await freshTicket(site)}/comments`, { body: { note: '请按期整改' }, token: t })).status,
  'ticket report': async (site: Site, t: string) =>
    (await fn.api('/api/tickets', { body: { siteId: site, title: '灭火器过期', level: 'general' }, token: t })).status,
  'inspection record': async (site: Site, t: string) =>
    (await fn.api('/api/inspections', { body: { siteId: site, kind: 'daily', findings: '正常' }, token: t })).status,
  'device provision': async (site: Site, t: string) =>
    (await fn.api('/api/devices', { body: { id: `new-${site}-${++seq}`, family: 'smoke_detector', siteId: site }, token: t })).status,
  'device disable': async (site: Site, t: string) =>
    (await fn.api(`/api/devices/${item[site].device}`, { method: 'PATCH', body: { disabled: false }, token: t })).status,
  'device rotate-secret': async (site: Site, t: string) => {
    const id = `rot-${site}-${++seq}`;
    await fn.provisionDevice({ id, family: 'smoke_detector', siteId: site });
    return (await fn.api(`/api/devices/${id}/rotate-secret`, { method: 'POST', token: t })).status;
  },
  'site register': async (site: Site, t: string) =>
    (await fn.api('/api/sites', { body: { id: `site-${++seq}`, name: '新建卫生院', regionCode: site === A ? '220281' : '220282' }, token: t })).status,
  'rule switch': async (_site: Site, t: string) =>
    (await fn.api('/api/rules/smoke.fault', { method: 'PATCH', body: { enabled: true }, token: t })).status,
  'period define': async (_site: Site, t: string) =>
    (await fn.api(`/api/periods/p-${++seq}`, { method: 'PUT', body: { from: '2001-01-01T00:00:00Z', to: '2001-01-02T00:00:00Z' }, token: t })).status,
  'user create': async (site: Site, t: string) =>
    (await fn.api('/api/users', { body: { username: `u-${++seq}`, password: 'long-enough-pw', role: 'operator', siteIds: [site] }, token: t })).status,
  'API token issue': async (site: Site, t: string) =>
    (await fn.api('/api/tokens', { body: { name: `integration ${++seq}`, role: 'operator', siteIds: [site] }, token: t })).status,
  'audit read': async (_site: Site, t: string) => (await fn.api('/api/audit', { token: t })).status,
  'ticket escalate': async (site: Site, t: string) =>
    (await fn.api(`/api/tickets/${await freshTicket(site)}/escalate`, { body: { note: '挂牌督办' }, token: t })).status,
} as Record<string, (site: Site, token: string) => Promise<number>>;

/** Admin-only changes: everyone else gets 403 (404 when the item is outside their scope). */
const ADMIN_ONLY = ['device provision', 'device disable', 'device rotate-secret', 'site register', 'rule switch', 'period define', 'user create', 'API token issue'];

beforeAll(async () => {
  fn = await startTestFireNet({ LOG_LEVEL: 'info' });
  await fn.provisionSite(A, '220281', NAME[A]);
  await fn.provisionSite(B, '220282', NAME[B]);
  for (const [username, u] of Object.entries(USERS)) {
    await fn.store.createUser({ username, passwordHash: await hashSecret(`${username}-pw`), role: u.role as never, regionCode: u.regionCode, siteIds: u.siteIds });
  }
  token.admin = fn.adminToken;
  await fn.store.createUser({ username: 'setup-admin', passwordHash: await hashSecret('setup-admin-pw'), role: 'admin', regionCode: null, siteIds: [] });
  setupToken = await fn.login('setup-admin', 'setup-admin-pw');
  for (const username of Object.keys(USERS) as Exclude<Role, 'admin'>[]) token[username] = await fn.login(username, `${username}-pw`);
  for (const site of [A, B] as const) {
    const d = await device(site, 'base');
    await d.client.publishAsync(deviceTopic(d.id, 'telemetry'), JSON.stringify({ ts: Date.now(), metrics: { battery_pct: 88 } }), { qos: 1 });
    await publish(d, 'smoke.alarm');
    const alarm = await eventually(async () => (await fn.api<any[]>(`/api/alarms?deviceId=${d.id}`)).body[0]?.id as string | undefined, 5000, 'alarm');
    await publish(d, 'fault', { code: 'E07' });
    const workorder = await eventually(async () => (await fn.api<any[]>(`/api/workorders?deviceId=${d.id}`)).body.find((w) => w.category === 'fault')?.id as string | undefined, 5000, 'work order');
    item[site] = { device: d.id, alarm, workorder, ticket: await freshTicket(site) };
  }
}, 60_000);
afterAll(() => fn?.stop());

const siteSet = (rows: { siteId?: string; id?: string }[], key: 'siteId' | 'id' = 'siteId') => [...new Set(rows.map((r) => r[key]))].sort();

describe.each(ROLES)('%s reads', (role) => {
  const seen = SEES[role];
  const hidden = ([A, B] as const).filter((s) => !seen.includes(s));

  it.each([
    ['/api/sites', 'id'],
    ['/api/devices', 'siteId'],
    ['/api/alarms', 'siteId'],
    ['/api/workorders', 'siteId'],
    ['/api/tickets', 'siteId'],
  ] as const)('GET %s lists exactly its institutions', async (path, key) => {
    const res = await fn.api<any[]>(path, { token: token[role] });
    expect(res.status).toBe(200);
    expect(siteSet(res.body, key)).toEqual([...seen].sort());
    const text = JSON.stringify(res.body);
    for (const s of hidden) { expect(text).not.toContain(s); expect(text).not.toContain(item[s].device); }
  });

  // a role has the overview view or not: one of the two tests below is written for it
  if (HAS_OVERVIEW.includes(role)) it('GET /api/overview counts only its institutions', async () => {
    const res = await fn.api<any>('/api/overview', { token: token[role] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.summary.institutions).toBe(seen.length);
    expect(res.body.summary.devices).toBe((await fn.api<any[]>('/api/devices', { token: token[role] })).body.length);
    const text = JSON.stringify(res.body);
    for (const s of hidden) { expect(text).not.toContain(s); expect(text).not.toContain(NAME[s]); }
  });

  if (!HAS_OVERVIEW.includes(role)) it('GET /api/overview is refused: the role has no overview view', async () => {
    for (const path of ['/api/overview', '/api/overview?region=220281', '/api/overview?region=000000']) {
      const res = await fn.api<any>(path, { token: token[role] });
      expect(res.status, path).toBe(403);
      expect(res.body.code).toBe('role.forbidden');
      expect(JSON.stringify(res.body)).not.toContain(NAME[A]);
    }
  });

  it('GET /api/reports/monthly and .csv count only its institutions', async () => {
    const res = await fn.api<any>('/api/reports/monthly', { token: token[role] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const devices = (await fn.api<any[]>('/api/devices', { token: token[role] })).body.length;
    expect(res.body.total.devices).toBe(devices);
    for (const s of hidden) { expect(JSON.stringify(res.body)).not.toContain(s); expect(JSON.stringify(res.body)).not.toContain(NAME[s]); }

    const csv = await fetch(`${fn.httpUrl}/api/reports/monthly.csv`, { headers: { authorization: `Bearer ${token[role]}` } });
    expect(csv.status).toBe(200);
    const text = await csv.text();
    for (const s of hidden) { expect(text).not.toContain(s); expect(text).not.toContain(NAME[s]); }
    // the total row (last) counts the caller's devices
    const total = text.trim().split(/\r?\n/).at(-1)!;
    expect(total.split(',')).toContain(String(devices));
  });

  it.each([A, B] as const)('GET by id of %s\'s device, alarm, work order, ticket and telemetry', async (site) => {
    const expected = seen.includes(site) ? 200 : 404;
    const { device: d, alarm, workorder, ticket } = item[site];
    const paths = [`/api/devices/${d}`, `/api/alarms/${alarm}`, `/api/workorders/${workorder}`, `/api/tickets/${ticket}`, `/api/devices/${d}/telemetry?metric=battery_pct`, `/api/devices/${d}/commands`];
    const got = await Promise.all(paths.map(async (p) => [p, (await fn.api(p, { token: token[role] })).status] as const));
    expect(got).toEqual(paths.map((p) => [p, expected]));
  });
});

describe('asking for the other county by ?region= does not widen the scope', () => {
  it.each([
    ['county', '/api/sites?region=220282'], ['county', '/api/devices?region=220282'], ['county', '/api/alarms?region=220282'],
    ['county', '/api/workorders?region=220282'], ['county', '/api/tickets?region=220282'],
    ['operator', '/api/sites?region=220282'], ['operator', '/api/devices?region=220282'], ['operator', '/api/alarms?region=220282'],
    ['logistics', '/api/workorders?region=220282'], ['safety', '/api/tickets?region=220282'],
    ['otherCounty', '/api/tickets?region=220281'], ['otherCounty', '/api/devices?region=220200'],
    // one institution asked for by its id: only within the scope
    ['operator', `/api/tickets?siteId=${B}`], ['county', `/api/tickets?siteId=${B}`], ['otherCounty', `/api/tickets?siteId=${A}`],
    ['operator', `/api/devices?siteId=${B}&order=attention`],
  ] as [Role, string][])('%s: GET %s is empty', async (role, path) => {
    const res = await fn.api<any[]>(path, { token: token[role] });
    expect(res.status).toBe(200);
    const sites = siteSet(res.body, path.startsWith('/api/sites') ? 'id' : 'siteId');
    // another county asked for: nothing; the city asked for: only the caller's own
    expect(sites).toEqual(path.endsWith('220200') ? SEES[role] : []);
  });

  it.each([
    ['county', '/api/overview?region=220282', 403], ['county', '/api/reports/monthly?region=220282', 403],
    ['county', '/api/overview?region=220200', 403], ['county', '/api/reports/monthly.csv?region=220282', 403],
    ['otherCounty', '/api/overview?region=220281', 403], ['city', '/api/overview?region=220000', 403],
  ] as [Role, string, number][])('%s: GET %s -> %i', async (role, path, expected) => {
    const res = await fetch(fn.httpUrl + path, { headers: { authorization: `Bearer ${token[role]}` } });
    expect(res.status).toBe(expected);
  });

  it.each(['operator', 'safety', 'logistics'] as const)('%s: the other county\'s report counts nothing (and its overview is refused)', async (role) => {
    expect((await fn.api<any>('/api/overview?region=220282', { token: token[role] })).status).toBe(403);
    const report = (await fn.api<any>('/api/reports/monthly?region=220282', { token: token[role] })).body;
    expect(report.rows).toEqual([]);
    expect(report.total.devices).toBe(0);
    expect(JSON.stringify(report)).not.toContain(NAME[B]);
  });
});

describe('socket.io: who hears of a fresh alarm', () => {
  it.each([
    ['admin', A, true], ['admin', B, true],
    ['province', B, true], ['city', B, true],
    ['county', A, true], ['county', B, false],
    ['otherCounty', A, false], ['otherCounty', B, true],
    ['operator', A, true], ['operator', B, false],
    ['safety', B, false], ['logistics', B, false],
  ] as [Role, Site, boolean][])('%s, an alarm at %s: heard %s', async (role, site, heard) => {
    const viewer = await fn.viewer(token[role]);
    // a viewer asking to join the other county's or institution's rooms gets nothing more
    const other = site === A ? { site: B, region: '220282' } : { site: A, region: '220281' };
    for (const event of ['join', 'subscribe']) for (const room of [`site:${other.site}`, `region:${other.region}`, `site:${site}`, 'all']) viewer.emit(event, room);
    // the admin's socket is the control: when it hears the alarm, the others would have too
    const control = await fn.viewer(fn.adminToken);
    const d = await device(site, 'live');
    const mine = nextEvent<{ deviceId: string }>(viewer, 'alarm', (a) => a.deviceId === d.id, 1500).then(() => true, () => false);
    const controlHeard = nextEvent<{ deviceId: string }>(control, 'alarm', (a) => a.deviceId === d.id, 3000);
    await publish(d, 'smoke.alarm');
    await controlHeard;
    expect(await mine).toBe(heard);
    viewer.disconnect();
    control.disconnect();
  });
});

describe('socket.io: who hears of a fresh hazard ticket', () => {
  it.each([
    ['admin', B, true], ['city', B, true], ['county', A, true], ['county', B, false], ['otherCounty', A, false],
    ['safety', A, true], ['safety', B, false], ['operator', B, false], ['logistics', B, false],
  ] as [Role, Site, boolean][])('%s, a ticket at %s: heard %s', async (role, site, heard) => {
    const viewer = await fn.viewer(token[role]);
    const control = await fn.viewer(fn.adminToken);
    const title = `通道堵塞 ${++seq}`;
    const mine = nextEvent<{ title: string }>(viewer, 'ticket', (t) => t.title === title, 1500).then(() => true, () => false);
    const controlHeard = nextEvent<{ title: string }>(control, 'ticket', (t) => t.title === title, 3000);
    expect((await fn.api('/api/tickets', { body: { siteId: site, title, level: 'general' } })).status).toBe(201);
    await controlHeard;
    expect(await mine).toBe(heard);
    viewer.disconnect();
    control.disconnect();
  });
});

describe('what each role may change', () => {
  // [role, action, at institution, expected status]
  const rows: [Role, string, Site, number][] = [
    ['admin', 'alarm ack', A, 200], ['admin', 'alarm confirm', B, 200], ['admin', 'alarm close', A, 200],
    ['admin', 'work order assign', A, 200], ['admin', 'work order fix', B, 200], ['admin', 'work order verify', A, 200],
    ['admin', 'ticket registered', A, 200], ['admin', 'ticket rectifying', B, 200], ['admin', 'ticket pending_verification', A, 200],
    ['admin', 'ticket closed', B, 200], ['admin', 'ticket comment', A, 204],

    ['operator', 'alarm ack', A, 200], ['operator', 'alarm confirm', A, 200], ['operator', 'alarm close', A, 200],
    ['operator', 'alarm ack', B, 404], ['operator', 'alarm confirm', B, 404],
    ['operator', 'ticket registered', A, 403], ['operator', 'ticket closed', A, 403], ['operator', 'ticket registered', B, 404],
    ['operator', 'work order assign', A, 403], ['operator', 'work order fix', A, 403], ['operator', 'work order verify', A, 403],
    ['operator', 'ticket comment', A, 204], ['operator', 'ticket comment', B, 404],

    ['logistics', 'alarm ack', A, 403], ['logistics', 'alarm confirm', A, 403], ['logistics', 'alarm close', A, 403],
    ['logistics', 'work order assign', A, 200], ['logistics', 'work order fix', A, 200], ['logistics', 'work order verify', A, 200],
    ['logistics', 'work order fix', B, 404],
    ['logistics', 'ticket registered', A, 403], ['logistics', 'ticket closed', A, 403],

    ['safety', 'ticket registered', A, 200], ['safety', 'ticket rectifying', A, 200], ['safety', 'ticket pending_verification', A, 200],
    ['safety', 'ticket closed', A, 200], ['safety', 'ticket comment', A, 204],
    ['safety', 'ticket registered', B, 404], ['safety', 'ticket closed', B, 404], ['safety', 'alarm confirm', B, 404],
    ['safety', 'alarm ack', A, 200], ['safety', 'work order verify', A, 200],
    ...(['admin', 'safety', 'logistics'] as const).map((role): [Role, string, Site, number] => [role, 'work order verify own fix', A, 403]),
    ...(['admin', 'safety'] as const).map((role): [Role, string, Site, number] => [role, 'ticket closed own rectification', A, 403]),

    ...(['province', 'city', 'county'] as const).flatMap((bureau): [Role, string, Site, number][] => [
      [bureau, 'alarm ack', A, 403], [bureau, 'alarm confirm', A, 403], [bureau, 'alarm close', A, 403],
      [bureau, 'work order assign', A, 403], [bureau, 'work order fix', A, 403], [bureau, 'work order verify', A, 403],
      [bureau, 'ticket registered', A, 403], [bureau, 'ticket rectifying', A, 403], [bureau, 'ticket pending_verification', A, 403],
      [bureau, 'ticket closed', A, 403], [bureau, 'ticket comment', A, 204],
    ]),
    ['province', 'ticket comment', B, 204], ['city', 'ticket comment', B, 204],

    ...ADMIN_ONLY.map((action): [Role, string, Site, number] => ['admin', action, A, action.endsWith('provision') || action.endsWith('register') || action.endsWith('create') || action.endsWith('issue') ? 201 : 200]),
    ...(['province', 'city', 'county', 'safety', 'operator', 'logistics'] as const).flatMap((role) => ADMIN_ONLY.map((action): [Role, string, Site, number] => [role, action, A, 403])),
    ['otherCounty', 'device disable', A, 404], ['otherCounty', 'device rotate-secret', A, 404], ['operator', 'device disable', B, 404],

    ...(['admin', 'province', 'city', 'county', 'safety', 'operator', 'logistics'] as const).map((role): [Role, string, Site, number] => [role, 'ticket report', A, 201]),
    ['otherCounty', 'ticket report', A, 404], ['operator', 'ticket report', B, 404],
    ...(['admin', 'safety', 'operator', 'logistics'] as const).map((role): [Role, string, Site, number] => [role, 'inspection record', A, 201]),
    ...(['province', 'city', 'county', 'otherCounty'] as const).map((role): [Role, string, Site, number] => [role, 'inspection record', A, 403]),
    ['logistics', 'inspection record', B, 404],
    ...(['admin', 'province', 'county'] as const).map((role): [Role, string, Site, number] => [role, 'audit read', A, 200]),
    ...(['safety', 'operator', 'logistics'] as const).map((role): [Role, string, Site, number] => [role, 'audit read', A, 403]),
    ...(['admin', 'province', 'city', 'county'] as const).map((role): [Role, string, Site, number] => [role, 'ticket escalate', A, 200]),
    ...(['safety', 'operator', 'logistics'] as const).map((role): [Role, string, Site, number] => [role, 'ticket escalate', A, 403]),
    ['otherCounty', 'ticket escalate', A, 404], ['otherCounty', 'ticket escalate', B, 200],
    ['county', 'ticket comment', B, 404], ['county', 'ticket registered', B, 404], ['county', 'ticket closed', B, 404],
    ['otherCounty', 'ticket comment', A, 404], ['otherCounty', 'ticket comment', B, 204], ['otherCounty', 'ticket closed', B, 403],
  ];

  it.each(rows)('%s: %s at %s -> %i', async (role, action, site, expected) => {
    expect(await ACTIONS[action]!(site, token[role])).toBe(expected);
  });
});
