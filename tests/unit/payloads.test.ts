// The device contract (pure): every family's events and telemetry, good and bad.
import { describe, expect, it } from 'vitest';
import { parseCommandAck, parseEvent, parseTelemetry, type DeviceFamily } from '../../contracts/device-api.js';
import { parseDeviceTopic, deviceTopic } from '../../contracts/topics.js';
import { decodeJson } from '../../gateway/codecs/json.js';

const now = Date.UTC(2026, 10, 22, 8, 0, 0);
const ev = (type: string, data: Record<string, unknown> = {}) => ({ id: 'e1', ts: now, type, data });

describe('event envelopes per family', () => {
  const good: [DeviceFamily, string, Record<string, unknown>][] = [
    ['smoke_detector', 'smoke.alarm', {}], ['smoke_detector', 'smoke.clear', {}], ['smoke_detector', 'fault', { code: 'E07' }],
    ['smoke_detector', 'fault.clear', {}], ['smoke_detector', 'battery.low', {}], ['smoke_detector', 'tamper', {}], ['smoke_detector', 'selftest', {}],
    ['fire_panel', 'fire.alarm', { loop: 1, point: 23, zone: '住院楼3F', component: 'smoke' }], ['fire_panel', 'fire.clear', {}], ['fire_panel', 'panel.reset', {}],
    ['fire_panel', 'fault', {}], ['fire_panel', 'fault.clear', {}], ['fire_panel', 'isolation', { loop: 2, point: 5 }], ['fire_panel', 'isolation.clear', { loop: 2, point: 5 }],
    ['fire_panel', 'supervisory', {}], ['fire_panel', 'linkage.start', { loop: 3, point: 1 }], ['fire_panel', 'linkage.feedback', {}],
    ['fire_panel', 'power.main_fault', {}], ['fire_panel', 'power.backup_fault', {}],
    ['charging_station', 'charger.overtemp', { port: 2 }], ['charging_station', 'charger.overcurrent', { port: 0 }],
    ['charging_station', 'charger.smoke', { port: 9 }], ['charging_station', 'charger.power_off', { port: 2 }],
    ['hazmat_cabinet', 'cabinet.door_open', { badges: ['A1', 'B2'] }], ['hazmat_cabinet', 'cabinet.door_close', {}], ['hazmat_cabinet', 'cabinet.leak', {}],
  ];
  it.each(good)('%s accepts %s', (family, type, data) => {
    const parsed = parseEvent(family, ev(type, data));
    expect(parsed).toEqual({ ok: true, value: { id: 'e1', ts: now, type, data } });
  });

  it('accepts an ISO-8601 timestamp and normalises it to epoch ms', () => {
    const parsed = parseEvent('smoke_detector', { id: 'x', ts: '2026-11-22T08:00:00.000Z', type: 'smoke.alarm', data: {} });
    expect(parsed.ok && parsed.value.ts).toBe(now);
  });

  const bad: [string, DeviceFamily, unknown, RegExp][] = [
    ['a type of another family', 'smoke_detector', ev('fire.alarm', { loop: 1, point: 1 }), /unknown event type "fire.alarm" for smoke_detector/],
    ['an unknown type', 'hazmat_cabinet', ev('cabinet.explode'), /unknown event type/],
    ['a panel alarm without its point', 'fire_panel', ev('fire.alarm', { loop: 1 }), /data\.point/],
    ['a charger event without its port', 'charging_station', ev('charger.overtemp', {}), /data\.port/],
    ['a door opening without badges', 'hazmat_cabinet', ev('cabinet.door_open', {}), /data\.badges/],
    ['a missing id', 'smoke_detector', { ts: now, type: 'smoke.alarm', data: {} }, /^id:/],
    ['a timestamp in seconds', 'smoke_detector', { id: 'a', ts: 1_700_000_000, type: 'smoke.alarm' }, /^ts:/],
    ['a non-object data', 'smoke_detector', { id: 'a', ts: now, type: 'smoke.alarm', data: [1] }, /^data:/],
    ['an array', 'smoke_detector', [], /\(root\)/],
  ];
  it.each(bad)('refuses %s with a reason naming the field', (_name, family, input, reason) => {
    const parsed = parseEvent(family, input);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });
});

