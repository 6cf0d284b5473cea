// Property-based fuzzing of the device edge with fast-check, against the real gateway and store: generated and mutated
// payloads on the events, telemetry and command-answer topics, and raw MQTT bytes. A fixed seed and a small count in
// `npm test`; `npm run fuzz` runs many more (FUZZ_RUNS). Properties: the process never crashes; every QoS 1 message is
// acknowledged in bounded time; a bad one is counted on the device; whatever passes validation is stored (never the
// "could not be stored" fallback); a good fire alarm sent after any of it is stored and acknowledged.
import { connect as tcpConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MqttClient } from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { deviceFamilies, eventData, metricNames, type DeviceFamily } from '../../contracts/device-api.js';
import { deviceTopic } from '../../contracts/topics.js';
import { eventPayload, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const SITE = 'fz-site';

let fn: TestFireNet;
const devices = new Map<DeviceFamily, { id: string; secret: string; client: MqttClient }>();
/** The device whose credentials the raw packets carry (its own, so the fuzzed sessions never take over the others'). */
let raw: { id: string; secret: string };

beforeAll(async () => {
  fn = await startTestFireNet();
  await fn.provisionSite(SITE, '220281', '蛟河市人民医院');
  for (const family of deviceFamilies) {
    const id = `fz-${family}`;
    const secret = await fn.provisionDevice({ id, family, siteId: SITE });
    devices.set(family, { id, secret, client: await fn.connectDevice(id, secret) });
  }
  raw = { id: 'fz-raw', secret: await fn.provisionDevice({ id: 'fz-raw', family: 'smoke_detector', siteId: SITE }) };
});
afterAll(async () => {
  await fn?.stop();
});

// ---- generators ----

const hostileText = fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\udc00', '\ud83d\ude00', '__proto__', 'constructor', 'toString',
  'hasOwnProperty', 'valueOf', '', ' ', '"', '\\', '\u2028', '😀'.repeat(40), 'x'.repeat(300));
const text = fc.oneof(hostileText, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 20 }));
const extremeNumber = fc.oneof(
  fc.constantFrom(0, -0, 1.7e308, -1.7e308, 5e-324, 9e15, 8.64e15 + 1, 253402300800000, Number.MAX_SAFE_INTEGER, -1, 2 ** 31, 2 ** 53 + 1),
  fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(),
);
const timestamp = fc.oneof(
  fc.constant(Date.now()), extremeNumber, text,
  fc.constantFrom('2026-11-30T08:00:00+08:00', '+010000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '1970-01-01T00:00:00Z', '2026-13-45T99:99:99Z'),
);
const leaf = fc.oneof(text, extremeNumber, fc.boolean(), fc.constant(null));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(text, fc.constantFrom('loop', 'point', 'zone', 'port', 'badges', 'code', 'message')), tie('value'), { maxKeys: 4 }),
})).value;
const deep = fc.integer({ min: 10, max: 600 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown);

const allTypes = [...new Set(deviceFamilies.flatMap((f) => Object.keys(eventData[f])))];
const eventType = fc.oneof(fc.constantFrom(...allTypes), hostileText, text);
const event = fc.record({
  id: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }).map((s) => `e-${s}`), text),
  ts: timestamp, type: eventType, data: fc.oneof(json, deep, fc.dictionary(text, leaf, { maxKeys: 3 })),
}, { requiredKeys: [] });
const telemetry = fc.record({
  ts: timestamp,
  metrics: fc.oneof(fc.dictionary(fc.oneof(fc.constantFrom(...metricNames), text), fc.oneof(extremeNumber, fc.boolean(), text), { maxKeys: 4 }), json),
  port: fc.oneof(fc.integer({ min: -5, max: 300 }), extremeNumber),
}, { requiredKeys: [] });
const commandAck = fc.record({ id: text, ok: fc.oneof(fc.boolean(), leaf), message: text }, { requiredKeys: [] });

/** Serialised, then sometimes mutated at the byte level: a flipped byte, a cut, invalid UTF-8 spliced in. */
const wire = (value: fc.Arbitrary<unknown>) => fc.tuple(value, fc.nat(), fc.integer({ min: 0, max: 4 })).map(([v, at, how]) => {
  const bytes = Buffer.from(JSON.stringify(v) ?? 'null');
  const i = bytes.length ? at % bytes.length : 0;
  switch (how) {
    case 1: return Buffer.concat([bytes.subarray(0, i), Buffer.from([bytes[i]! ^ 0xff]), bytes.subarray(i + 1)]);
    case 2: return bytes.subarray(0, i);
    case 3: return Buffer.concat([bytes.subarray(0, i), Buffer.from([0xed, 0xa0, 0x80]), bytes.subarray(i)]); // an encoded surrogate
    default: return bytes;
  }
});

// ---- helpers ----

type Outcome = 'acked' | 'closed' | 'timeout';
function publish(client: MqttClient, topic: string, payload: Buffer | string, ms = 5000): Promise<Outcome> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish('timeout'), ms);
    const onClose = () => finish('closed');
    const finish = (o: Outcome) => { clearTimeout(timer); client.off('close', onClose); resolve(o); };
    client.once('close', onClose);
    client.publish(topic, payload, { qos: 1 }, (err) => finish(err ? 'closed' : 'acked'));
  });
}

