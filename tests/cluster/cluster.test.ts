// FireNet as a cluster (issue 17): three nodes on one PostgreSQL database and one Redis, real servers on loopback.
// What crosses nodes: a command decided on one node reaches its device on another, with its answer tracked; an alarm
// raised through one node is pushed to a viewer on another; a device signing in on a second node closes its first
// connection; a device disabled through one node is closed on the node that holds it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { deviceTopic } from '../../contracts/topics.js';
import { eventPayload, eventually, nextEvent, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { createDatabase } from '../helpers/postgres.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { CLUSTER_PARTITIONS, partitionOf } from '../../platform/cluster/partitions.js';

describe('FireNet on three nodes', () => {
  let redis: RedisServer;
  const nodes: TestFireNet[] = [];
  let a: TestFireNet, b: TestFireNet, c: TestFireNet;
  const stopped = new Set<TestFireNet>();
  type Health = { cluster: { node: string; runsClusterJobs: boolean; rulesPartitions: number[] }; jobs: Record<string, number> };
  const live = () => nodes.filter((n) => !stopped.has(n));
  /** Every rules partition held, by one node each, every node holding some: what each node holds. */
  const sharedOut = () => eventually(async () => {
    const lists = await Promise.all(live().map(async (n) => (await health(n)).cluster.rulesPartitions));
    const all = lists.flat();
    return all.length === CLUSTER_PARTITIONS && new Set(all).size === CLUSTER_PARTITIONS && lists.every((l) => l.length > 0) ? lists : null;
  }, 30_000, 'the rules partitions shared out over the nodes');
  const health = async (n: TestFireNet) => (await n.api<Health>('/api/health', { token: null })).body;
  /** A charging station on `node` whose first copy of each command is lost on the way: it answers the second. The ids it got. */
  const chargerAnsweringTheSecondCopy = async (node: TestFireNet, deviceId: string) => {
    const charger = await node.connectDevice(deviceId, await node.provisionDevice({ id: deviceId, family: 'charging_station', siteId: 'cl-site' }));
    const received: string[] = [];
    charger.on('message', (_topic, payload) => {
      const { id } = JSON.parse(payload.toString()) as { id: string };
      received.push(id);
      if (received.filter((r) => r === id).length === 2) void charger.publishAsync(deviceTopic(deviceId, 'commands/ack'), JSON.stringify({ id, ok: true }), { qos: 1 });
    });
    await charger.subscribeAsync(deviceTopic(deviceId, 'commands'), { qos: 1 });
    return received;
  };

  beforeAll(async () => {
    redis = await startRedis();
    const env = { DATABASE_URL: await createDatabase(inject('postgresUrl'), `cluster_${randomUUID().replaceAll('-', '')}`), CLUSTER_REDIS_URL: redis.url };
    // started together, as a cluster's nodes are: they migrate the one database once between them
    nodes.push(...await Promise.all(['node-a', 'node-b', 'node-c'].map((id) => startTestFireNet({ ...env, CLUSTER_NODE_ID: id, CLUSTER_LEASE_SEC: '2' }))));
    [a, b, c] = nodes as [TestFireNet, TestFireNet, TestFireNet];
    await a.provisionSite('cl-site', '220281');
    // until the rules' partitions are shared out, an institution's events wait for a holder (their devices resend)
    await sharedOut();
  });
  afterAll(async () => {
    await Promise.all(nodes.filter((n) => !stopped.has(n)).map((n) => n.stop()));
    await redis?.stop();
  });

  it('sends a command through node B to a charging station connected to node A, and tracks its answer', async () => {
    const secret = await a.provisionDevice({ id: 'cl-charger', family: 'charging_station', siteId: 'cl-site' });
    const charger = await a.connectDevice('cl-charger', secret);
    const received: { id: string; type: string; port: number }[] = [];
    charger.on('message', (_topic, payload) => {
      const command = JSON.parse(payload.toString()) as { id: string; type: string; port: number };
      received.push(command);
      void charger.publishAsync(deviceTopic('cl-charger', 'commands/ack'), JSON.stringify({ id: command.id, ok: true }), { qos: 1 });
    });
    await charger.subscribeAsync(deviceTopic('cl-charger', 'commands'), { qos: 1 });

    const sent = await b.api<{ id: string; state: string }>('/api/devices/cl-charger/commands', { body: { type: 'power_off', port: 3 } });
    expect(sent.status).toBe(202);
    const answered = await eventually(async () => {
      const list = (await b.api<{ id: string; state: string; ok: boolean | null }[]>('/api/devices/cl-charger/commands')).body;
      return list.find((x) => x.id === sent.body.id && x.state !== 'pending');
    }, 10_000, 'the command answered');
    expect(answered).toMatchObject({ state: 'acked', ok: true });
    expect(received).toEqual([{ id: sent.body.id, type: 'power_off', port: 3 }]);
    // a charging station takes power_off only; a transmission device's commands are refused for it, naming the field
    expect((await b.api('/api/devices/cl-charger/commands', { body: { type: 'read_status' } }))).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^type: /) } });
  });

  it('sends a command again once after its timeout, from the node running the cluster\'s jobs, however many nodes there are', async () => {
    const received = await chargerAnsweringTheSecondCopy(c, 'cl-charger-2');
    const sent = await b.api<{ id: string }>('/api/devices/cl-charger-2/commands', { body: { type: 'power_off', port: 1 } });
    expect(sent.status).toBe(202);
    const answered = await eventually(async () => {
      const list = (await a.api<{ id: string; state: string; attempts: number }[]>('/api/devices/cl-charger-2/commands')).body;
      return list.find((x) => x.id === sent.body.id && x.state === 'acked');
    }, 30_000, 'the command answered at its second attempt');
    await new Promise((r) => setTimeout(r, 1500));
    expect(received).toEqual([sent.body.id, sent.body.id]);
    expect(answered).toMatchObject({ attempts: 2 });
  }, 60_000);

  it('pushes an alarm raised through node A to a viewer connected to node C', async () => {
    const secret = await a.provisionDevice({ id: 'cl-smoke', family: 'smoke_detector', siteId: 'cl-site', zone: '住院部3F' });
    const detector = await a.connectDevice('cl-smoke', secret);
    const viewer = await c.viewer(await c.login());
    const pushed = nextEvent<{ deviceId: string; status: string; siteName: string }>(viewer, 'alarm', (x) => x.deviceId === 'cl-smoke', 5000);
    await detector.publishAsync(deviceTopic('cl-smoke', 'events'), eventPayload('cl-1', 'smoke.alarm'), { qos: 1 });
    expect(await pushed).toMatchObject({ deviceId: 'cl-smoke', status: 'new', siteName: '测试医院 cl-site' });
  });

  it('reads an institution edited through one node again on the others: the next alarm carries its new name', async () => {
    await a.provisionSite('cl-renamed', '220281', '蛟河市旧名医院');
    const [first, second] = [await a.provisionDevice({ id: 'cl-renamed-1', family: 'smoke_detector', siteId: 'cl-renamed' }), await a.provisionDevice({ id: 'cl-renamed-2', family: 'smoke_detector', siteId: 'cl-renamed' })];
    const viewer = await c.viewer(await c.login());
    const raise = async (id: string, secret: string, name: string) => {
      const pushed = nextEvent<{ deviceId: string; siteName: string }>(viewer, 'alarm', (x) => x.deviceId === id, 5000);
      const detector = await c.connectDevice(id, secret);
      await detector.publishAsync(deviceTopic(id, 'events'), eventPayload(`${id}-fire`, 'smoke.alarm'), { qos: 1 });
      expect((await pushed).siteName).toBe(name);
    };
    // the node running the institution's rules has read it; it is renamed through another node
    await raise('cl-renamed-1', first, '蛟河市旧名医院');
    const holders = await Promise.all(live().map(async (n) => (await health(n)).cluster.rulesPartitions.includes(partitionOf('cl-renamed', CLUSTER_PARTITIONS))));
    const elsewhere = live().find((_, i) => !holders[i])!;
    await elsewhere.provisionSite('cl-renamed', '220281', '蛟河市新名医院');
    await raise('cl-renamed-2', second, '蛟河市新名医院');
  });

  it('closes a device\'s connection on node A when it signs in again on node B (the newest connection wins)', async () => {
    const secret = await a.provisionDevice({ id: 'cl-moving', family: 'smoke_detector', siteId: 'cl-site' });
    const first = await a.connectDevice('cl-moving', secret);
    const closed = new Promise<void>((resolve) => first.once('close', () => resolve()));
    const second = await b.connectDevice('cl-moving', secret);
    await closed;
    expect(second.connected).toBe(true);
    await eventually(async () => !a.gateway.isConnected('cl-moving') && b.gateway.isConnected('cl-moving'), 5000, 'the device held by node B only');
  });

  it('closes a device disabled through node C on node B, which holds its connection', async () => {
    const secret = await a.provisionDevice({ id: 'cl-disabled', family: 'smoke_detector', siteId: 'cl-site' });
    const device: MqttClient = await b.connectDevice('cl-disabled', secret);
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    expect((await c.api('/api/devices/cl-disabled', { method: 'PATCH', body: { disabled: true } })).status).toBe(200);
    await closed;
    expect(b.gateway.isConnected('cl-disabled')).toBe(false);
  });

  it('carries on by itself after Redis restarts: an alarm sent meanwhile is stored once, pushes and commands cross nodes again', async () => {
    const secret = await a.provisionDevice({ id: 'cl-redis', family: 'smoke_detector', siteId: 'cl-site', zone: '门诊1F' });
    // a device that reconnects and sends again what was not acknowledged, as devices do
    const detector = await a.connectDevice('cl-redis', secret, { reconnectPeriod: 300 });
    await redis.down();
    let resent: Promise<unknown>;
    try {
      // the bus is down: the alarm is stored and acknowledged at once where its site's rules run on node A, else
      // not acknowledged until the node holding them can be reached again (the device sends it again meanwhile)
      resent = detector.publishAsync(deviceTopic('cl-redis', 'events'), eventPayload('cl-r-1', 'smoke.alarm'), { qos: 1 });
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await redis.up();
    }
    await resent;
    const stored = await eventually(async () => {
      const list = (await b.api<{ deviceId: string; count: number }[]>('/api/alarms?deviceId=cl-redis')).body;
      return list.length ? list : null;
    }, 10_000, 'the alarm stored');
    expect(stored).toEqual([expect.objectContaining({ deviceId: 'cl-redis', count: 1 })]);
    // back: a viewer on node C hears the next alarm through node A, and a command through node B reaches node A's device
    const viewer = await c.viewer(await c.login());
    await eventually(async () => {
      const pushed = nextEvent<{ deviceId: string; count: number }>(viewer, 'alarm', (x) => x.deviceId === 'cl-redis', 1000);
      await detector.publishAsync(deviceTopic('cl-redis', 'events'), eventPayload(`cl-r-${randomUUID()}`, 'smoke.alarm'), { qos: 1 });
      return pushed.then(() => true, () => false);
    }, 20_000, 'pushes across nodes again');
    const chargerSecret = await a.provisionDevice({ id: 'cl-redis-charger', family: 'charging_station', siteId: 'cl-site' });
    const charger = await a.connectDevice('cl-redis-charger', chargerSecret);
    charger.on('message', (_topic, payload) => {
      const { id } = JSON.parse(payload.toString()) as { id: string };
      void charger.publishAsync(deviceTopic('cl-redis-charger', 'commands/ack'), JSON.stringify({ id, ok: true }), { qos: 1 });
    });
    await charger.subscribeAsync(deviceTopic('cl-redis-charger', 'commands'), { qos: 1 });
    const sent = await b.api<{ id: string }>('/api/devices/cl-redis-charger/commands', { body: { type: 'power_off', port: 1 } });
    await eventually(async () => {
      const list = (await b.api<{ id: string; state: string }[]>('/api/devices/cl-redis-charger/commands')).body;
      return list.find((x) => x.id === sent.body.id && x.state === 'acked');
    }, 20_000, 'the command answered after Redis came back');
  });

  it('runs each institution\'s rules on one node, sharing the partitions, and on another once that node stops: a silent detector goes offline once', async () => {
    // every partition held, each by one node, shared out fairly
    const held = await sharedOut();
    expect(held.map((l) => l.length).sort()).toEqual([10, 11, 11]);

    await a.provisionSite('cl-quiet-site', '220281');
    const partition = partitionOf('cl-quiet-site', CLUSTER_PARTITIONS);
    const holderIndex = held.findIndex((l) => l.includes(partition));
    const holder = live()[holderIndex]!;
    const other = live().find((n) => n !== holder)!;
    // provisioned through the holder and never heard from; the holder stops before its heartbeats run out
    await holder.provisionDevice({ id: 'cl-quiet', family: 'smoke_detector', siteId: 'cl-quiet-site', heartbeatSec: 10 });
    await holder.stop();
    stopped.add(holder);
    await eventually(async () => (await Promise.all(live().map(async (n) => (await health(n)).cluster.rulesPartitions))).some((l) => l.includes(partition)),
      10_000, 'another node holding the partition');
    const orders = await eventually(async () => {
      const list = (await other.api<{ deviceId: string; category: string; count: number }[]>('/api/workorders?deviceId=cl-quiet')).body;
      return list.length ? list : null;
    }, 60_000, 'the silent detector taken offline');
    await new Promise((r) => setTimeout(r, 3000));
    const again = (await other.api<{ deviceId: string; category: string; count: number }[]>('/api/workorders?deviceId=cl-quiet')).body;
    expect(again).toEqual([expect.objectContaining({ deviceId: 'cl-quiet', category: 'offline', count: 1 })]);
    expect(again).toHaveLength(orders.length);
  }, 120_000);

  it('runs the cluster\'s scheduled jobs on one node at a time, and on another once that node stops, commands\' retries included', async () => {
    const leader = await eventually(async () => {
      const states = await Promise.all(live().map(async (n) => ({ n, h: await health(n) })));
      const holders = states.filter((s) => s.h.cluster.runsClusterJobs);
      return holders.length === 1 ? holders[0]!.n : null;
    }, 10_000, 'one node running the cluster\'s jobs');
    const running = live();
    const before = await Promise.all(running.map(async (n) => (await health(n)).jobs));
    await new Promise((r) => setTimeout(r, 3000));
    const after = await Promise.all(running.map(async (n) => (await health(n)).jobs));
    running.forEach((n, i) => {
      const ran = (job: string) => after[i]![job]! - before[i]![job]!;
      // the alarm deadlines (every second) are the cluster's: only on the leader; the rules' clock is each node's
      if (n === leader) expect(ran('alarm deadlines')).toBeGreaterThanOrEqual(2);
      else expect(ran('alarm deadlines')).toBe(0);
      expect(ran('rules tick')).toBeGreaterThanOrEqual(2);
    });

    // a command sent through the leader, whose first copy is lost: the leader stops before its timeout
    const received = await chargerAnsweringTheSecondCopy(running.find((n) => n !== leader)!, 'cl-charger-3');
    const sent = await leader.api<{ id: string }>('/api/devices/cl-charger-3/commands', { body: { type: 'power_off', port: 2 } });
    await eventually(async () => received.length === 1, 5000, 'the first copy');

    await leader.stop();
    stopped.add(leader);
    const rest = live();
    const next = await eventually(async () => {
      const states = await Promise.all(rest.map(async (n) => ({ n, h: await health(n) })));
      const holders = states.filter((s) => s.h.cluster.runsClusterJobs);
      return holders.length === 1 ? holders[0]!.n : null;
    }, 10_000, 'another node taking the cluster\'s jobs over');
    const start = (await health(next)).jobs['alarm deadlines']!;
    await eventually(async () => (await health(next)).jobs['alarm deadlines']! >= start + 2, 5000, 'the new leader running the alarm deadlines');
    // the command is the cluster's, not the stopped node's: sent again by the new leader, and answered
    await eventually(async () => {
      const list = (await next.api<{ id: string; state: string }[]>('/api/devices/cl-charger-3/commands')).body;
      return list.find((x) => x.id === sent.body.id && x.state === 'acked');
    }, 30_000, 'the command answered after its sender stopped');
    expect(received).toEqual([sent.body.id, sent.body.id]);
  }, 90_000);
});
