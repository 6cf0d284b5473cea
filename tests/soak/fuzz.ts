// The hostile payloads of a fuzz burst, each with what FireNet is expected to do with it.
// Pure data: the burst itself (publish, wait for PUBACKs) is fuzz-burst.ts.
import type { FuzzExpect } from './protocol.js';

export interface FuzzCase {
  name: string;
  expect: FuzzExpect;
  /** The event id inside the payload, when it has one: checked against the events table at the end. */
  eventId: string | null;
  payload: Buffer;
  /** Publish under this device's topic instead of the fuzz device's own. */
  otherDevice?: boolean;
}

const text = (s: string) => Buffer.from(s, 'utf8');
const json = (v: unknown) => text(JSON.stringify(v));

/** The burst's QoS 1 cases, ids prefixed by `prefix` so every burst's are distinct. */
export function fuzzCases(prefix: string, now: number): FuzzCase[] {
  const id = (name: string) => `${prefix}-${name}`;
  const event = (name: string, fields: Record<string, unknown>) =>
    ({ id: id(name), ts: now, type: 'selftest', data: {}, ...fields });
  const cases: FuzzCase[] = [];
  const add = (name: string, expect: FuzzExpect, payload: Buffer, eventId: string | null = id(name), otherDevice = false) =>
    cases.push({ name, expect, eventId, payload, ...(otherDevice ? { otherDevice } : {}) });

  // text PostgreSQL cannot keep: refused by the codec before anything tries to store it
  add('nul-escape', 'refuse', text(`{"id":"${id('nul-escape')}","ts":${now},"type":"selftest","data":{"note":"a\\u0000b"}}`));
  add('nul-byte', 'refuse', Buffer.concat([text(`{"id":"${id('nul-byte')}","ts":${now},"type":"selftest","data":{"note":"a`), Buffer.from([0]), text('b"}}')]));
  add('lone-surrogate', 'refuse', text(`{"id":"${id('lone-surrogate')}","ts":${now},"type":"selftest","data":{"note":"\\ud800"}}`));
  add('lone-surrogate-id', 'refuse', text(`{"id":"${id('lone-surrogate-id')}\\udc00","ts":${now},"type":"selftest","data":{}}`), null);
  add('invalid-utf8', 'refuse', Buffer.concat([text(`{"id":"${id('invalid-utf8')}","ts":${now},"type":"selftest","data":{"note":"`), Buffer.from([0xff, 0xfe, 0xc3]), text('"}}')]));
  // timestamps a schema may pass but no timestamptz can hold
  add('ts-9e15', 'either', json(event('ts-9e15', { ts: 9e15 })));
  add('ts-max-safe', 'either', json(event('ts-max-safe', { ts: Number.MAX_SAFE_INTEGER })));
  add('ts-1e308', 'either', text(`{"id":"${id('ts-1e308')}","ts":1e308,"type":"selftest","data":{}}`));
  add('ts-iso-far', 'either', json(event('ts-iso-far', { ts: '+275760-09-13T00:00:00.000Z' })));
  add('ts-negative', 'refuse', json(event('ts-negative', { ts: -1 })));
  // prototype keys where a type or a record is looked up
  add('type-proto-bare', 'refuse', text('{"type":"__proto__"}'), null);
  add('type-proto', 'refuse', json(event('type-proto', { type: '__proto__' })));
  add('type-constructor', 'refuse', json(event('type-constructor', { type: 'constructor' })));
  add('data-proto-keys', 'store', text(`{"id":"${id('data-proto-keys')}","ts":${now},"type":"selftest","data":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}`));
  // numbers: huge, beyond double (Infinity once parsed), more digits than a double holds
  add('huge-numbers', 'store', text(`{"id":"${id('huge-numbers')}","ts":${now},"type":"selftest","data":{"big":1e308,"neg":-1e308,"inf":1e999,"long":123456789012345678901234567890}}`));
  // shapes and sizes
  add('deep-nesting', 'refuse', json(event('deep-nesting', { data: { n: JSON.parse('['.repeat(100) + ']'.repeat(100)) } })));
  add('oversize-payload', 'refuse', json(event('oversize-payload', { data: { pad: 'x'.repeat(20_000) } })));
  add('not-json', 'refuse', text(`{"id":"${id('not-json')}","ts":`));
  add('empty', 'refuse', Buffer.alloc(0), null);
  add('data-array', 'refuse', json(event('data-array', { data: [] })));
  add('id-too-long', 'refuse', json(event('id-too-long', { id: `${id('id-too-long')}-${'x'.repeat(64)}` })), null);
  add('fault-message-too-long', 'refuse', json(event('fault-message-too-long', { type: 'fault', data: { message: 'm'.repeat(300) } })));
  // odd but valid: must be stored as sent
  add('id-sql', 'store', json(event('id-sql', { id: `${id('sql')}');drop table device_events;--` })), `${id('sql')}');drop table device_events;--`);
  add('id-emoji', 'store', json(event('id-emoji', { id: '🔥'.repeat(32) })), '🔥'.repeat(32));
  // a valid alarm under another device's topic: acknowledged, stored under neither device
  add('other-device-topic', 'drop', json(event('other-device-topic', { type: 'smoke.alarm' })), id('other-device-topic'), true);
  return cases;
}

/** Over MQTT_MAX_PACKET_BYTES (64 KiB by default): FireNet closes the connection when its header arrives. */
export function overCapPayload(): Buffer {
  return Buffer.alloc(100 * 1024, 0x20);
}
