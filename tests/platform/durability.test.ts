// An acknowledged alarm survives a crash; start-up refuses bad configuration with a clear message.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { deviceTopic } from '../../contracts/topics.js';
import { openPglite } from '../../platform/store/pglite.js';
import { eventPayload } from '../helpers/firenet.js';
import { freePort, spawnFireNet, type FireNetProcess } from '../helpers/process.js';

const running: FireNetProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) { p.child.kill('SIGKILL'); await p.exited; }
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function http(base: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(base + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() as any };
}

describe('durability', () => {
  it('keeps an acknowledged alarm when the process is killed right after the PUBACK', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'firenet-crash-'));
    dirs.push(dataDir);
    const env = {
      DATA_DIR: dataDir, FIRENET_DEMO: '0', FIRENET_ADMIN_PASSWORD: 'crash-test-admin',
      HTTP_PORT: String(await freePort()), MQTT_PORT: String(await freePort()), MQTT_WS_PORT: String(await freePort()),
    };
    const base = `http://127.0.0.1:${env.HTTP_PORT}`;
    const first = await spawnFireNet(env);
    running.push(first);
    const { token } = (await http(base, '/api/auth/login', { username: 'admin', password: 'crash-test-admin' })).body;
    expect((await http(base, '/api/sites', { id: 'jh-1', name: '蛟河市人民医院', regionCode: '220281' }, token)).status).toBe(201);
    const { secret } = (await http(base, '/api/devices', { id: 'sd-crash', family: 'smoke_detector', siteId: 'jh-1' }, token)).body;

    const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${env.MQTT_PORT}`, { clientId: 'sd-crash', username: 'sd-crash', password: secret, reconnectPeriod: 0 });
    device.on('error', () => undefined);
    await device.publishAsync(deviceTopic('sd-crash', 'events'), eventPayload('crash-1', 'smoke.alarm'), { qos: 1 });
    first.child.kill('SIGKILL'); // no shutdown, no flush: only what was stored before the PUBACK survives
    expect(await first.exited).toBe('SIGKILL');
    await device.endAsync(true);

    const second = await spawnFireNet(env);
    running.push(second);
    const again = (await http(base, '/api/auth/login', { username: 'admin', password: 'crash-test-admin' })).body.token;
    const alarms = (await http(base, '/api/alarms?status=active', undefined, again)).body as { deviceId: string; type: string; count: number }[];
    expect(alarms).toEqual([expect.objectContaining({ deviceId: 'sd-crash', type: 'smoke.alarm', count: 1 })]);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('stops cleanly on SIGTERM in the middle of a QoS 1 stream: exit 0, every acknowledged event stored', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'firenet-sigterm-'));
    dirs.push(dataDir);
    const env = {
      DATA_DIR: dataDir, FIRENET_DEMO: '0', FIRENET_ADMIN_PASSWORD: 'sigterm-test-admin', MQTT_DEVICE_RATE: '0',
      HTTP_PORT: String(await freePort()), MQTT_PORT: String(await freePort()), MQTT_WS_PORT: String(await freePort()),
    };
    const base = `http://127.0.0.1:${env.HTTP_PORT}`;
    const proc = await spawnFireNet(env);
    running.push(proc);
    const { token } = (await http(base, '/api/auth/login', { username: 'admin', password: 'sigterm-test-admin' })).body;
    expect((await http(base, '/api/sites', { id: 'jh-1', name: '蛟河市人民医院', regionCode: '220281' }, token)).status).toBe(201);
    const { secret } = (await http(base, '/api/devices', { id: 'fp-term', family: 'fire_panel', siteId: 'jh-1' }, token)).body;
    const panel = await mqtt.connectAsync(`mqtt://127.0.0.1:${env.MQTT_PORT}`, { clientId: 'fp-term', username: 'fp-term', password: secret, reconnectPeriod: 0 });
    panel.on('error', () => undefined);

    // 20 events always in flight, until the connection goes
    const acked: string[] = [];
    let next = 0;
    let open = true;
    panel.once('close', () => { open = false; });
    const lane = async () => {
      while (open) {
        const id = `t-${next++}`;
        const ok = await new Promise<boolean>((resolve) => {
          const onClose = () => resolve(false);
          panel.once('close', onClose);
          panel.publish(deviceTopic('fp-term', 'events'), eventPayload(id, 'fire.alarm', { loop: 1, point: next % 200 }), { qos: 1 }, (err) => {
            panel.off('close', onClose);
            resolve(!err);
          });
        });
        if (ok) acked.push(id);
      }
    };
    panel.setMaxListeners(50); // each publish in flight listens for the close
    const lanes = Array.from({ length: 20 }, lane);
    while (acked.length < 300) await new Promise((r) => setTimeout(r, 20));
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    await Promise.all(lanes);
    await panel.endAsync(true);
    expect(proc.output()).toMatch(/"msg":"stopped"/);

    const db = await openPglite(join(dataDir, 'pgdata'));
    const stored = new Set((await db.query<{ event_id: string }>("select event_id from device_events where device_id = 'fp-term'")).map((r) => r.event_id));
    await db.close();
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
    expect(stored.size).toBeGreaterThanOrEqual(acked.length);
  });

  it('refuses to start on a bad configuration value, naming the variable', async () => {
    const proc = await spawnFireNet({ MQTT_PORT: 'not-a-port' }, null);
    expect(await proc.exited).toBe(2);
    expect(proc.output()).toMatch(/MQTT_PORT: /);
  });

  it('refuses a production start with no admin and no FIRENET_ADMIN_PASSWORD', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'firenet-noadmin-'));
    dirs.push(dataDir);
    const proc = await spawnFireNet({ DATA_DIR: dataDir, FIRENET_DEMO: '0', HTTP_PORT: '0', MQTT_PORT: '0', MQTT_WS_PORT: '0' }, null);
    expect(await proc.exited).toBe(2);
    expect(proc.output()).toMatch(/FIRENET_ADMIN_PASSWORD/);
  });
});
