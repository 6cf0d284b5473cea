// The soak's load generator, in a process of its own so that its work never shows up as the
// harness's (or FireNet's) event-loop lag. Provisions sites and smoke detectors through the API,
// publishes until told to stop, runs fuzz bursts on request, and reports over IPC (protocol.ts).
import { AdminApi } from './api.js';
import { SoakDevice } from './device.js';
import { fuzzBurst } from './fuzz-burst.js';
import type { FinalReport, FromLoad, LoadJob, LoadStats, ToLoad } from './protocol.js';

const SITES = 4;
/** 蛟河市, a county of the demo province, so the soak's sites sit among the demo's. */
const REGION = '220281';
const PROVISION_PATIENCE_MS = 60_000;

const job = JSON.parse(process.argv[2] ?? '{}') as LoadJob;
const send = (m: FromLoad) => process.send?.(m);
const api = new AdminApi(job.httpUrl, job.adminPassword);
const devices: SoakDevice[] = [];

// Ctrl-C reaches the whole process group; the harness decides when this process ends.
process.on('SIGINT', () => undefined);
process.on('disconnect', () => process.exit(0)); // the harness is gone

async function provision(): Promise<void> {
  for (let s = 1; s <= SITES; s++) {
    const res = await api.callPatiently('POST', '/api/sites', { id: `soak-site-${s}`, name: `压测医院 ${s} (soak)`, regionCode: REGION }, PROVISION_PATIENCE_MS);
    if (res.status !== 201 && res.status !== 409) throw new Error(`POST /api/sites soak-site-${s}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  for (let i = 1; i <= job.devices; i++) {
    const id = `soak-sd-${String(i).padStart(3, '0')}`;
    const secret = await provisionDevice(id, `soak-site-${1 + (i % SITES)}`, `压测区 ${i}`);
    devices.push(new SoakDevice(id, secret, job.mqttUrl, (eventId, at) => send({ kind: 'alarm-sent', deviceId: id, eventId, at })));
  }
}

async function provisionDevice(id: string, siteId: string, zone: string): Promise<string> {
  const res = await api.callPatiently<{ secret?: string }>('POST', '/api/devices', { id, family: 'smoke_detector', siteId, zone }, PROVISION_PATIENCE_MS);
  if (res.status !== 201 || !res.body.secret) throw new Error(`POST /api/devices ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.secret;
}

function stats(): LoadStats {
  const pending = devices.flatMap((d) => d.pendingEvents()).sort((a, b) => b.ageMs - a.ageMs);
  return {
    published: devices.reduce((s, d) => s + d.published, 0),
    acked: devices.reduce((s, d) => s + d.acked.length, 0),
    pending: pending.length,
    connected: devices.filter((d) => d.connected).length,
    reconnects: devices.reduce((s, d) => s + Math.max(0, d.connacks - 1), 0),
    oldest: pending.slice(0, 3),
  };
}

async function stop(settleMs: number): Promise<void> {
  for (const d of devices) d.stop();
  const deadline = Date.now() + settleMs;
  while (devices.some((d) => d.pendingCount > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const report: FinalReport = {
    published: devices.reduce((s, d) => s + d.published, 0),
    acked: Object.fromEntries(devices.map((d) => [d.id, d.acked])),
    unacked: devices.flatMap((d) => d.pendingEvents()),
  };
  for (const d of devices) d.close();
  send({ kind: 'final', report });
}

process.on('message', (m: ToLoad) => {
  switch (m.kind) {
    case 'stats':
      send({ kind: 'stats', stats: stats() });
      return;
    case 'fuzz': {
      const deviceId = `soak-fuzz-${m.burst}`;
      provisionDevice(deviceId, 'soak-site-1', '压测区 fuzz')
        .then((secret) => fuzzBurst({ mqttUrl: job.mqttUrl, deviceId, secret, victimId: devices[0]!.id, burst: m.burst }))
        .catch((err: Error) => ({ burst: m.burst, deviceId, cases: [], goodEventId: `${deviceId}-good`, goodAcked: false, goodAckMs: null, connects: 0, error: err.message }))
        .then((result) => send({ kind: 'fuzz-result', result }));
      return;
    }
    case 'stop':
      void stop(m.settleMs);
      return;
  }
});

try {
  await provision();
  const deadline = Date.now() + 30_000;
  while (devices.some((d) => !d.connected) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const d of devices) d.start(job.eventsPerDeviceMin);
  send({ kind: 'ready', devices: devices.map((d) => d.id) });
} catch (err) {
  send({ kind: 'fatal', message: (err as Error).message });
}
