// A load generator in its own process (so it does not share FireNet's event loop): connects the
// given devices, says "connected", publishes `count` telemetry readings (QoS 0) round-robin as fast
// as the broker takes them, then prints one JSON line and exits.
import mqtt from 'mqtt';

interface Job { url: string; devices: { id: string; secret: string; topic: string }[]; count: number; auth: boolean }

const job = JSON.parse(process.argv[2]!) as Job;
const clients = await Promise.all(job.devices.map((d) => mqtt.connectAsync(job.url, {
  clientId: d.id, ...(job.auth ? { username: d.id, password: d.secret } : {}), protocolVersion: 4, reconnectPeriod: 0,
})));
process.stdout.write('connected\n');
const started = performance.now();
const base = Date.now();
for (let i = 0; i < job.count; i++) {
  const c = i % clients.length;
  // normal readings (a port at 30-40 °C): the benchmark measures ingest, not a fleet on fire
  const payload = `{"ts":${base + Math.floor(i / clients.length)},"metrics":{"temperature_c":${(30 + (i % 10)).toFixed(1)},"current_a":${(i % 9).toFixed(1)},"voltage_v":220}}`;
  const ok = clients[c]!.publish(job.devices[c]!.topic, payload, { qos: 0 });
  // respect backpressure every so often so the socket buffers stay bounded
  if (i % 500 === 499 || !ok) await new Promise((r) => setImmediate(r));
}
await Promise.all(clients.map((c) => c.endAsync()));
process.stdout.write(`${JSON.stringify({ sentMs: performance.now() - started })}\n`);
