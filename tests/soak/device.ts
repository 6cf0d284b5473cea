// One simulated smoke detector of the load generator: QoS 1 events at random intervals and a
// little QoS 0 telemetry. It remembers every event id FireNet acknowledged (PUBACK), which the
// harness later looks for in the events table. Reconnecting and sending unacknowledged events
// again is mqtt.js's own behaviour, as on a real device: every QoS 1 publish stays in its outgoing
// store until its PUBACK and is sent again (DUP) after each reconnect.
import mqtt, { type MqttClient } from 'mqtt';
import { now, type PendingEvent } from './protocol.js';

/** Event mix of a detector in a busy hospital: mostly self-tests and faults, some fire alarms. */
const EVENT_MIX: [type: string, weight: number][] = [
  ['selftest', 30], ['smoke.alarm', 15], ['fault', 15], ['fault.clear', 15], ['battery.low', 10], ['tamper', 10], ['smoke.clear', 5],
];
const TOTAL_WEIGHT = EVENT_MIX.reduce((s, [, w]) => s + w, 0);
const TELEMETRY_EVERY_MS = 15_000;

function pickType(): string {
  let r = Math.random() * TOTAL_WEIGHT;
  for (const [type, w] of EVENT_MIX) if ((r -= w) < 0) return type;
  return 'selftest';
}

export class SoakDevice {
  readonly acked: string[] = [];
  published = 0;
  connacks = 0;
  private readonly pending = new Map<string, { type: string; at: number }>();
  private readonly client: MqttClient;
  private timer: NodeJS.Timeout | null = null;
  private telemetryTimer: NodeJS.Timeout | null = null;
  private seq = 0;
  private closed = false;

  constructor(readonly id: string, secret: string, mqttUrl: string, private readonly onAlarmSent: (eventId: string, at: number) => void) {
    this.client = mqtt.connect(mqttUrl, {
      clientId: id, username: id, password: secret, protocolVersion: 4,
      reconnectPeriod: 1000, connectTimeout: 5000, keepalive: 30, queueQoSZero: false,
      // keep trying after a refused CONNACK (3, server unavailable, while FireNet's database is down);
      // mqtt.js 5 gives up on the first one otherwise
      reconnectOnConnackError: true,
    });
    this.client.on('error', () => undefined); // refused CONNACKs while the database is down: reconnecting is the point
    this.client.on('packetreceive', (p) => { if (p.cmd === 'connack' && p.returnCode === 0) this.connacks++; });
  }

  get connected(): boolean { return this.client.connected; }
  get pendingCount(): number { return this.pending.size; }

  pendingEvents(): PendingEvent[] {
    const t = now();
    return [...this.pending].map(([eventId, p]) => ({ deviceId: this.id, eventId, type: p.type, ageMs: t - p.at }));
  }

  /** Publishes about `perMin` events a minute (uniformly jittered intervals) until stop(). */
  start(perMin: number): void {
    const mean = 60_000 / perMin;
    const next = () => { this.timer = setTimeout(() => { this.publishEvent(); next(); }, mean * (0.5 + Math.random())); };
    next();
    const telemetry = () => {
      this.client.publish(`firenet/v1/devices/${this.id}/telemetry`, JSON.stringify({ metrics: { battery_pct: 80 + Math.round(Math.random() * 20), smoke_db_m: Number((Math.random() * 0.02).toFixed(3)) } }), { qos: 0 });
    };
    this.telemetryTimer = setInterval(telemetry, TELEMETRY_EVERY_MS * (0.8 + Math.random() * 0.4));
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.telemetryTimer) clearInterval(this.telemetryTimer);
    this.timer = this.telemetryTimer = null;
  }

  close(): void {
    this.closed = true;
    this.stop();
    this.client.end(true);
  }

  private publishEvent(): void {
    const eventId = `e${++this.seq}`;
    const type = pickType();
    const at = now();
    const payload = JSON.stringify({ id: eventId, ts: Date.now(), type, data: type === 'fault' ? { code: 'E42' } : {} });
    this.pending.set(eventId, { type, at });
    this.published++;
    if (type === 'smoke.alarm') this.onAlarmSent(eventId, at);
    this.send(eventId, payload);
  }

  private send(eventId: string, payload: string): void {
    this.client.publish(`firenet/v1/devices/${this.id}/events`, payload, { qos: 1 }, (err) => {
      if (!err) {
        if (this.pending.delete(eventId)) this.acked.push(eventId);
        return;
      }
      // mqtt.js gave up on it (its store failed): the device sends it again itself, same id
      if (!this.closed) setTimeout(() => this.send(eventId, payload), 1000);
    });
  }
}
