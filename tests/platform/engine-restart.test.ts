// The rules engine's state survives a restart: a timer that was running before goes off after.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deviceTopic } from '../../contracts/topics.js';
import { eventPayload, eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

const dirs: string[] = [];
const running: TestFireNet[] = [];
afterAll(async () => {
  for (const fn of running) await fn.stop().catch(() => undefined);
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('engine state across a restart', () => {
  it('a cabinet door opened before the restart still raises its door-left-open hazard after it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'firenet-restart-'));
    dirs.push(dataDir);
    const first = await startTestFireNet({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    running.push(first);
    await first.provisionSite('jh-rmyy', '220281', '蛟河市人民医院');
    const [current] = (await first.api<any[]>('/api/rules/cabinet.door_open_10min/versions')).body;
    await first.api('/api/rules', { body: { ...current.definition, condition: { ...current.definition.condition, forSec: 3 } } });
    const secret = await first.provisionDevice({ id: 'hc-restart', family: 'hazmat_cabinet', siteId: 'jh-rmyy' });
    const cabinet = await first.connectDevice('hc-restart', secret);
    await cabinet.publishAsync(deviceTopic('hc-restart', 'events'), eventPayload('door-1', 'cabinet.door_open', { badges: ['A1', 'B2'] }), { qos: 1 });
    await first.stop();
    running.pop();
    expect((await import('node:fs')).existsSync(dataDir)).toBe(true);

    const second = await startTestFireNet({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    running.push(second);
    const ticket = await eventually(async () => (await second.api<any[]>('/api/tickets?deviceId=hc-restart')).body[0], 8000, 'door-left-open hazard');
    expect(ticket).toMatchObject({ ruleId: 'cabinet.door_open_10min', state: 'reported' });
  });
});
