// Charging stations sending telemetry (QoS 0), in their own process. Paced: `ratePerSec` readings a
// second spread over the devices until "stop". Flat out: `perDevice` readings from every device as fast
// as the broker reads them (each socket waits for its drain), then "done".
import { now } from '../lib/clock.js';
import { send, serve } from '../lib/ipc.js';
import { openAll, publishPacket, topicOf, type Credentials, type RawClient, type Target } from './mqtt-raw.js';

export interface TelemetryJob { target: Target; devices: Credentials[]; ratePerSec?: number; perDevice?: number }

const PAYLOAD = '{"metrics":{"temperature_c":30,"current_a":5,"voltage_v":220},"port":1}';
/** Readings written to a socket at once when flat out (one buffer, so the generator is not the bottleneck). */
const CHUNK = 20;
const TICK_MS = 10;

let clients: RawClient[] = [];
let stopped = false;
let sent = 0;
let startedAt = 0;

const job: TelemetryJob = await serve<TelemetryJob>(async (command): Promise<void> => {
  if (command.type === 'stop') {
    stopped = true;
    send({ type: 'stopped', sent, ms: now() - startedAt });
  }
  if (command.type !== 'go') return;
  startedAt = now();
  if (job.ratePerSec) return paced(job.ratePerSec);
  await Promise.all(clients.map((c, i) => flatOut(c, packets[i]!, job.perDevice ?? 0)));
  send({ type: 'done', sent, ms: now() - startedAt });
});
const packets = job.devices.map((d) => publishPacket(topicOf(d.id, 'telemetry'), PAYLOAD, 0));
clients = await openAll(job.target, job.devices);
send({ type: 'ready', connected: clients.length });

/** Round-robin over the devices, each device's readings of one tick written as one buffer. */
function paced(ratePerSec: number): void {
  let cursor = 0;
  const tick = () => {
    if (stopped) return;
    const due = Math.floor(((now() - startedAt) / 1000) * ratePerSec) - sent;
    const perClient = new Map<number, number>();
    for (let k = 0; k < due; k++) {
      perClient.set(cursor, (perClient.get(cursor) ?? 0) + 1);
      cursor = (cursor + 1) % clients.length;
    }
    for (const [i, n] of perClient) clients[i]!.write(n === 1 ? packets[i]! : Buffer.concat(Array(n).fill(packets[i]!)));
    sent += Math.max(0, due);
    setTimeout(tick, TICK_MS);
  };
  tick();
}

async function flatOut(client: RawClient, packet: Buffer, count: number): Promise<void> {
  const chunk = Buffer.concat(Array(CHUNK).fill(packet));
  for (let left = count; left > 0 && !stopped;) {
    const n = Math.min(CHUNK, left);
    const ok = client.write(n === CHUNK ? chunk : chunk.subarray(0, n * packet.length));
    left -= n;
    sent += n;
    if (!ok) await client.drained();
    else if (left % (CHUNK * 10) === 0) await new Promise((r) => setImmediate(r)); // let the other sockets write too
  }
}
