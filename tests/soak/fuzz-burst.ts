// One fuzz burst from a freshly provisioned device: every hostile payload of fuzz.ts at QoS 1, then
// a packet over the MQTT cap, then at once a good smoke.alarm that must be acknowledged. A payload
// FireNet can neither store nor refuse closes the connection without a PUBACK, and the device's
// MQTT stack sends it again after every reconnect: that shows here as cases never acknowledged and
// a good alarm stuck behind them, reported instead of waited for.
import mqtt from 'mqtt';
import { fuzzCases, overCapPayload } from './fuzz.js';
import { now, type FuzzCaseResult, type FuzzResult } from './protocol.js';

const CASES_ACK_MS = 20_000;
const GOOD_ACK_MS = 30_000;

const topic = (deviceId: string) => `firenet/v1/devices/${deviceId}/events`;

export async function fuzzBurst(opts: { mqttUrl: string; deviceId: string; secret: string; victimId: string; burst: number }): Promise<FuzzResult> {
  const { deviceId, burst } = opts;
  const client = mqtt.connect(opts.mqttUrl, {
    clientId: deviceId, username: deviceId, password: opts.secret, protocolVersion: 4,
    reconnectPeriod: 1000, connectTimeout: 5000, queueQoSZero: false, reconnectOnConnackError: true,
  });
  client.on('error', () => undefined); // refusals and resets are what a burst provokes; counted below
  let connects = 0;
  client.on('packetreceive', (p) => { if (p.cmd === 'connack') connects++; });
  const result: FuzzResult = { burst, deviceId, cases: [], goodEventId: `${deviceId}-good`, goodAcked: false, goodAckMs: null, connects: 0, error: null };
  try {
    await waitFor(() => client.connected, 30_000, 'fuzz device connected');
    const cases = fuzzCases(deviceId, Date.now());
    const results: FuzzCaseResult[] = cases.map((c) => ({ name: c.name, expect: c.expect, eventId: c.eventId, acked: false }));
    cases.forEach((c, i) => {
      client.publish(topic(c.otherDevice ? opts.victimId : deviceId), c.payload, { qos: 1 }, (err) => { if (!err) results[i]!.acked = true; });
    });
    await waitFor(() => results.every((r) => r.acked), CASES_ACK_MS, 'fuzz cases acknowledged').catch(() => undefined);
    result.cases = [...results, { name: 'over-packet-cap', expect: 'close', eventId: null, acked: false }];

    client.publish(topic(deviceId), overCapPayload(), { qos: 0 });
    const sent = now();
    const good = JSON.stringify({ id: result.goodEventId, ts: Date.now(), type: 'smoke.alarm', data: {} });
    client.publish(topic(deviceId), good, { qos: 1 }, (err) => {
      if (err) return;
      result.goodAcked = true;
      result.goodAckMs = now() - sent;
    });
    await waitFor(() => result.goodAcked, GOOD_ACK_MS, 'good alarm acknowledged').catch(() => undefined);
  } catch (err) {
    result.error = (err as Error).message;
  } finally {
    result.connects = connects;
    client.end(true);
  }
  return result;
}

async function waitFor(probe: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
