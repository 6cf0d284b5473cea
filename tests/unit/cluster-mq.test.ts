// The broker's bus in a cluster (gateway/cluster-mq.ts), over an in-process emitter standing for Redis.
import mqemitter, { type Message } from 'mqemitter';
import { describe, expect, it } from 'vitest';
import { clusterEmitter, staysOnNode } from '../../gateway/cluster-mq.js';
import { deviceTopic } from '../../contracts/topics.js';

const emit = (e: ReturnType<typeof clusterEmitter>, message: Message) => new Promise<void>((resolve) => e.emit(message, () => resolve()));
const listen = (e: ReturnType<typeof clusterEmitter>, topic: string, seen: Message[]) =>
  new Promise<void>((resolve) => e.on(topic, (m, done) => { seen.push(m); done(); }, resolve));

describe('the cluster bus of the brokers', () => {
  it('keeps a device\'s uplink on the node it arrived at, and carries commands and $SYS messages across', async () => {
    expect(staysOnNode(deviceTopic('sd-1', 'events'))).toBe(true);
    expect(staysOnNode(deviceTopic('sd-1', 'telemetry'))).toBe(true);
    expect(staysOnNode(deviceTopic('sd-1', 'commands/ack'))).toBe(true);
    expect(staysOnNode('$firenet/dropped')).toBe(true);
    expect(staysOnNode(deviceTopic('sd-1', 'commands'))).toBe(false);
    expect(staysOnNode('$SYS/broker-a/new/clients')).toBe(false);

    const shared = mqemitter();
    const a = clusterEmitter(shared, () => undefined);
    const b = clusterEmitter(shared, () => undefined);
    const onA: Message[] = [];
    const onB: Message[] = [];
    await listen(a, 'firenet/v1/devices/+/#', onA);
    await listen(b, 'firenet/v1/devices/+/#', onB);
    await emit(a, { topic: deviceTopic('sd-1', 'events'), payload: Buffer.from('{}') });
    await emit(b, { topic: deviceTopic('sd-1', 'commands'), payload: Buffer.from('{}') });
    expect(onA.map((m) => m.topic)).toEqual([deviceTopic('sd-1', 'events'), deviceTopic('sd-1', 'commands')]);
    expect(onB.map((m) => m.topic)).toEqual([deviceTopic('sd-1', 'commands')]);
  });

  it('lets a sign-in announced by another node close this node\'s connection only when this one is older', async () => {
    const shared = mqemitter();
    const since = new Map<string, number>([['sd-old', 1000], ['sd-new', 5000]]);
    const here = clusterEmitter(shared, (id) => since.get(id));
    const there = clusterEmitter(shared, () => undefined);
    const heard: string[] = [];
    await new Promise<void>((resolve) => here.on('$SYS/+/new/clients', (m, done) => { heard.push(String(m.payload)); done(); }, resolve));
    const realNow = Date.now;
    Date.now = () => 3000; // the other node's sign-ins happen at 3000
    try {
      await emit(there, { topic: '$SYS/there/new/clients', payload: Buffer.from('sd-old') });
      await emit(there, { topic: '$SYS/there/new/clients', payload: Buffer.from('sd-new') });
      await emit(there, { topic: '$SYS/there/new/clients', payload: Buffer.from('sd-elsewhere') });
    } finally {
      Date.now = realNow;
    }
    // ours of sd-old (1000) is older: closed; ours of sd-new (5000) is newer: kept; sd-elsewhere is not ours
    expect(heard).toEqual(['sd-old', 'sd-elsewhere']);
  });
});
