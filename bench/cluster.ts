// `npm run bench -- --cluster 3`: FireNet as a cluster (issue 17) beside FireNet as a cluster of one, in one run, both
// built as `npm run cluster` runs them (the built product, PostgreSQL, Redis and HAProxy from Debian's packages, the
// nodes as processes of their own, every device and viewer through HAProxy). On a 2-core machine three nodes are
// not faster than one: the figures are what a node costs (memory per node and per connection, throughput and storm
// latency beside one node's) and what losing one does (kill -9 of the node running the cluster's jobs under a
// 2,000 events/s stream: until its devices are connected elsewhere, until its institutions' rules run again, and
// what was acknowledged and lost, which must be nothing).
import pg from 'pg';
import { fileURLToPath } from 'node:url';
import { startLocalCluster, type LocalCluster, type LocalNode } from '../platform/cluster/local/cluster.js';
import { CLUSTER_PARTITIONS } from '../platform/cluster/partitions.js';
import { startChild, type Child } from './lib/child.js';
import { sleep, until } from './lib/clock.js';
import { env, fmt, rss, spread, type Spread } from './lib/measure.js';
import type { Alarmed, DetectorsJob } from './load/detectors.js';
import type { FleetFinished, FleetJob, FleetStatus } from './load/fleet.js';
import type { Push, ViewerJob } from './load/viewer.js';
import { adminApi, createSite, importDevices, START } from './servers/firenet.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const DEVICES = env.number('BENCH_CLUSTER_DEVICES', 5000, 2000);
const SITES = 50;
const DETECTORS = env.number('BENCH_CLUSTER_DETECTORS', 500, 200);
const ZONES = 50;
const SATURATE_MS = env.number('BENCH_CLUSTER_SATURATE_SEC', 10, 5) * 1000;
const STREAM_RATE = 2000;
const FIRES = 50;
const ADMIN_PASSWORD = 'bench-cluster-admin';

export interface ClusterRow { figure: string; one: string; many: string; ratio?: string; target?: string; met?: boolean }

interface Health { gateway: { connected: number }; cluster: { runsClusterJobs: boolean; rulesPartitions: number[] } }

interface Figures {
  idleRss: number;
  perConnection: number;
  eventsPerSec: number;
  storm: Spread;
  stormAcked: number;
  failover?: { victimDevices: number; devicesBackMs: number; halfBackMs: number; rulesBackMs: number; jobsBackMs: number; sent: number; acked: number; eventsLost: number; fires: number; alarmsLost: number };
}

