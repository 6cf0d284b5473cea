// Transmission devices over GB/T 26875.3 (TCP) end to end: a simulated 用传 reports its panels to a real FireNet,
// and its alarms, faults, heartbeats, bad frames and the centre's downlink behave as an MQTT panel's do.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands, encodeFrame } from '../../contracts/gb26875/frame.js';
import { COMPONENT_FIRE, SYSTEM_BUS_FAULT, TransmissionDevice } from '../../simulators/gb26875/device.js';
import { eventually, nextEvent, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { freePort, spawnFireNet, type FireNetProcess } from '../helpers/process.js';

let fn: TestFireNet;
let port: number;
const devices: TransmissionDevice[] = [];

async function provision(id: string, gbAddress: string, zone = '1F 消防控制室'): Promise<void> {
  const res = await fn.api('/api/devices', { body: { id, family: 'transmission_device', siteId: 'gb-site', zone, heartbeatSec: 60, gbAddress } });
  expect(res.status).toBe(201);
}

async function device(gbAddress: string, options: Partial<ConstructorParameters<typeof TransmissionDevice>[0]> = {}): Promise<TransmissionDevice> {
  const d = new TransmissionDevice({ host: '127.0.0.1', port, gbAddress, confirmTimeoutMs: 5000, ...options });
  await d.connect();
  devices.push(d);
  return d;
}

beforeAll(async () => {
  port = await freePort();
  fn = await startTestFireNet({ GB26875_PORT: String(port) });
  await fn.provisionSite('gb-site', '220281', '蛟河市人民医院');
});

afterAll(async () => {
  for (const d of devices) d.destroy();
  await fn?.stop();
});

describe('GB/T 26875.3 transmission devices', () => {
  it('provisioning needs the 12-hex-digit address for a transmission device, and refuses one anywhere else', async () => {
    expect((await fn.api('/api/devices', { body: { id: 'td-noaddr', family: 'transmission_device', siteId: 'gb-site' } })).status).toBe(400);
    expect((await fn.api('/api/devices', { body: { id: 'sd-addr', family: 'smoke_detector', siteId: 'gb-site', gbAddress: '000000000001' } })).status).toBe(400);
    expect((await fn.api('/api/devices', { body: { id: 'td-bad', family: 'transmission_device', siteId: 'gb-site', gbAddress: '0379' } })).status).toBe(400);
    await provision('td-dup-1', '0000000000AA');
    expect((await fn.api('/api/devices', { body: { id: 'td-dup-2', family: 'transmission_device', siteId: 'gb-site', gbAddress: '0000000000aa' } })).status).toBe(409);
    expect((await fn.api('/api/devices/td-dup-1')).body).toMatchObject({ family: 'transmission_device', gbAddress: '0000000000AA' });
  });

  it('a component fire alarm is an alarm in the API and on a socket within a second, its description the location; confirmed once stored', async () => {
    await provision('td-fire', '000000000379');
    const viewer = await fn.viewer(fn.adminToken);
    const pushed = nextEvent<{ deviceId: string; location: string }>(viewer, 'alarm', (a) => a.deviceId === 'td-fire', 1000);
    const d = await device('000000000379');
    const started = Date.now();
    const confirm = await d.componentStatus([{ componentType: 42, componentAddress: 0x0002_0017, status: COMPONENT_FIRE, description: '住院楼3层东区护士站' }]);
    expect(confirm).toMatchObject({ command: commands.confirm, source: '000000015B38', destination: '000000000379' });
    // the confirm came after the store: the alarm is there the moment it arrives
    const alarms = (await fn.api('/api/alarms?deviceId=td-fire')).body as { type: string; location: string; data: { data: Record<string, unknown> } }[];
    expect(alarms).toEqual([expect.objectContaining({ type: 'fire.alarm', location: '1F 消防控制室 / 住院楼3层东区护士站' })]);
    expect(alarms[0]!.data.data).toMatchObject({ loop: 2, point: 0x17, system: 1, componentType: 42 });
    expect((await pushed).location).toBe('1F 消防控制室 / 住院楼3层东区护士站');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('the same frame sent again (same serial and time) is stored once and confirmed again', async () => {
    await provision('td-resend', '000000000380');
    const d = await device('000000000380');
    const frame = d.frame(commands.send, {
      type: 2, objects: [{ type: 2, systemType: 1, systemAddress: 1, componentType: 40, componentAddress: 9, status: COMPONENT_FIRE, description: '门诊楼', time: { second: 2, minute: 58, hour: 9, day: 26, month: 9, year: 2026 } }],
    });
    await d.send(frame);
    await d.send(frame);
    const alarms = (await fn.api('/api/alarms?deviceId=td-resend')).body as { count: number }[];
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.count).toBe(1);
  });

  it('a bus fault opens a work order; a device main power fault a power one', async () => {
    await provision('td-bus', '000000000381');
    const d = await device('000000000381');
    await d.systemStatus(SYSTEM_BUS_FAULT);
    await d.deviceStatus(0x08);
    const orders = await eventually(async () => {
      const list = (await fn.api('/api/workorders?status=open')).body as { deviceId: string; category: string }[];
      const mine = list.filter((w) => w.deviceId === 'td-bus');
      return mine.length >= 2 && mine;
    }, 5000, 'work orders');
    expect(orders.map((w) => w.category).sort()).toEqual(['fault', 'power']);
  });

  it('bad frames get no confirm, are counted and kept on the device, and the connection reads on', async () => {
    await provision('td-bad', '000000000382');
    const d = await device('000000000382');
    await d.heartbeat(); // signed in
    const good = encodeFrame(d.frame(commands.send, null));
    const badChecksum = encodeFrame(d.frame(commands.send, null));
    badChecksum[badChecksum.length - 3] ^= 0xff;
    const badEnd = encodeFrame(d.frame(commands.send, null));
    badEnd[badEnd.length - 1] = 0x00;
    const badSerials = [badChecksum[2]!, badEnd[2]!];
    d.writeRaw(Uint8Array.from([...badChecksum, ...badEnd, 0xde, 0xad]));
    // the good frame split over three writes
    d.writeRaw(good.subarray(0, 3));
    d.writeRaw(good.subarray(3, 20));
    d.writeRaw(good.subarray(20));
    await eventually(async () => d.confirmed.includes(good[2]!), 3000, 'the good frame\'s confirm');
    expect(d.confirmed.filter((s) => badSerials.includes(s))).toEqual([]);
    expect(d.connected).toBe(true);
    const dev = (await fn.api('/api/devices/td-bad')).body as { badMessages: number; recentBadMessages: { reason: string }[] };
    expect(dev.badMessages).toBe(2);
    expect(dev.recentBadMessages.map((m) => m.reason).sort()).toEqual(['bad_checksum', 'bad_end']);
    const health = (await fn.api('/api/health')).body as { gb26875: { badFrames: Record<string, number> } };
    expect(health.gb26875.badFrames).toMatchObject({ bad_checksum: expect.any(Number), bad_end: expect.any(Number) });
    const metrics = await (await fetch(`${fn.httpUrl}/metrics`, { headers: { authorization: `Bearer ${fn.adminToken}` } })).text();
    expect(metrics).toMatch(/^firenet_gb26875_bad_frames_total\{problem="bad_checksum"\} [1-9]/m);
  });

  it('a frame from an unknown address is refused, counted, and its connection closed', async () => {
    const before = ((await fn.api('/api/health')).body as { gb26875: { connectsRefused: Record<string, number> } }).gb26875.connectsRefused.unknown_address ?? 0;
    const d = await device('0000DEADBEEF');
    await expect(d.heartbeat()).rejects.toThrow(/closed/);
    await d.closed;
    const after = ((await fn.api('/api/health')).body as { gb26875: { connectsRefused: Record<string, number> } }).gb26875.connectsRefused.unknown_address;
    expect(after).toBe(before + 1);
  });

  it('a heartbeat keeps the device online; an analog value becomes a reading', async () => {
    await provision('td-hb', '000000000383');
    const d = await device('000000000383');
    await d.heartbeat();
    expect((await fn.api('/api/devices/td-hb')).body).toMatchObject({ online: true });
    await d.analog(5, 3521); // 352.1 kPa of water pressure
    const series = await eventually(async () => {
      const res = (await fn.api('/api/devices/td-hb/telemetry?metric=pressure_kpa&step=raw')).body as { points?: unknown[] } | unknown[];
      const text = JSON.stringify(res);
      return text.includes('352.1') && text;
    }, 5000, 'the pressure reading');
    expect(series).toContain('352.1');
  });

  it('查岗 from the API is answered by the duty room through the device; a read gets the device\'s answer', async () => {
    await provision('td-duty', '000000000384');
    const d = await device('000000000384', { dutyAnswerMs: 300 });
    await d.heartbeat(); // a device is known by its first frame
    const duty = await fn.api('/api/devices/td-duty/commands', { body: { type: 'duty_check', timeoutMin: 10 } });
    expect(duty.status).toBe(202);
    const version = await fn.api('/api/devices/td-duty/commands', { body: { type: 'read_version' } });
    expect(version.status).toBe(202);
    const settled = await eventually(async () => {
      const list = (await fn.api('/api/devices/td-duty/commands')).body as { id: string; state: string; ok: boolean | null; message: string | null }[];
      return list.every((c) => c.state !== 'pending') && list;
    }, 5000, 'both commands answered');
    expect(settled.find((c) => c.id === duty.body.id)).toMatchObject({ state: 'acked', ok: true, message: expect.stringMatching(/^answered by operator 1/) });
    expect(settled.find((c) => c.id === version.body.id)).toMatchObject({ state: 'acked', message: 'software version 1.1' });
    // who asked, in the audit log with the change
    const audit = (await fn.api('/api/audit?limit=50')).body as { action: string; target: string; details: { values: Record<string, unknown> } }[];
    expect(audit.find((e) => e.action === 'POST /api/devices/:id/commands' && e.details.values.type === 'duty_check')).toMatchObject({
      target: '/api/devices/td-duty/commands', details: { values: { type: 'duty_check', timeoutMin: 10 } },
    });
    // only transmission devices take these
    expect((await fn.api('/api/devices/td-dup-1/commands', { body: { type: 'read_status' } })).status).toBe(202);
    await fn.api('/api/devices', { body: { id: 'sd-plain', family: 'smoke_detector', siteId: 'gb-site' } });
    expect((await fn.api('/api/devices/sd-plain/commands', { body: { type: 'read_status' } })).status).toBe(400);
  });
});

describe('GB/T 26875.3 commands without an answer', () => {
  it('are sent again every 10 s, 4 times in all, then fail with a command_failed work order', async () => {
    await provision('td-deaf', '000000000385');
    const d = await device('000000000385', { deaf: true });
    await d.heartbeat();
    const sent = await fn.api('/api/devices/td-deaf/commands', { body: { type: 'read_status' } });
    expect(sent.status).toBe(202);
    const failed = await eventually(async () => {
      const list = (await fn.api('/api/devices/td-deaf/commands')).body as { id: string; state: string; attempts: number }[];
      return list.find((c) => c.id === sent.body.id && c.state === 'failed');
    }, 55_000, 'the command failed');
    expect(failed.attempts).toBe(4);
    // the same request, same serial, four times
    const requests = d.frames.filter((f) => f.command === commands.request);
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((f) => f.serial)).size).toBe(1);
    const orders = await eventually(async () => {
      const list = (await fn.api('/api/workorders?status=open')).body as { deviceId: string; category: string }[];
      return list.find((w) => w.deviceId === 'td-deaf' && w.category === 'command_failed');
    }, 5000, 'the command_failed work order');
    expect(orders).toBeTruthy();
  }, 90_000);

  it('a link silent past three heartbeats is an offline work order, closed when the device is heard again', async () => {
    const res = await fn.api('/api/devices', { body: { id: 'td-silent', family: 'transmission_device', siteId: 'gb-site', heartbeatSec: 10, gbAddress: '000000000386' } });
    expect(res.status).toBe(201);
    const d = await device('000000000386');
    await d.heartbeat();
    d.destroy(); // the link goes silent
    const offline = await eventually(async () => {
      const list = (await fn.api('/api/workorders?status=open')).body as { id: string; deviceId: string; category: string }[];
      return list.find((w) => w.deviceId === 'td-silent' && w.category === 'offline');
    }, 60_000, 'the offline work order');
    expect((await fn.api('/api/devices/td-silent')).body).toMatchObject({ online: false });
    const back = await device('000000000386');
    await back.heartbeat();
    await eventually(async () => {
      const list = (await fn.api('/api/workorders?status=open')).body as { id: string }[];
      return !list.some((w) => w.id === offline.id);
    }, 10_000, 'the offline work order closed');
  }, 90_000);

  it('the panel and offline rules watch transmission devices too', async () => {
    const rules = (await fn.api('/api/rules')).body as { id: string; definition?: { families: string[] }; families?: string[] }[];
    const families = (id: string) => { const r = rules.find((x) => x.id === id)!; return (r.definition ?? r).families; };
    for (const id of ['panel.fire_alarm', 'panel.fault', 'panel.isolation_24h', 'panel.main_power_fault', 'panel.backup_power_fault', 'device.offline']) {
      expect(families(id)).toContain('transmission_device');
    }
  });
});

