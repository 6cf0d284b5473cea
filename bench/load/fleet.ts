// A fleet of devices that behave as real ones do, in its own process: mqtt.js clients that reconnect when their
// connection drops (through HAProxy, to whichever node is alive) and send again every QoS 1 event not yet
// acknowledged. It streams events at a steady rate over all devices and records which were acknowledged, so the
// failover test and `npm run bench -- --cluster N` can check that every acknowledged event was stored, once.
import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic } from '../../contracts/topics.js';
import { send, serve } from '../lib/ipc.js';

export interface FleetJob {
  url: string;
  devices: { id: string; secret: string }[];
  /** The event every device streams (one its family may send, stored and decided on, raising nothing). */
  eventType: string;
}

/** What the fleet tells of itself: connections now, drops and reconnections so far, events sent and acknowledged. */
export interface FleetStatus {
  type: string;
  connected: number;
  drops: number;
  reconnects: number;
  /** When the last device (re)connected, ms since epoch. */
  lastConnectAt: number;
  sent: number;
  acked: number;
}

/** The answer to `finish`: every event acknowledged (ids), those still waiting (at most 20), and resends. */
export interface FleetFinished extends FleetStatus { ids: string[]; waiting: string[]; resent: number; reconnectedAt: number[] }

const CONNECT_WINDOW = 250; // sign-ins unanswered at a time on the first connection
const TICK_MS = 20;

const clients: MqttClient[] = [];
const acked: string[] = [];
let sent = 0;
let drops = 0;
/** When each reconnection was signed in (its CONNACK), ms since epoch. */
const reconnectedAt: number[] = [];
let lastConnectAt = 0;
let streaming: NodeJS.Timeout | null = null;
/** Streamed events not acknowledged yet, and how many times one was sent again after mqtt.js gave it up. */
const waiting = new Set<string>();
let resent = 0;

const status = (): FleetStatus => ({
  type: 'status', connected: clients.filter((c) => c.connected).length, drops, reconnects: reconnectedAt.length, lastConnectAt, sent, acked: acked.length,
});

function connectOne(device: { id: string; secret: string }): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(job.url, {
      clientId: device.id, username: device.id, password: device.secret,
      // a device that loses its node tries again a second later (and a little apart from the others)
      reconnectPeriod: 1000 + Math.floor(Math.random() * 500), connectTimeout: 10_000, keepalive: 60, clean: true,
    });
    let first = true;
    // signed in again when the CONNACK arrives (mqtt.js's own 'connect' waits until it has re-sent what was unanswered)
    client.on('packetreceive', (packet) => {
      if (packet.cmd !== 'connack' || first || (packet as { returnCode?: number }).returnCode !== 0) return;
      lastConnectAt = Date.now();
      reconnectedAt.push(lastConnectAt);
    });
    client.on('connect', () => {
      if (!first) return;
      first = false;
      lastConnectAt = Date.now();
      clients.push(client);
      resolve(client);
    });
    client.on('close', () => { if (!first) drops++; });
    client.on('error', (err) => { if (first) { client.end(true); reject(new Error(`${device.id}: ${err.message}`)); } });
  });
}

/**
 * QoS 1: kept by mqtt.js until its PUBACK and sent again after a reconnection; one that mqtt.js gives up on (it
 * fails what was queued behind a resend when the connection drops again) is sent again, as a device's firmware does.
 */
function deliver(client: MqttClient, type: string, id = `${client.options.clientId}-${sent++}`): Promise<string> {
  const payload = JSON.stringify({ id, ts: Date.now(), type, data: {} });
  waiting.add(id);
  return new Promise((resolve) => {
    const attempt = () => client.publish(deviceTopic(client.options.clientId!, 'events'), payload, { qos: 1 }, (err) => {
      if (err) {
        resent++;
        setTimeout(attempt, 200);
        return;
      }
      waiting.delete(id);
      acked.push(id);
      resolve(id);
    });
    attempt();
  });
}

function stream(perSec: number): void {
  let next = 0;
  let owed = 0;
  let last = Date.now();
  streaming = setInterval(() => {
    const now = Date.now();
    owed += ((now - last) * perSec) / 1000;
    last = now;
    for (; owed >= 1; owed--) void deliver(clients[next++ % clients.length]!, job.eventType);
  }, TICK_MS);
}

const job: FleetJob = await serve<FleetJob>(async (command) => {
  if (command.type === 'connect') {
    const queue = [...job.devices];
    const failures: string[] = [];
    await Promise.all(Array.from({ length: CONNECT_WINDOW }, async () => {
      for (let d = queue.shift(); d; d = queue.shift()) await connectOne(d).catch((err: Error) => failures.push(err.message));
    }));
    return send({ ...status(), type: 'connected', failures: failures.slice(0, 10), failed: failures.length });
  }
  if (command.type === 'stream') {
    stream(Number(command.perSec));
    return send({ type: 'streaming' });
  }
  if (command.type === 'status') return send(status());
  if (command.type === 'saturate') {
    // every device sends its next event as soon as the last is acknowledged, for `ms`: events stored per second
    const until = Date.now() + Number(command.ms);
    const startedAt = Date.now();
    let done = 0;
    await Promise.all(clients.map(async (client) => {
      while (Date.now() < until) {
        await deliver(client, job.eventType);
        done++;
      }
    }));
    return send({ type: 'saturated', acked: done, ms: Date.now() - startedAt });
  }
  if (command.type === 'fire') {
    // the first `count` devices each report a fire (QoS 1), answered once every one is acknowledged
    const fired: string[] = [];
    const all = Promise.all(clients.slice(0, Number(command.count)).map(async (client) => {
      await deliver(client, 'smoke.alarm', `${client.options.clientId}-fire`);
      fired.push(client.options.clientId!);
    }));
    await Promise.race([all, new Promise((r) => setTimeout(r, Number(command.timeoutMs ?? 60_000)))]);
    return send({ type: 'fired', devices: fired });
  }
  if (command.type === 'finish') {
    // no more new events; wait until every one sent is acknowledged (devices resend after reconnecting)
    if (streaming) clearInterval(streaming);
    const deadline = Date.now() + Number(command.timeoutMs ?? 60_000);
    while (waiting.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return send({ ...status(), type: 'finished', ids: acked, resent, waiting: [...waiting].slice(0, 20), reconnectedAt });
  }
  if (command.type === 'close') {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    return send({ type: 'closed' });
  }
});
send({ type: 'ready' });