async function measure(nodes: number): Promise<Figures> {
  const cluster = await startLocalCluster({
    nodes, nodeArgs: [...START.nodeArgs, 'dist/main.js'], cwd: root,
    env: () => ({ ...START.env, FIRENET_DEMO: '0', FIRENET_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'warn', MQTT_DEVICE_RATE: '0', MQTT_PENDING_PER_ADDRESS: String(DEVICES + DETECTORS) }),
  });
  const http = `http://127.0.0.1:${cluster.front.http}`;
  const children: Child[] = [];
  try {
    const admin = await adminApi(http, ADMIN_PASSWORD);
    const sites = Array.from({ length: SITES }, (_, i) => `bc-${String(i).padStart(2, '0')}`);
    for (const id of [...sites, 'bc-storm']) await createSite(admin, id, `医院 ${id}`);
    const { devices: credentials } = await importDevices(admin, [
      ...Array.from({ length: DEVICES }, (_, i) => ({ id: `bc-sd-${String(i).padStart(5, '0')}`, family: 'smoke_detector', site: sites[i % SITES]! })),
      ...Array.from({ length: DETECTORS }, (_, i) => ({ id: `bc-st-${String(i).padStart(4, '0')}`, family: 'smoke_detector', site: 'bc-storm', building: '住院楼', floor: String(Math.floor((i % ZONES) / 5) + 1), zone: `Z${i % ZONES}` })),
    ]);
    const devices = credentials.filter((c) => c.id.startsWith('bc-sd-'));
    const detectors = credentials.filter((c) => c.id.startsWith('bc-st-'));
    await until(async () => (await healths(cluster.nodes)).flatMap((h) => h.cluster.rulesPartitions).length === CLUSTER_PARTITIONS, 'the rules partitions held', 120_000, 250);

    // memory: the nodes idle, then holding the fleet's connections
    const rssOf = async () => (await Promise.all(cluster.nodes.map((n) => rss(n.pid)))).reduce((a, b) => a + b, 0);
    const idle = await rssOf();
    const fleet = startChild('load/fleet.ts', { url: `mqtt://127.0.0.1:${cluster.front.mqtt}`, devices, eventType: 'selftest' } satisfies FleetJob);
    children.push(fleet);
    await fleet.next('ready');
    const connected = await fleet.ask<FleetStatus>({ type: 'connect' }, 'connected', 300_000);
    if (connected.connected !== DEVICES) throw new Error(`${connected.connected} of ${DEVICES} devices connected`);
    await sleep(3000);
    const withFleet = await rssOf();

    // throughput: each device sends its next event as soon as the last is acknowledged
    const saturated = await fleet.ask<{ type: 'saturated'; acked: number; ms: number }>({ type: 'saturate', ms: SATURATE_MS }, 'saturated', SATURATE_MS + 120_000);

    // storm: DETECTORS detectors of one institution alarm at once; a viewer on the dashboard through HAProxy
    const viewer = startChild('load/viewer.ts', { url: http, token: admin.token } satisfies ViewerJob);
    const storm = startChild('load/detectors.ts', { target: { host: '127.0.0.1', port: cluster.front.mqtt }, devices: detectors } satisfies DetectorsJob);
    children.push(viewer, storm);
    await Promise.all([viewer.next('ready'), storm.next('ready')]);
    await sleep(2000);
    storm.send({ type: 'go' });
    const { sent } = await storm.next<{ type: 'done'; sent: Alarmed[] }>('done', 120_000);
    const first = new Map<string, number>();
    await until(async () => {
      for (const p of (await viewer.ask<{ type: 'report'; alarms: Push[] }>({ type: 'report' })).alarms) if (!first.has(p.deviceId)) first.set(p.deviceId, p.at);
      return first.size >= detectors.length;
    }, 'every storm alarm on the screen', 60_000, 200).catch((err: Error) => process.stderr.write(`cluster storm: ${err.message} (${first.size} of ${detectors.length})\n`));
    // the storm's detectors and viewer go: the failover counts the fleet's devices only
    await Promise.all([viewer.stop(), storm.stop()]);
    const figures: Figures = {
      idleRss: idle / nodes,
      perConnection: (withFleet - idle) / DEVICES,
      eventsPerSec: saturated.acked / (saturated.ms / 1000),
      storm: spread(sent.filter((s) => first.has(s.id)).map((s) => first.get(s.id)! - s.sentAt)),
      stormAcked: sent.filter((s) => s.ackedAt !== null).length,
    };
    if (nodes > 1) figures.failover = await failover(cluster, fleet);
    return figures;
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await cluster.stop();
  }
}

/** kill -9 of the node running the cluster's jobs under a steady stream, and what it costs. */
async function failover(cluster: LocalCluster, fleet: Child): Promise<NonNullable<Figures['failover']>> {
  await fleet.ask({ type: 'stream', perSec: STREAM_RATE }, 'streaming');
  await sleep(5000);
  const states = await healths(cluster.nodes);
  const victim = cluster.nodes[states.findIndex((h) => h.cluster.runsClusterJobs)]!;
  const victimDevices = states[cluster.nodes.indexOf(victim)]!.gateway.connected;
  const survivors = cluster.nodes.filter((n) => n !== victim);
  const killAt = Date.now();
  await victim.kill();
  // fires reported during the takeover, by devices wherever they are connected
  const fired = fleet.ask<{ type: 'fired'; devices: string[] }>({ type: 'fire', count: FIRES, timeoutMs: 120_000 }, 'fired', 180_000);
  let rulesBackMs = NaN;
  let jobsBackMs = NaN;
  let devicesBackMs = NaN;
  await until(async () => {
    const h = await healths(survivors);
    if (Number.isNaN(rulesBackMs) && h.flatMap((x) => x.cluster.rulesPartitions).length === CLUSTER_PARTITIONS) rulesBackMs = Date.now() - killAt;
    if (Number.isNaN(jobsBackMs) && h.some((x) => x.cluster.runsClusterJobs)) jobsBackMs = Date.now() - killAt;
    const s = await fleet.ask<FleetStatus>({ type: 'status' });
    if (Number.isNaN(devicesBackMs) && s.connected === DEVICES && s.reconnects >= victimDevices) devicesBackMs = s.lastConnectAt - killAt;
    return !Number.isNaN(rulesBackMs) && !Number.isNaN(jobsBackMs) && !Number.isNaN(devicesBackMs);
  }, 'the cluster whole again', 180_000, 100);
  await sleep(3000);
  const finished = await fleet.ask<FleetFinished>({ type: 'finish', timeoutMs: 120_000 }, 'finished', 180_000);
  const { devices: fires } = await fired;
  const db = new pg.Client({ connectionString: cluster.databaseUrl });
  await db.connect();
  try {
    // event ids name their device: unique over the fleet
    const stored = new Set((await db.query<{ event_id: string }>(`select event_id from device_events where device_id like 'bc-sd-%'`)).rows.map((r) => r.event_id));
    const eventsLost = finished.ids.filter((id) => !stored.has(id)).length;
    const alarmed = new Set((await db.query<{ device_id: string }>(`select distinct device_id from alarms where device_id = any($1)`, [fires])).rows.map((r) => r.device_id));
    const back = spread(finished.reconnectedAt.map((t) => t - killAt));
    return {
      victimDevices, devicesBackMs, halfBackMs: back.p50, rulesBackMs, jobsBackMs, sent: finished.sent, acked: finished.acked, eventsLost,
      fires: fires.length, alarmsLost: fires.filter((d) => !alarmed.has(d)).length,
    };
  } finally {
    await db.end();
  }
}