describe('GB/T 26875.3 durability', () => {
  const running: FireNetProcess[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) { p.child.kill('SIGKILL'); await p.exited; }
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('keeps a confirmed alarm when the process is killed right after the confirm', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'firenet-gb-crash-'));
    dirs.push(dataDir);
    const env = {
      DATA_DIR: dataDir, FIRENET_DEMO: '0', FIRENET_ADMIN_PASSWORD: 'crash-test-admin',
      HTTP_PORT: String(await freePort()), MQTT_PORT: String(await freePort()), MQTT_WS_PORT: String(await freePort()), GB26875_PORT: String(await freePort()),
    };
    const base = `http://127.0.0.1:${env.HTTP_PORT}`;
    const call = async (path: string, body?: unknown, token?: string) => {
      const res = await fetch(base + path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() as any };
    };
    const first = await spawnFireNet(env);
    running.push(first);
    const { token } = (await call('/api/auth/login', { username: 'admin', password: 'crash-test-admin' })).body;
    expect((await call('/api/sites', { id: 'jh-1', name: '蛟河市人民医院', regionCode: '220281' }, token)).status).toBe(201);
    expect((await call('/api/devices', { id: 'td-crash', family: 'transmission_device', siteId: 'jh-1', gbAddress: '000000000379' }, token)).status).toBe(201);

    const d = new TransmissionDevice({ host: '127.0.0.1', port: Number(env.GB26875_PORT), gbAddress: '000000000379' });
    await d.connect();
    await d.componentStatus([{ componentType: 23, componentAddress: 0x0001_0005, status: COMPONENT_FIRE, description: '一层大厅手报' }]);
    first.child.kill('SIGKILL'); // no shutdown, no flush: only what was stored before the confirm survives
    expect(await first.exited).toBe('SIGKILL');
    d.destroy();

    const second = await spawnFireNet(env);
    running.push(second);
    const again = (await call('/api/auth/login', { username: 'admin', password: 'crash-test-admin' })).body.token;
    const alarms = (await call('/api/alarms?status=active', undefined, again)).body as { deviceId: string; type: string; location: string }[];
    expect(alarms).toEqual([expect.objectContaining({ deviceId: 'td-crash', type: 'fire.alarm', location: '一层大厅手报' })]);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 180_000); // two FireNet processes start on a shared machine
});

