// A node killed with SIGKILL under load (issue 17): three FireNet nodes as separate processes behind HAProxy, on
// PostgreSQL and Redis, real servers on loopback. 5,000 devices (their own process, mqtt.js, reconnecting as devices
// do) stream 2,000 events/s through HAProxy; the node running the cluster's jobs, which also holds the rules of an
// institution with a silent detector and an unanswered fire alarm, is killed. Its devices come back through HAProxy
// to the others, every acknowledged event is stored once, the silent detector is still taken offline once, and the
// alarm still escalates once.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startChild, type Child } from '../../bench/lib/child.js';
import type { FleetFinished, FleetStatus } from '../../bench/load/fleet.js';
import { adminApi, importDevices, type Api } from '../../bench/servers/firenet.js';
import { startLocalCluster, type LocalCluster, type LocalNode } from '../../platform/cluster/local/cluster.js';
import { CLUSTER_PARTITIONS, partitionOf } from '../../platform/cluster/partitions.js';
import { deviceTopic } from '../../contracts/topics.js';
import { eventPayload, eventually } from '../helpers/firenet.js';
import { createDatabase } from '../helpers/postgres.js';
import { freePort } from '../helpers/process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DEVICES = 5000;
const SITES = 50;
const RATE = 2000;
const ADMIN_PASSWORD = 'failover-admin-pw';

type Health = { gateway: { connected: number }; cluster: { node: string; runsClusterJobs: boolean; rulesPartitions: number[] } };

