// The broker's message bus in a cluster. aedes hands every message to its emitter; across nodes only two kinds must
// travel: what goes down to a device (a command decided on another node reaches the node its device is connected
// to) and aedes' own `$SYS` messages (a device signing in on one node closes its older connection on another). A
// device's uplink is taken by the node it arrived at (stored, then acknowledged), so it stays there: sent across,
// every reading of the province would cross the bus for no one.
// aedes announces each sign-in (`$SYS/<broker>/new/clients`) and every other node closes its connection of that
// client id. Two sign-ins moments apart on two nodes could cross on the bus and close the newer one: the announcement
// carries when the device signed in, and a node keeps its own connection when that one is the newer.
import mqemitter, { type MQEmitter, type Message } from 'mqemitter';
import { parseDeviceTopic, uplinkChannels } from '../contracts/topics.js';
import { DROPPED_TOPIC } from './auth.js';

/** Messages each emitter delivers at once: aedes' own default. */
export const MQ_CONCURRENCY = 100;

type Listener = (message: Message, done: () => void) => void;

const NEW_CLIENTS = /^\$SYS\/[^/]+\/new\/clients$/;

/** Whether a message aedes emits stays on this node. */
export function staysOnNode(topic: string): boolean {
  if (topic === DROPPED_TOPIC) return true;
  const parsed = parseDeviceTopic(topic);
  return parsed !== null && uplinkChannels.has(parsed.channel);
}

/**
 * An emitter for aedes over `shared` (e.g. mqemitter-redis): subscriptions listen on both this node and the
 * shared bus; a message goes to the shared bus unless it stays on the node. Closing it leaves `shared` open.
 */
export function clusterEmitter(shared: MQEmitter, signedInAt: (clientId: string) => number | undefined): MQEmitter {
  const local = mqemitter({ concurrency: MQ_CONCURRENCY });
  const guarded = new Map<Listener, Listener>();
  /** aedes' listener for other nodes' sign-ins, skipping those older than this node's own connection of the id. */
  const newestWins = (listener: Listener): Listener => {
    const guard: Listener = (message, done) => {
      const ours = signedInAt(Buffer.from(message.payload as Uint8Array).toString('utf8'));
      if (ours !== undefined && typeof message.signedInAt === 'number' && ours > message.signedInAt) return done();
      listener(message, done);
    };
    guarded.set(listener, guard);
    return guard;
  };
  const both = (done: (() => void) | undefined) => {
    let waiting = 2;
    return () => { if (--waiting === 0) done?.(); };
  };
  const emitter: MQEmitter = {
    get current() { return local.current + shared.current; },
    get concurrent() { return shared.concurrent; },
    on(topic: string, listener: Listener, callback?: () => void) {
      const done = both(callback);
      local.on(topic, listener, done);
      shared.on(topic, topic === '$SYS/+/new/clients' ? newestWins(listener) : listener, done);
      return emitter;
    },
    emit(message: Message, callback?: (error?: Error) => void) {
      if (NEW_CLIENTS.test(message.topic)) message.signedInAt = Date.now();
      (staysOnNode(message.topic) ? local : shared).emit(message, callback);
    },
    removeListener(topic: string, listener: Listener, callback?: () => void) {
      const done = both(callback);
      local.removeListener(topic, listener, done);
      shared.removeListener(topic, guarded.get(listener) ?? listener, done);
      guarded.delete(listener);
    },
    // the shared bus belongs to whoever opened it (platform/cluster/bus.ts), which closes it after the broker
    close(callback: () => void) {
      local.close(callback);
    },
  };
  return emitter;
}
