// The alarm storm's detectors, in their own process: they connect; on "heartbeat" each sends one reading
// (QoS 0), as a detector of a running fleet does every minute; then on "go" each publishes one QoS 1
// smoke.alarm in the same tick; every publish and its PUBACK are stamped on the shared monotonic clock.
import { now } from '../lib/clock.js';
import { send, serve } from '../lib/ipc.js';
import { openAll, publishPacket, topicOf, type Credentials, type RawClient, type Target } from './mqtt-raw.js';

export interface DetectorsJob { target: Target; devices: Credentials[] }
export interface Alarmed { id: string; sentAt: number; ackedAt: number | null }

let clients: RawClient[] = [];
const HEARTBEAT = '{"metrics":{"battery_pct":95,"rssi_dbm":-67}}';

const job: DetectorsJob = await serve<DetectorsJob>((command): void => {
  if (command.type === 'heartbeat') {
    clients.forEach((client, i) => client.write(publishPacket(topicOf(job.devices[i]!.id, 'telemetry'), HEARTBEAT, 0)));
    return;
  }
  if (command.type !== 'go') return;
  const ts = Date.now();
  const packets = job.devices.map((d) => publishPacket(topicOf(d.id, 'events'), JSON.stringify({ id: `storm-${d.id}-${ts}`, ts, type: 'smoke.alarm', data: {} }), 1, 1));
  const sent: Alarmed[] = job.devices.map((d) => ({ id: d.id, sentAt: 0, ackedAt: null }));
  let acked = 0;
  const finish = () => { clearTimeout(timer); send({ type: 'done', sent }); };
  const timer = setTimeout(finish, 60_000);
  clients.forEach((client, i) => {
    client.onPacket = (packet) => {
      if (packet.cmd !== 'puback' || sent[i]!.ackedAt !== null) return;
      sent[i]!.ackedAt = now();
      if (++acked === sent.length) finish();
    };
  });
  for (let i = 0; i < clients.length; i++) {
    sent[i]!.sentAt = now();
    clients[i]!.write(packets[i]!);
  }
});
clients = await openAll(job.target, job.devices);
send({ type: 'ready', connected: clients.length });