async function healths(nodes: readonly LocalNode[]): Promise<Health[]> {
  return Promise.all(nodes.map(async (n) => (await fetch(`http://127.0.0.1:${n.ports.http}/api/health`).then((r) => r.json())) as Health));
}

export async function clusterBench(nodes: number): Promise<ClusterRow[]> {
  const one = await measure(1);
  const many = await measure(nodes);
  const ratio = (a: number, b: number) => fmt.ratio(a, b);
  const rows: ClusterRow[] = [
    { figure: 'resident memory per node, idle (PostgreSQL, Redis and HAProxy not counted)', one: fmt.mb(one.idleRss), many: fmt.mb(many.idleRss), ratio: ratio(many.idleRss, one.idleRss) },
    { figure: `resident memory per device connection (${fmt.n(DEVICES)} devices through HAProxy, all nodes together)`, one: fmt.kb(one.perConnection), many: fmt.kb(many.perConnection), ratio: ratio(many.perConnection, one.perConnection) },
    { figure: `QoS 1 events stored and acknowledged per second (${fmt.n(DEVICES)} devices, each sending its next on the last one's PUBACK, ${SATURATE_MS / 1000} s)`, one: fmt.n(one.eventsPerSec), many: fmt.n(many.eventsPerSec), ratio: ratio(many.eventsPerSec, one.eventsPerSec) },
    { figure: `alarm storm (${DETECTORS} detectors of one institution at once, viewer through HAProxy): publish -> alarm on screen, p50`, one: fmt.ms(one.storm.p50), many: fmt.ms(many.storm.p50), ratio: ratio(many.storm.p50, one.storm.p50) },
    { figure: `same, p99 (${one.storm.count} and ${many.storm.count} of ${DETECTORS} on screen; ${one.stormAcked} and ${many.stormAcked} acknowledged)`, one: fmt.ms(one.storm.p99), many: fmt.ms(many.storm.p99), ratio: ratio(many.storm.p99, one.storm.p99) },
  ];
  const f = many.failover;
  if (f) {
    rows.push(
      { figure: `kill -9 of the node running the cluster's jobs under ${fmt.n(STREAM_RATE)} events/s: until its ${fmt.n(f.victimDevices)} devices are connected to the others (half of them: ${fmt.s(f.halfBackMs)})`, one: '', many: fmt.s(f.devicesBackMs) },
      { figure: 'same: until its institutions\' rules run on the others (every partition held again; lease 10 s)', one: '', many: fmt.s(f.rulesBackMs) },
      { figure: 'same: until another node runs the cluster\'s jobs (alarm deadlines, escalations)', one: '', many: fmt.s(f.jobsBackMs) },
      { figure: `same: acknowledged events lost (of ${fmt.n(f.acked)} acknowledged; ${fmt.n(f.sent)} sent)`, one: '', many: String(f.eventsLost), target: '0', met: f.eventsLost === 0 },
      { figure: `same: fire alarms lost (${f.fires} detectors reporting a fire right after the kill)`, one: '', many: String(f.alarmsLost), target: '0', met: f.alarmsLost === 0 && f.fires === FIRES },
    );
  }
  return rows;
}

export function clusterTable(nodes: number, rows: ClusterRow[]): string {
  return [
    `| figure | 1 node | ${nodes} nodes | ${nodes} ÷ 1 | target |`,
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${[r.figure, r.one, r.many, r.ratio ?? '', r.target === undefined ? '' : `${r.target} ${r.met ? '✅' : '❌ missed'}`].join(' | ')} |`),
  ].join('\n');
}
