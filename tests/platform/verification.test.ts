// Nobody signs off their own work, through the API of a real FireNet: 403 with a message and a code, and the ticket
// names who rectified. The decisions alone are in tests/unit/verification-decisions.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../platform/auth/hash.js';
import { deviceTopic } from '../../contracts/topics.js';
import { eventPayload, eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

describe('through the API', () => {
  const SITE = 'sod-site';
  let fn: TestFireNet;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    fn = await startTestFireNet({ LOG_LEVEL: 'info' });
    await fn.provisionSite(SITE, '220281', '蛟河市人民医院');
    for (const [username, role] of [['manager-a', 'safety_manager'], ['manager-b', 'safety_manager'], ['tech', 'logistics']] as const) {
      await fn.store.createUser({ username, passwordHash: await hashSecret(`${username}-pw`), role, regionCode: null, siteIds: [SITE] });
      token[username] = await fn.login(username, `${username}-pw`);
    }
  });
  afterAll(() => fn?.stop());

  it('a work order: the technician who fixed it cannot verify it; a safety manager can', async () => {
    const secret = await fn.provisionDevice({ id: 'sod-sd', family: 'smoke_detector', siteId: SITE });
    const device = await fn.connectDevice('sod-sd', secret);
    await device.publishAsync(deviceTopic('sod-sd', 'events'), eventPayload('sod-f1', 'fault', { code: 'E07' }), { qos: 1 });
    const order = await eventually(async () => (await fn.api<{ id: string; category: string }[]>('/api/workorders?deviceId=sod-sd')).body.find((o) => o.category === 'fault'), 5000, 'work order');
    const step = (action: string, who: string, note?: string) => fn.api(`/api/workorders/${order.id}/transition`, { body: { action, note }, token: token[who] });

    expect((await step('fix', 'tech')).body).toMatchObject({ state: 'fixed', fixedBy: 'tech' });
    const refused = await step('verify', 'tech');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'verify.own_work', message: expect.stringContaining('tech fixed this work order and may not verify') });
    expect((await step('reject', 'tech', '复查未通过')).status).toBe(403);
    expect((await fn.api(`/api/workorders/${order.id}`)).body.state).toBe('fixed');
    expect((await step('verify', 'manager-a')).body).toMatchObject({ state: 'verified', verifiedBy: 'manager-a' });
  });

  it('a hazard: a safety manager cannot take it from reported to closed alone; a second one closes it', async () => {
    const created = await fn.api<{ id: string }>('/api/tickets', { body: { siteId: SITE, title: '安全出口堵塞', level: 'general' }, token: token['manager-a'] });
    const id = created.body.id;
    const move = (body: Record<string, unknown>, who: string) => fn.api(`/api/tickets/${id}/transition`, { body, token: token[who] });
    const five = { owner: '后勤保障科', funds: '500 元', measures: '清理杂物', deadline: new Date(Date.now() + 86_400_000).toISOString(), contingencyPlan: '专人值守' };

    expect((await move({ to: 'registered', ...five }, 'manager-a')).status).toBe(200);
    expect((await move({ to: 'rectifying' }, 'manager-a')).status).toBe(200);
    const submitted = await move({ to: 'pending_verification', note: '已清理' }, 'manager-a');
    expect(submitted.body).toMatchObject({ state: 'pending_verification', rectifiedBy: 'manager-a' });

    const alone = await move({ to: 'closed' }, 'manager-a');
    expect(alone.status).toBe(403);
    expect(alone.body).toMatchObject({ code: 'verify.own_work', message: expect.stringContaining('manager-a submitted this rectification and may not verify it') });
    expect((await move({ to: 'rectifying', note: '退回' }, 'manager-a')).status).toBe(403);

    // sent back by another, rectified again by the technician: now the first manager may verify
    expect((await move({ to: 'rectifying', note: '标识未设置' }, 'manager-b')).body.state).toBe('rectifying');
    expect((await move({ to: 'pending_verification', note: '已设置标识' }, 'tech')).body.rectifiedBy).toBe('tech');
    expect((await fn.api(`/api/tickets?status=pending_verification`)).body.find((t: { id: string }) => t.id === id).rectifiedBy).toBe('tech');
    expect((await move({ to: 'closed' }, 'manager-a')).body).toMatchObject({ state: 'closed' });
  });
});
