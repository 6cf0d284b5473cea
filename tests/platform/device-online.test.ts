// A device that has just sent something is online at once: last-seen times are written in batches every 2 s,
// and until then the API answers from memory, so a detector that has just raised an alarm never reads 离线.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic } from '../../contracts/topics.js';
import type { Device } from '../../contracts/records.js';
import { eventPayload, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

describe('online at once (end to end)', () => {
  let fn: TestFireNet;
  beforeAll(async () => {
    fn = await startTestFireNet();
    await fn.provisionSite('online-jh', '220281', '蛟河市人民医院');
  });
  afterAll(() => fn?.stop());

  it('shows a never-seen detector online right after its alarm is acknowledged, before the batched write', async () => {
    for (let i = 1; i <= 5; i++) {
      const id = `sd-online-${i}`;
      const secret = await fn.provisionDevice({ id, family: 'smoke_detector', siteId: 'online-jh', heartbeatSec: 3600 });
      expect((await fn.api(`/api/devices/${id}`)).body).toMatchObject({ online: false, lastSeenAt: null });
      const device = await fn.connectDevice(id, secret);
      await device.publishAsync(deviceTopic(id, 'events'), eventPayload(`on-${i}`, 'smoke.alarm'), { qos: 1 });
      // the alarm is stored (PUBACK); the device is asked for at once, as the desk does when the alarm arrives
      const [one, list] = await Promise.all([fn.api(`/api/devices/${id}`), fn.api<Device[]>(`/api/devices?siteId=online-jh`)]);
      expect(one.body.online, `${id} on its page`).toBe(true);
      expect(one.body.lastSeenAt).not.toBeNull();
      expect(list.body.find((d) => d.id === id)?.online, `${id} in the list`).toBe(true);
      await device.endAsync();
    }
  });
});
