// Mosquitto's one subscriber, in its own process: events at QoS 1 (acknowledged), telemetry at QoS 0;
// it stamps each device's first event and counts telemetry, as the bare aedes does in-process.
import mqttPacket, { type Packet } from 'mqtt-packet';
import { now } from '../lib/clock.js';
import { send, serve } from '../lib/ipc.js';
import { open, type Target } from './mqtt-raw.js';

export interface SubscriberJob { target: Target }

const events = new Map<string, number>();
let telemetry = 0;
let lastAt = 0;
await serve<SubscriberJob>((command) => {
  if (command.type === 'count') send({ type: 'count', telemetry, events: events.size, at: now(), lastAt });
  if (command.type === 'report') send({ type: 'report', telemetry, events: [...events] });
  if (command.type === 'reset') { events.clear(); telemetry = 0; send({ type: 'reset' }); }
}).then(async (job) => {
  const client = await open(job.target, { id: 'bench-subscriber', secret: '' });
  const subscribed = new Promise<void>((resolve) => {
    client.onPacket = (packet: Packet) => {
      if (packet.cmd === 'suback') return resolve();
      if (packet.cmd !== 'publish') return;
      lastAt = now();
      const [, , , id, channel] = packet.topic.split('/');
      if (channel === 'telemetry') telemetry++;
      else if (!events.has(id!)) events.set(id!, lastAt);
      if (packet.qos === 1) client.write(mqttPacket.generate({ cmd: 'puback', messageId: packet.messageId! }));
    };
  });
  client.write(mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [
    { topic: 'firenet/v1/devices/+/events', qos: 1 }, { topic: 'firenet/v1/devices/+/telemetry', qos: 0 },
  ] }));
  await subscribed;
  send({ type: 'ready' });
});
