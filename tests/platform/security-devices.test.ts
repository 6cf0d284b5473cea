// Device security end to end: disabling, secret rotation, per-device rate caps, bulk import and
// MQTT over TLS, with real MQTT clients against the real gateway and store.
import { execFileSync } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic } from '../../contracts/topics.js';
import { hashSecret } from '../../platform/auth/hash.js';
import { parseCsv } from '../../platform/devices/csv.js';
import { eventPayload, eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

let fn: TestFireNet;
let certDir: string;
let cert: Buffer;
let managerToken: string;

const RATE = 5;
const BURST = 20;

beforeAll(async () => {
  certDir = await mkdtemp(join(tmpdir(), 'firenet-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(certDir, 'k.pem'), '-out', join(certDir, 'c.pem'),
    '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  cert = await readFile(join(certDir, 'c.pem'));
  fn = await startTestFireNet({
    MQTT_DEVICE_RATE: String(RATE), MQTT_DEVICE_BURST: String(BURST),
    MQTT_TLS_CERT: join(certDir, 'c.pem'), MQTT_TLS_KEY: join(certDir, 'k.pem'), MQTT_TLS_PORT: '0',
  });
  await fn.provisionSite('jh-rmyy', '220281', '蛟河市人民医院');
  await fn.provisionSite('hd-rmyy', '220282', '桦甸市人民医院');
  await fn.store.createUser({ username: 'jh-safety', passwordHash: await hashSecret('pw-jh-safety'), role: 'safety_manager', regionCode: null, siteIds: ['jh-rmyy'] });
  managerToken = await fn.login('jh-safety', 'pw-jh-safety');
});
afterAll(async () => {
  await fn?.stop();
  if (certDir) await rm(certDir, { recursive: true, force: true });
});

const refusal = async (id: string, password: string) =>
  ((await mqtt.connectAsync(fn.mqttUrl, { clientId: id, username: id, password, protocolVersion: 4, reconnectPeriod: 0 }).catch((e) => e)) as { code?: number }).code;
const closed = (client: MqttClient) => new Promise<void>((resolve) => client.once('close', () => resolve()));

async function importCsv(csv: string | Blob, token = fn.adminToken) {
  const res = await fetch(`${fn.httpUrl}/api/devices/import`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` }, body: csv });
  return { status: res.status, type: res.headers.get('content-type') ?? '', disposition: res.headers.get('content-disposition') ?? '', text: await res.text() };
}

describe('disabling a device and rotating its secret', () => {
  it('disabling closes the device\'s connection at once, a reconnect gets CONNACK 5, enabling lets it back in', async () => {
    const secret = await fn.provisionDevice({ id: 'sd-off', family: 'smoke_detector', siteId: 'jh-rmyy' });
    const device = await fn.connectDevice('sd-off', secret);
    const gone = closed(device);
    const res = await fn.api('/api/devices/sd-off', { method: 'PATCH', body: { disabled: true } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'sd-off', disabled: true });
    await gone;
    expect(fn.gateway.isConnected('sd-off')).toBe(false);
    expect(await refusal('sd-off', secret)).toBe(5);
    expect(fn.logs.some((l) => l.msg === 'device connection refused' && l.deviceId === 'sd-off' && l.reason === 'disabled')).toBe(true);

    expect((await fn.api('/api/devices/sd-off', { method: 'PATCH', body: { disabled: false } })).body).toMatchObject({ disabled: false });
    const back = await fn.connectDevice('sd-off', secret);
    expect(back.connected).toBe(true);
  });

  it('rotating the secret closes the connection made with the old one; the old secret gets CONNACK 4 and the new one connects', async () => {
    const old = await fn.provisionDevice({ id: 'sd-rot', family: 'smoke_detector', siteId: 'jh-rmyy' });
    const device = await fn.connectDevice('sd-rot', old);
    const gone = closed(device);
    const res = await fn.api<{ id: string; secret: string }>('/api/devices/sd-rot/rotate-secret', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe('sd-rot');
    expect(res.body.secret).not.toBe(old);
    await gone;
    expect(await refusal('sd-rot', old)).toBe(4);
    const renewed = await fn.connectDevice('sd-rot', res.body.secret);
    await renewed.publishAsync(deviceTopic('sd-rot', 'events'), eventPayload('rot-1', 'selftest'), { qos: 1 });
    expect(await fn.store.countEvents('sd-rot')).toBe(1);
  });

  it('only admins disable or rotate: 403 for the institution\'s safety manager, 404 for a device outside the caller\'s scope', async () => {
    await fn.provisionDevice({ id: 'sd-jh', family: 'smoke_detector', siteId: 'jh-rmyy' });
    await fn.provisionDevice({ id: 'sd-hd', family: 'smoke_detector', siteId: 'hd-rmyy' });
    expect((await fn.api('/api/devices/sd-jh', { method: 'PATCH', body: { disabled: true }, token: managerToken })).status).toBe(403);
    expect((await fn.api('/api/devices/sd-jh/rotate-secret', { method: 'POST', token: managerToken })).status).toBe(403);
    expect((await fn.api('/api/devices/sd-hd', { method: 'PATCH', body: { disabled: true }, token: managerToken })).status).toBe(404);
    expect((await fn.api('/api/devices/sd-hd/rotate-secret', { method: 'POST', token: managerToken })).status).toBe(404);
    expect((await fn.api('/api/devices/sd-none', { method: 'PATCH', body: { disabled: true } })).status).toBe(404);
    expect((await fn.api('/api/devices/sd-jh', { method: 'PATCH', body: { disabled: 'yes' } })).status).toBe(400);
    expect((await fn.api('/api/devices/sd-jh')).body.disabled).toBe(false);
  });
});

describe('device secrets', () => {
  it('keeps secrets as HMAC-SHA-256; a device still hashed with scrypt signs in, is upgraded at once, and its wrong secret still gets CONNACK 4', async () => {
    const secret = await fn.provisionDevice({ id: 'sd-legacy', family: 'smoke_detector', siteId: 'jh-rmyy' });
    expect((await fn.store.getDeviceCredentials('sd-legacy'))!.secretHash).toMatch(/^hmac-sha256\$/);
    // as provisioning stored it before: scrypt at the device cost
    await fn.store.setDeviceSecret('sd-legacy', await hashSecret(secret, { N: 2 ** 12, r: 8, p: 1 }));
    expect(await refusal('sd-legacy', 'not-the-secret')).toBe(4);
    expect((await fn.store.getDeviceCredentials('sd-legacy'))!.secretHash).toMatch(/^scrypt\$/);
    const device = await fn.connectDevice('sd-legacy', secret);
    await device.endAsync();
    expect((await fn.store.getDeviceCredentials('sd-legacy'))!.secretHash).toMatch(/^hmac-sha256\$/);
    const again = await fn.connectDevice('sd-legacy', secret);
    expect(again.connected).toBe(true);
    await again.endAsync();
    expect(await refusal('sd-legacy', `${secret}x`)).toBe(4);
  });
});

describe('a disabled device and the rules engine', () => {
  it('forgets a disabled device (it cannot go "offline"), and watches it again once enabled', async () => {
    const secret = await fn.provisionDevice({ id: 'sd-forget', family: 'smoke_detector', siteId: 'jh-rmyy', heartbeatSec: 10 });
    const device = await fn.connectDevice('sd-forget', secret);
    await device.publishAsync(deviceTopic('sd-forget', 'events'), eventPayload('f-1', 'selftest'), { qos: 1 });
    await device.endAsync();
    await fn.api('/api/devices/sd-forget', { method: 'PATCH', body: { disabled: true } });
    // the engine's state is saved every 10 s: once saved after the disable, it no longer holds the device
    const watched = async () => {
      const saved = await fn.store.rules.loadEngineState(1);
      return saved ? (JSON.parse(saved) as { devices: { facts: { id: string } }[] }).devices.map((d) => d.facts.id) : [];
    };
    await eventually(async () => {
      const ids = await watched();
      return ids.includes('sd-jh') && !ids.includes('sd-forget');
    }, 15_000, 'engine state without sd-forget');
    await fn.api('/api/devices/sd-forget', { method: 'PATCH', body: { disabled: false } });
    await eventually(async () => (await watched()).includes('sd-forget'), 15_000, 'engine state with sd-forget');
  }, 40_000);
});

describe('per-device message rate', () => {
  it('drops a flooding device\'s messages past its rate, counts and logs it, while another device\'s alarm goes through', async () => {
    const floodSecret = await fn.provisionDevice({ id: 'cs-flood', family: 'charging_station', siteId: 'jh-rmyy' });
    const calmSecret = await fn.provisionDevice({ id: 'sd-calm', family: 'smoke_detector', siteId: 'jh-rmyy' });
    const flooder = await fn.connectDevice('cs-flood', floodSecret);
    const calm = await fn.connectDevice('sd-calm', calmSecret);
    const sent = 200;
    await Promise.all(Array.from({ length: sent }, (_, i) =>
      flooder.publishAsync(deviceTopic('cs-flood', 'telemetry'), JSON.stringify({ metrics: { temperature_c: 30 + (i % 5) }, port: 1 }), { qos: 1 })));
    await calm.publishAsync(deviceTopic('sd-calm', 'events'), eventPayload('calm-1', 'smoke.alarm'), { qos: 1 });

    const alarms = await fn.api<{ deviceId: string }[]>('/api/alarms?status=active&deviceId=sd-calm');
    expect(alarms.body.map((a) => a.deviceId)).toEqual(['sd-calm']);
    const stored = await fn.store.telemetry.count('cs-flood');
    expect(stored).toBeGreaterThanOrEqual(BURST);
    expect(stored).toBeLessThan(sent / 2);
    // counts reach the device in batches (every 2 s): wait for all of them, then for no more to come
    const flood = await eventually(async () => {
      const d = (await fn.api<{ throttled: number; lastThrottledAt: string | null }>('/api/devices/cs-flood')).body;
      return d.throttled >= sent - stored && d;
    }, 10_000, 'throttled count on the device');
    expect(flood.throttled).toBe(sent - stored);
    expect(flood.lastThrottledAt).not.toBeNull();
    expect((await fn.api<{ throttled: number }>('/api/devices/sd-calm')).body.throttled).toBe(0);
    // flagged once per spell over the rate (the bucket refills a little during the flood), not once per drop
    const flagged = fn.logs.filter((l) => l.msg === 'device over its message rate: messages dropped' && l.deviceId === 'cs-flood').length;
    expect(flagged).toBeGreaterThanOrEqual(1);
    expect(flagged).toBeLessThan(flood.throttled / 4);
    expect(flooder.connected).toBe(true);
  });
});

describe('payload and packet size caps', () => {
  it('reads a payload over MAX_PAYLOAD_BYTES but under the packet cap: acknowledged, counted on the device, connection kept', async () => {
    const secret = await fn.provisionDevice({ id: 'sd-chatty', family: 'smoke_detector', siteId: 'jh-rmyy' });
    const device = await fn.connectDevice('sd-chatty', secret);
    await device.publishAsync(deviceTopic('sd-chatty', 'events'), JSON.stringify({ id: 'big', type: 'smoke.alarm', pad: 'x'.repeat(20_000) }), { qos: 1 });
    const d = await eventually(async () => {
      const res = (await fn.api<{ badMessages: number; recentBadMessages: { reason: string }[] }>('/api/devices/sd-chatty')).body;
      return res.badMessages > 0 && res;
    }, 5000, 'the oversize payload counted');
    expect(d.recentBadMessages[0]!.reason).toMatch(/oversize: 200[0-9]{2} bytes > 8192/);
    expect(device.connected).toBe(true);
  });

  it('closes the connection of a signed-in device sending a packet over the cap, flags it on the device, and the others carry on', async () => {
    const bigSecret = await fn.provisionDevice({ id: 'sd-huge', family: 'smoke_detector', siteId: 'jh-rmyy' });
    const calmSecret = await fn.provisionDevice({ id: 'sd-calm-2', family: 'smoke_detector', siteId: 'jh-rmyy' });
    const big = await fn.connectDevice('sd-huge', bigSecret);
    const calm = await fn.connectDevice('sd-calm-2', calmSecret);
    const before = (await fn.api<{ gateway: { oversizePackets: number } }>('/api/health')).body.gateway.oversizePackets;
    const gone = closed(big);
    big.publish(deviceTopic('sd-huge', 'events'), Buffer.alloc(1024 * 1024, 0x20), { qos: 1 });
    await gone;
    const d = await eventually(async () => {
      const res = (await fn.api<{ badMessages: number; recentBadMessages: { reason: string; size: number }[] }>('/api/devices/sd-huge')).body;
      return res.badMessages > 0 && res;
    }, 5000, 'the oversize packet recorded on the device');
    expect(d.recentBadMessages[0]).toMatchObject({ reason: expect.stringMatching(/over the 65536-byte cap: connection closed/), size: expect.any(Number) });
    expect((await fn.api<{ gateway: { oversizePackets: number } }>('/api/health')).body.gateway.oversizePackets).toBe(before + 1);
    expect(await (await fetch(`${fn.httpUrl}/metrics`)).text()).toContain(`firenet_oversize_packets_total ${before + 1}`);
    expect(fn.logs.some((l) => l.msg === 'oversize MQTT packet' && l.deviceId === 'sd-huge')).toBe(true);
    await calm.publishAsync(deviceTopic('sd-calm-2', 'events'), eventPayload('calm-2-1', 'smoke.alarm'), { qos: 1 });
    expect((await fn.api<unknown[]>('/api/alarms?deviceId=sd-calm-2')).body).toHaveLength(1);
  });

  it('closes an unauthenticated connection whose first packet header announces 256 MB, without waiting for the body', async () => {
    const url = new URL(fn.mqttUrl);
    const socket = tcpConnect(Number(url.port), url.hostname);
    const closedSocket = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // CONNECT with a remaining length of 268,435,455 bytes (the MQTT maximum), and then nothing
    socket.write(Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f]));
    await closedSocket;
    expect(socket.destroyed).toBe(true);
  });
});

describe('bulk import from CSV', () => {
  it('reads a file Excel saved in GBK (GB18030) as well as UTF-8', async () => {
    const gbk = Buffer.concat([
      Buffer.from('id,family,model,institution,building,floor,zone,heartbeat_sec\r\nimp-gbk-1,smoke_detector,,jh-rmyy,'),
      Buffer.from([0xd7, 0xa1, 0xd4, 0xba, 0xc2, 0xa5]), // 住院楼 in GBK
      Buffer.from(',2F,,\r\n'),
    ]);
    const res = await importCsv(new Blob([gbk]));
    expect(res.status, res.text).toBe(201);
    expect((await fn.api<{ building: string }>('/api/devices/imp-gbk-1')).body.building).toBe('住院楼');
  });

  it('imports a good file all at once and returns each device\'s secret once, as a CSV download; the secrets connect', async () => {
    const csv = '\uFEFFid,family,model,institution,building,floor,zone,heartbeat_sec\r\n'
      + 'imp-sd-1,smoke_detector,JTY-GD-G3,jh-rmyy,住院楼,3F,"内科病房, 东",300\r\n'
      + 'imp-fp-1,fire_panel,,jh-rmyy,门诊楼,,,\r\n'
      + 'imp-cs-1,charging_station,,hd-rmyy,,,车棚,60\r\n';
    const res = await importCsv(csv);
    expect(res.status).toBe(201);
    expect(res.type).toMatch(/^text\/csv/);
    expect(res.disposition).toMatch(/^attachment; filename=".+\.csv"$/);
    const parsed = parseCsv(res.text);
    if (!parsed.ok) throw new Error(parsed.message);
    const [header, ...rows] = parsed.records.map((r) => r.fields);
    expect(header).toEqual(['id', 'secret']);
    expect(rows.map(([id]) => id)).toEqual(['imp-sd-1', 'imp-fp-1', 'imp-cs-1']);

    for (const [id, secret] of rows) {
      const client = await fn.connectDevice(id!, secret!);
      expect(client.connected).toBe(true);
    }
    const sd = (await fn.api('/api/devices/imp-sd-1')).body;
    expect(sd).toMatchObject({ family: 'smoke_detector', siteId: 'jh-rmyy', model: 'JTY-GD-G3', building: '住院楼', floor: '3F', zone: '内科病房, 东', heartbeatSec: 300 });
    expect((await fn.api('/api/devices/imp-fp-1')).body).toMatchObject({ model: null, floor: null, zone: null, heartbeatSec: 300 });
    expect((await fn.api('/api/devices/imp-cs-1')).body).toMatchObject({ siteId: 'hd-rmyy', heartbeatSec: 60 });
  });

  it('reports every bad row (line, field, message) and imports none of a file with bad rows', async () => {
    const csv = 'id,family,model,institution,building,floor,zone,heartbeat_sec\n'
      + 'bad-ok-1,smoke_detector,,jh-rmyy,,,,\n'
      + 'bad-2,toaster,,jh-rmyy,,,,\n'
      + 'bad-ok-2,smoke_detector,,jh-rmyy,,,,\n'
      + 'bad-4,smoke_detector,,no-such-site,,,,5\n';
    const res = await importCsv(csv);
    expect(res.status).toBe(400);
    const body = JSON.parse(res.text) as { code: string; message: string; rows: { line: number; field: string | null; code: string; params: Record<string, unknown>; message: string }[] };
    expect(body.rows.map((r) => [r.line, r.field])).toEqual([[3, 'family'], [5, 'institution'], [5, 'heartbeat_sec']]);
    // no words for people: a code and the values to word it (the dashboard words it); the English message is for API users
    expect(body.rows.map(({ code, params }) => ({ code, params }))).toEqual([
      { code: 'value.unknown_family', params: { value: 'toaster', allowed: 'smoke_detector,fire_panel,charging_station,hazmat_cabinet,transmission_device' } },
      { code: 'institution.unknown', params: { value: 'no-such-site' } },
      { code: 'value.too_small', params: { value: '5', min: 10 } },
    ]);
    expect(body.rows.every((r) => r.message.length > 0)).toBe(true);
    expect(body.code).toBe('import.invalid_rows');
    expect(body.message).toContain('nothing imported');
    for (const id of ['bad-ok-1', 'bad-2', 'bad-ok-2', 'bad-4']) expect((await fn.api(`/api/devices/${id}`)).status).toBe(404);
  });

  it('refuses duplicate and existing ids, a missing column, and callers who are not admins', async () => {
    const dup = await importCsv('id,family,institution\nimp-sd-1,smoke_detector,jh-rmyy\nnew-1,smoke_detector,jh-rmyy\nnew-1,smoke_detector,jh-rmyy\n');
    expect(dup.status).toBe(400);
    expect((JSON.parse(dup.text) as { rows: { line: number; field: string; code: string; params: object }[] }).rows.map((r) => [r.line, r.field, r.code, r.params])).toEqual([
      [2, 'id', 'id.exists', { value: 'imp-sd-1' }], [4, 'id', 'id.duplicate', { value: 'new-1', firstLine: 3 }],
    ]);
    expect((await fn.api('/api/devices/new-1')).status).toBe(404);

    const noFamily = await importCsv('id,institution\nx-1,jh-rmyy\n');
    expect(noFamily.status).toBe(400);
    expect((JSON.parse(noFamily.text) as { rows: { line: number; field: string }[] }).rows).toEqual([{ line: 1, field: 'family', code: 'column.missing', params: {}, message: 'required column missing' }]);

    // one problem per cell, each a code with its values; a file that is not CSV says where
    const cells = await importCsv(`id,family,institution,heartbeat_sec,zone\n,smoke_detector,jh-rmyy,abc,${'x'.repeat(129)}\nbad id,fire_panel,jh-rmyy,100000,\n`);
    expect((JSON.parse(cells.text) as { rows: { line: number; field: string; code: string; params: object }[] }).rows.map((r) => [r.line, r.field, r.code, r.params])).toEqual([
      [2, 'id', 'value.required', { value: '' }], [2, 'zone', 'value.too_long', { value: `${'x'.repeat(80)}…`, max: 128 }], [2, 'heartbeat_sec', 'value.not_integer', { value: 'abc' }],
      [3, 'id', 'value.bad_id', { value: 'bad id' }], [3, 'heartbeat_sec', 'value.too_large', { value: '100000', max: 86_400 }],
    ]);
    const quoted = JSON.parse((await importCsv('id,family,institution\n"q-1,smoke_detector,jh-rmyy\n')).text) as { rows: object[] };
    expect(quoted.rows).toEqual([{ line: 2, field: null, code: 'csv.unclosed_quote', params: {}, message: 'a quoted field is not closed' }]);
    const header = JSON.parse((await importCsv('id,family,institution,colour\n')).text) as { rows: object[] };
    expect(header.rows).toEqual([
      { line: 1, field: 'colour', code: 'column.unknown', params: { value: 'colour', columns: 'id,family,model,institution,building,floor,zone,heartbeat_sec,gb_address' }, message: expect.any(String) },
      { line: 1, field: null, code: 'file.no_devices', params: {}, message: expect.any(String) },
    ]);

    expect((await importCsv('id,family,institution\nm-1,smoke_detector,jh-rmyy\n', managerToken)).status).toBe(403);
    expect((await fn.api('/api/devices/m-1')).status).toBe(404);
  });
});

describe('MQTT over TLS', () => {
  it('accepts a device over mqtts:// on the TLS port with the configured certificate, and stores its alarm', async () => {
    expect(fn.gateway.tlsPort).toBeGreaterThan(0);
    const secret = await fn.provisionDevice({ id: 'sd-tls', family: 'smoke_detector', siteId: 'jh-rmyy' });
    const client = await mqtt.connectAsync(`mqtts://127.0.0.1:${fn.gateway.tlsPort}`, {
      clientId: 'sd-tls', username: 'sd-tls', password: secret, protocolVersion: 4, reconnectPeriod: 0, ca: cert, rejectUnauthorized: true,
    });
    try {
      await client.publishAsync(deviceTopic('sd-tls', 'events'), eventPayload('tls-1', 'smoke.alarm'), { qos: 1 });
      expect(await fn.store.countEvents('sd-tls')).toBe(1);
    } finally {
      await client.endAsync();
    }
  });

  it('refuses a TLS client that does not trust the certificate, and the gateway carries on', async () => {
    const err = await mqtt.connectAsync(`mqtts://127.0.0.1:${fn.gateway.tlsPort}`, {
      clientId: 'sd-tls', username: 'sd-tls', password: 'x', reconnectPeriod: 0, connectTimeout: 2000, rejectUnauthorized: true,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((await fn.api('/api/health')).status).toBe(200);
  });
});
