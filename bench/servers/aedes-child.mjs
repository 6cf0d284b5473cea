// The bare aedes reference, in its own process: the broker FireNet's gateway is built on, with nothing
// of FireNet's (no sign-in check, no validation, no storage, no subscriber). It counts what it has
// processed in-process, where the broker's own 'publish' event fires, and stamps each device's first
// event on the bench's shared monotonic clock. Plain JavaScript on plain node, like FireNet's built
// dist: a TypeScript loader thread would add to its memory figures.
import { createServer } from 'node:net';
import { Aedes } from 'aedes';

const now = () => Number(process.hrtime.bigint() / 1000n) / 1000;
const events = new Map();
let telemetry = 0;
let lastAt = 0;

const broker = await Aedes.createBroker({ maxClientsIdLength: 64 }); // as FireNet's gateway: device ids may be long
broker.on('publish', (packet, client) => {
  if (!client) return; // aedes' own $SYS messages
  lastAt = now();
  const [, , , id, channel] = packet.topic.split('/');
  if (channel === 'telemetry') telemetry++;
  else if (!events.has(id)) events.set(id, lastAt);
});
const server = createServer(broker.handle);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

process.on('message', (command) => {
  if (command.type === 'count') process.send({ type: 'count', telemetry, events: events.size, at: now(), lastAt });
  if (command.type === 'report') process.send({ type: 'report', telemetry, events: [...events] });
  if (command.type === 'reset') { events.clear(); telemetry = 0; process.send({ type: 'reset' }); }
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'hello' }); // the bench then sends a job, which this reference does not need
process.send({ type: 'ready', port: server.address().port });