describe('telemetry frames', () => {
  it('accepts numeric and boolean metrics with an optional port', () => {
    expect(parseTelemetry({ ts: now, metrics: { temperature_c: 41.5, current_a: 3.2, voltage_v: 221 }, port: 3 }).ok).toBe(true);
    expect(parseTelemetry({ metrics: { door_open: false, locked: true, fan_on: true, voc_ppm: 12 } }).ok).toBe(true);
  });
  it('refuses unknown metrics, non-numbers, empty metrics and extra fields', () => {
    for (const input of [
      { ts: now, metrics: { flux: 1 } },
      { ts: now, metrics: { battery_pct: '80' } },
      { ts: now, metrics: {} },
      { ts: now, metrics: { battery_pct: 80 }, extra: 1 },
    ]) expect(parseTelemetry(input).ok, JSON.stringify(input)).toBe(false);
  });
});

describe('topics, codec and command acks', () => {
  it('parses only concrete device topics', () => {
    expect(parseDeviceTopic(deviceTopic('sd-1', 'commands/ack'))).toEqual({ deviceId: 'sd-1', channel: 'commands/ack' });
    expect(parseDeviceTopic('firenet/v1/devices/sd-1/other')).toBeNull();
    expect(parseDeviceTopic('firenet/v1/devices//events')).toBeNull();
    expect(parseDeviceTopic('elsewhere/sd-1/events')).toBeNull();
  });
  it('caps payload size before parsing', () => {
    expect(decodeJson(Buffer.alloc(9000, 0x20), 8192)).toEqual({ ok: false, reason: 'oversize: 9000 bytes > 8192' });
    expect(decodeJson(Buffer.from(''), 8192).ok).toBe(false);
    expect(decodeJson(Buffer.from('{"a":1}'), 8192)).toEqual({ ok: true, value: { a: 1 } });
  });
  it('refuses what cannot be stored, whether or not the text looks plain', () => {
    const nested = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    expect(decodeJson(Buffer.from(nested(16)), 8192).ok).toBe(true);
    expect(decodeJson(Buffer.from(nested(17)), 8192)).toEqual({ ok: false, reason: `${Array(16).fill('a').join('.')}: nested deeper than 16 levels` });
    expect(decodeJson(Buffer.from('{"zone":"x\\u0000"}'), 8192)).toEqual({ ok: false, reason: 'zone: NUL or unpaired surrogate in text' });
    expect(decodeJson(Buffer.from('{"id":"p-\\ud800"}'), 8192)).toEqual({ ok: false, reason: 'id: NUL or unpaired surrogate in text' });
    expect(decodeJson(Buffer.from('{"a\\u0000":1}'), 8192)).toEqual({ ok: false, reason: '(root): NUL or unpaired surrogate in a key' });
    // escapes that are fine, and brackets in text that only look deep
    expect(decodeJson(Buffer.from('{"note":"\\ud83d\\ude00 \\u706b"}'), 8192)).toEqual({ ok: true, value: { note: '\ud83d\ude00 火' } });
    expect(decodeJson(Buffer.from(JSON.stringify({ note: '['.repeat(40) })), 8192)).toEqual({ ok: true, value: { note: '['.repeat(40) } });
    // a surrogate encoded in UTF-8 is not UTF-8
    expect(decodeJson(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), 8192)).toEqual({ ok: false, reason: 'not UTF-8' });
  });
  it('validates command acks', () => {
    expect(parseCommandAck({ id: 'c1', ok: true }).ok).toBe(true);
    expect(parseCommandAck({ id: 'c1' }).ok).toBe(false);
  });
});
