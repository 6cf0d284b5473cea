// The unattended demo behaves like a province: its fleet raises fire alarms at a rate of its own (a few an hour by
// default, not among every fault and low battery), and its simulated duty rooms answer most of them through the API
// as real ones would (acknowledge, confirm false alarm or test, close), leaving some, and any likely real fire, to a person.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic } from '../../contracts/topics.js';
import { startDutyRooms, type DutyRooms } from '../../platform/demo/duty-rooms.js';
import { startFleet, type FleetDevice } from '../../simulators/fleet.js';
import { eventPayload, eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

const quiet = pino({ level: 'silent' });
const FAST = { ack: [50, 100], confirm: [50, 100], close: [50, 100] } as { ack: [number, number]; confirm: [number, number]; close: [number, number] };

describe('against a real FireNet', () => {
  let fn: TestFireNet;
  let token: string;
  const SITE = 'duty-jh';

  beforeAll(async () => {
    fn = await startTestFireNet();
    await fn.provisionSite(SITE, '220281', '蛟河市人民医院');
    const issued = await fn.api<{ token: string }>('/api/tokens', { body: { name: '演示值班室', role: 'operator', siteIds: [SITE], readOnly: false } });
    expect(issued.status).toBe(201);
    token = issued.body.token;
  });
  afterAll(() => fn?.stop());

  async function raise(id: string): Promise<string> {
    const device = await fn.connectDevice(id, await fn.provisionDevice({ id, family: 'smoke_detector', siteId: SITE }));
    await device.publishAsync(deviceTopic(id, 'events'), eventPayload(`${id}-a`, 'smoke.alarm'), { qos: 1 });
    await device.endAsync();
    return (await fn.api<{ id: string }[]>(`/api/alarms?deviceId=${id}`)).body[0]!.id;
  }

  it('acknowledges, confirms as false alarm or test, and closes the alarms it answers, through the API (audited as its token)', async () => {
    let rooms: DutyRooms | null = null;
    try {
      rooms = startDutyRooms({ httpUrl: fn.httpUrl, token, answerShare: 1, logger: quiet, timing: FAST, pollMs: 100 });
      const ids = [await raise('sd-duty-1'), await raise('sd-duty-2')];
      for (const id of ids) {
        const alarm = await eventually(async () => {
          const a = (await fn.api(`/api/alarms/${id}`)).body;
          return a.status === 'closed' ? a : null;
        }, 10_000, `alarm ${id} closed`);
        expect(alarm).toMatchObject({ acknowledgedBy: 'token:演示值班室', confirmedBy: 'token:演示值班室' });
        expect(['false_alarm', 'test']).toContain(alarm.outcome);
        expect(Date.parse(alarm.acknowledgedAt) - Date.parse(alarm.raisedAt)).toBeLessThan(60_000);
      }
      const audit = (await fn.api<{ actor: string; action: string }[]>('/api/audit?limit=50')).body.filter((e) => e.actor === 'token:演示值班室');
      expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['POST /api/alarms/:id/ack', 'POST /api/alarms/:id/confirm', 'POST /api/alarms/:id/close']));
      expect(rooms.stats().closed).toBe(2);
    } finally {
      rooms?.stop();
    }
  });

  it('leaves the share it does not answer, and one a person is already handling, to people', async () => {
    let rooms: DutyRooms | null = null;
    try {
      const mine = await raise('sd-duty-3');
      expect((await fn.api(`/api/alarms/${mine}/ack`, { body: {} })).status).toBe(200); // a person took it
      rooms = startDutyRooms({ httpUrl: fn.httpUrl, token, answerShare: 0, logger: quiet, timing: FAST, pollMs: 100 });
      const left = await raise('sd-duty-4');
      await eventually(async () => rooms!.stats().leftAlone >= 2, 5000, 'both seen');
      await new Promise((r) => setTimeout(r, 500));
      expect((await fn.api(`/api/alarms/${left}`)).body.status).toBe('new');
      expect((await fn.api(`/api/alarms/${mine}`)).body).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'admin' });
    } finally {
      rooms?.stop();
    }
  });

  it('raises fire alarms only at the alarm rate: other incidents, however many, raise none', async () => {
    const devices: FleetDevice[] = [];
    // eight quiet devices for eight incidents: a device stays busy with an incident (a fault) for 30-90 s, so with
    // fewer devices than incidents awaited the fleet could run out of free ones (it did: 4 devices, 8 incidents)
    for (let i = 1; i <= 12; i++) {
      const id = `sd-fleet-${i}`;
      devices.push({ id, family: 'smoke_detector', secret: await fn.provisionDevice({ id, family: 'smoke_detector', siteId: SITE }), heartbeatSec: 3600, siteId: SITE });
    }
    const others = startFleet({ url: fn.mqttUrl, devices: devices.slice(0, 8), eventRatePerMin: 1800, alarmsPerHour: 0, logger: quiet });
    await others.ready;
    await eventually(async () => others.stats().incidents >= 8, 30_000, 'incidents');
    await others.stop();
    const quietAlarms = (await fn.api<{ deviceId: string }[]>('/api/alarms?limit=1000')).body.filter((a) => a.deviceId.startsWith('sd-fleet-'));
    expect(quietAlarms).toEqual([]);

    const alarming = startFleet({ url: fn.mqttUrl, devices: devices.slice(8), eventRatePerMin: 0, alarmsPerHour: 3600 * 10, logger: quiet });
    await alarming.ready;
    await eventually(async () => (await fn.api<{ deviceId: string }[]>('/api/alarms?limit=1000')).body.some((a) => a.deviceId.startsWith('sd-fleet-')), 10_000, 'an alarm at the alarm rate');
    await alarming.stop();
  });
});