let goodAlarms = 0;
/** A real fire alarm from the device: it must be acknowledged and stored, whatever came before it. */
async function goodAlarmGoesThrough(family: DeviceFamily): Promise<void> {
  const { id, client } = devices.get(family)!;
  // a transmission device's events are its panel's (it may speak MQTT as well as GB/T 26875.3)
  const panel = family === 'fire_panel' || family === 'transmission_device';
  const type = panel ? 'fire.alarm' : family === 'smoke_detector' ? 'smoke.alarm' : family === 'charging_station' ? 'charger.smoke' : 'cabinet.leak';
  const data = panel ? { loop: 1, point: 1 } : family === 'charging_station' ? { port: 1 } : {};
  const before = await fn.store.countEvents(id);
  expect(await publish(client, deviceTopic(id, 'events'), eventPayload(`good-${++goodAlarms}`, type, data))).toBe('acked');
  expect(await fn.store.countEvents(id)).toBe(before + 1);
}

/** What the platform has taken so far: bad messages, events stored or recognised as redeliveries, readings stored. */
async function accepted() {
  const health = (await fn.api<{ ingest: { events: number; duplicates: number }; telemetry: { written: number } }>('/api/health')).body;
  return { bad: fn.gateway.stats.badMessages, events: health.ingest.events + health.ingest.duplicates, readings: health.telemetry.written };
}

function fuzzChannel(channel: 'events' | 'telemetry' | 'commands/ack', payloads: fc.Arbitrary<Buffer>) {
  return fc.asyncProperty(fc.constantFrom(...deviceFamilies), payloads, async (family, payload) => {
    const { id, client } = devices.get(family)!;
    const before = await accepted();
    const outcome = await publish(client, deviceTopic(id, channel), payload);
    expect(outcome, `payload ${JSON.stringify(payload.toString('latin1'))}`).toBe('acked');
    const after = await accepted();
    const bad = after.bad - before.bad;
    // each message is either counted as bad, or taken (an event stored or recognised as a redelivery, a reading stored)
    if (channel === 'events') expect(bad + (after.events - before.events)).toBe(1);
    else if (channel === 'telemetry') expect(bad + (after.readings - before.readings)).toBe(1);
    else expect(bad).toBeLessThanOrEqual(1);
    await goodAlarmGoesThrough(family);
  });
}

const unstorableLogged = () => fn.logs.filter((l) => l.msg === 'a device message passed validation but could not be stored');

describe('fuzzing device payloads', () => {
  it.each([
    ['events', wire(event)],
    ['telemetry', wire(telemetry)],
    ['commands/ack', wire(commandAck)],
  ] as const)('on %s: every message acknowledged, the bad ones counted, a good alarm after each goes through', async (channel, payloads) => {
    await fc.assert(fuzzChannel(channel, payloads), { seed: SEED, numRuns: RUNS });
    expect(unstorableLogged(), 'validation let through something the store could not keep').toEqual([]);
    for (const { client } of devices.values()) expect(client.connected).toBe(true);
  }, 600_000);
});

describe('fuzzing raw MQTT bytes', () => {
  const connectPacket = (id: string, secret: string) => mqttPacket.generate({
    cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: id, keepalive: 30, username: id, password: Buffer.from(secret),
  });
  const publishPacket = (id: string) => mqttPacket.generate({
    cmd: 'publish', topic: deviceTopic(id, 'events'), payload: Buffer.from(eventPayload('raw-1', 'smoke.alarm')), qos: 1, messageId: 7, retain: false, dup: false,
  });

  /** Random bytes, or a valid CONNECT (+ PUBLISH) with bytes flipped, cut or appended. */
  const packets = fc.oneof(
    fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
    fc.tuple(fc.boolean(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.option(fc.nat()), fc.uint8Array({ maxLength: 20 }))
      .map(([withPublish, flips, cut, tail]) => {
        const bytes = Buffer.concat([connectPacket(raw.id, raw.secret), withPublish ? publishPacket(raw.id) : Buffer.alloc(0)]);
        for (const [at, value] of flips) bytes[at % bytes.length] = value;
        const kept = cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
        return Buffer.concat([kept, Buffer.from(tail)]);
      }),
  );

  it('never crashes or wedges the broker: after each, a real device still connects and its alarm is stored', async () => {
    const port = Number(new URL(fn.mqttUrl).port);
    await fc.assert(fc.asyncProperty(packets, async (bytes) => {
      await new Promise<void>((resolve) => {
        const socket = tcpConnect(port, '127.0.0.1', () => socket.write(bytes));
        const done = () => { clearTimeout(timer); socket.destroy(); resolve(); };
        const timer = setTimeout(done, 150);
        socket.on('error', done);
        socket.on('close', done);
      });
      await goodAlarmGoesThrough('smoke_detector');
    }), { seed: SEED, numRuns: RUNS });
    const probe = await fn.connectDevice(devices.get('fire_panel')!.id, devices.get('fire_panel')!.secret);
    expect(probe.connected).toBe(true);
  }, 600_000);
});