describe('a node killed with SIGKILL under a 2,000 events/s stream from 5,000 devices', () => {
  let cluster: LocalCluster;
  let db: pg.Client;
  let fleet: Child | null = null;
  let webhook: Server;
  const posted: { kind: string; data: Record<string, unknown> }[] = [];
  let api: Api;
  const health = async (n: LocalNode) => (await fetch(`http://127.0.0.1:${n.ports.http}/api/health`).then((r) => r.json())) as Health;

  beforeAll(async () => {
    webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += String(d); });
      req.on('end', () => { posted.push(JSON.parse(body)); res.end(); });
    });
    const webhookPort = await freePort();
    await new Promise<void>((resolve) => webhook.listen(webhookPort, '127.0.0.1', resolve));

    const databaseUrl = await createDatabase(inject('postgresUrl'), `failover_${randomUUID().replaceAll('-', '')}`);
    cluster = await startLocalCluster({
      nodes: 3, nodeArgs: ['--import', 'tsx', 'main.ts'], cwd: root, databaseUrl,
      env: () => ({
        FIRENET_DEMO: '0', FIRENET_ADMIN_PASSWORD: ADMIN_PASSWORD, CLUSTER_LEASE_SEC: '5', LOG_LEVEL: 'warn',
        // every device reaches a node from HAProxy's address (docs/deploy.md)
        MQTT_PENDING_PER_ADDRESS: String(DEVICES),
      }),
    });
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    ({ api } = await adminApi(`http://127.0.0.1:${cluster.front.http}`, ADMIN_PASSWORD));
  }, 300_000);

  afterAll(async () => {
    if (fleet) await fleet.stop();
    await db?.end();
    await cluster?.stop();
    await new Promise((r) => webhook?.close(r));
  }, 120_000);

  it('brings its devices back through HAProxy to the others, stores every acknowledged event once, and its sites\' timers fire once', async () => {
    // every rules partition held, and one node running the cluster's jobs: that node is the one to kill
    const states = await eventually(async () => {
      const all = await Promise.all(cluster.nodes.map(async (n) => ({ n, h: await health(n) })));
      const held = all.flatMap((s) => s.h.cluster.rulesPartitions);
      const leaders = all.filter((s) => s.h.cluster.runsClusterJobs);
      return held.length === CLUSTER_PARTITIONS && leaders.length === 1 ? all : null;
    }, 60_000, 'the partitions shared out and one node running the jobs');
    const victim = states.find((s) => s.h.cluster.runsClusterJobs)!;
    const victimPartitions = new Set(victim.h.cluster.rulesPartitions);
    expect(victimPartitions.size).toBeGreaterThan(0);

    // the institutions, and one whose rules the victim runs: a silent detector and a fire nobody answers are there
    const sites = Array.from({ length: SITES }, (_, i) => `fo-${String(i).padStart(2, '0')}`);
    let q = 0;
    while (!victimPartitions.has(partitionOf(`fo-quiet-${q}`, CLUSTER_PARTITIONS))) q++;
    const quietSite = `fo-quiet-${q}`;
    for (const id of sites) expect((await api('/api/sites', { body: { id, name: `医院 ${id}`, regionCode: '220281' } })).status).toBe(201);
    expect((await api('/api/sites', { body: {
      id: quietSite, name: '被接管的医院', regionCode: '220281', ackSec: 8, confirmSec: 10, escalateSec: 14, webhookUrl: `http://127.0.0.1:${(webhook.address() as { port: number }).port}/hook`,
    } })).status).toBe(201);

    const { devices } = await importDevices({ api }, Array.from({ length: DEVICES }, (_, i) => ({ id: `fo-sd-${String(i).padStart(4, '0')}`, family: 'smoke_detector', site: sites[i % SITES]! })));
    expect(devices).toHaveLength(DEVICES);
    // never heard from: its heartbeats run out after the victim is gone
    expect((await api('/api/devices', { body: { id: 'fo-quiet', family: 'smoke_detector', siteId: quietSite, heartbeatSec: 10 } })).status).toBe(201);
    const alarmSecret = (await api<{ secret: string }>('/api/devices', { body: { id: 'fo-alarm', family: 'smoke_detector', siteId: quietSite, zone: '住院部5F' } })).body.secret;

    fleet = startChild('load/fleet.ts', { url: `mqtt://127.0.0.1:${cluster.front.mqtt}`, devices, eventType: 'selftest' });
    await fleet.next('ready');
    const connected = await fleet.ask<FleetStatus & { failed: number; failures: string[] }>({ type: 'connect' }, 'connected', 180_000);
    expect(connected.failures).toEqual([]);
    expect(connected.connected).toBe(DEVICES);
    const onVictim = (await health(victim.n)).gateway.connected;
    expect(onVictim).toBeGreaterThan(DEVICES / 10);

    await fleet.ask({ type: 'stream', perSec: RATE }, 'streaming');
    await new Promise((r) => setTimeout(r, 4000));
    // the fire, stored and acknowledged before the kill; its deadlines fall due after it
    const detector = await mqtt.connectAsync(`mqtt://127.0.0.1:${cluster.front.mqtt}`, { clientId: 'fo-alarm', username: 'fo-alarm', password: alarmSecret, reconnectPeriod: 500 });
    await detector.publishAsync(deviceTopic('fo-alarm', 'events'), eventPayload('fo-fire-1', 'smoke.alarm'), { qos: 1 });
    await new Promise((r) => setTimeout(r, 2000));

    await victim.n.kill();
    const survivors = cluster.nodes.filter((n) => n !== victim.n);
    // its devices back on the others
    await eventually(async () => {
      const s = await fleet!.ask<FleetStatus>({ type: 'status' });
      return s.connected === DEVICES && s.reconnects >= onVictim ? s : null;
    }, 120_000, 'every device connected again');
    const spread = await Promise.all(survivors.map(async (n) => (await health(n)).gateway.connected));
    expect(spread.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(DEVICES);
    await new Promise((r) => setTimeout(r, 4000));

    // every event sent is acknowledged in the end (resent after a reconnection), and each is stored once
    const finished = await fleet.ask<FleetFinished>({ type: 'finish', timeoutMs: 120_000 }, 'finished', 180_000);
    expect(finished.sent).toBeGreaterThan(RATE * 8);
    expect(finished.waiting).toEqual([]);
    expect(finished.acked).toBe(finished.sent);
    expect(new Set(finished.ids).size).toBe(finished.ids.length);
    const stored = await db.query<{ event_id: string }>(`select event_id from device_events where device_id like 'fo-sd-%'`);
    expect(stored.rows.length).toBe(finished.ids.length);
    const storedIds = new Set(stored.rows.map((r) => r.event_id));
    expect(finished.ids.filter((id) => !storedIds.has(id))).toEqual([]);

    // the silent detector taken offline by the node that took its institution over, once
    const offline = await eventually(async () => {
      const list = (await api<{ deviceId: string; category: string; count: number }[]>('/api/workorders?deviceId=fo-quiet')).body;
      return list.length ? list : null;
    }, 90_000, 'the silent detector taken offline');
    // the fire escalated by the node that took the cluster's jobs over, once
    const escalated = await eventually(async () => {
      const list = (await api<{ id: string; escalatedAt: string | null }[]>('/api/alarms?deviceId=fo-alarm')).body;
      return list.find((a) => a.escalatedAt !== null) ?? null;
    }, 60_000, 'the alarm escalated');
    await new Promise((r) => setTimeout(r, 5000));
    expect((await api('/api/workorders?deviceId=fo-quiet')).body).toEqual([expect.objectContaining({ category: 'offline', count: 1 })]);
    expect(offline).toHaveLength(1);
    expect(posted.filter((p) => p.kind === 'alarm.escalated').map((p) => p.data.alarmId)).toEqual([escalated.id]);
    expect((await db.query(`select count(*)::int as n from alarms where device_id = 'fo-alarm'`)).rows[0].n).toBe(1);
    await detector.endAsync(true);
  }, 600_000);
});
