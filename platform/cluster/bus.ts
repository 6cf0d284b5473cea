// Cluster mode's bus on Redis (CLUSTER_REDIS_URL): the brokers of all nodes share MQTT messages through
// mqemitter-redis (a command reaches the node its device is connected to; a device signing in again on another node
// closes its old connection there), and socket.io's pushes reach viewers on every node through the Redis Streams
// adapter, which reads the stream again from where it was after Redis comes back.
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { MQEmitter } from 'mqemitter';
import mqemitterRedis from 'mqemitter-redis';
import type { Logger } from 'pino';
import { MQ_CONCURRENCY } from '../../gateway/cluster-mq.js';

export interface ClusterBus {
  /** For the gateway's broker (gateway/cluster-mq.ts decides what crosses it). */
  readonly mq: MQEmitter;
  /** For socket.io (platform/realtime/socket.ts). */
  readonly socketAdapter: ReturnType<typeof createAdapter>;
  /** For the rules' inputs sent between nodes (forwarding.ts): one connection to publish, one to listen. */
  readonly forwarding: { pub: Redis; sub: Redis };
  close(): Promise<void>;
}

/** Redis is retried for ever: a node without its bus waits for it, it does not stop. */
const retryStrategy = (attempt: number) => Math.min(attempt * 200, 2000);

export async function openClusterBus(url: string, logger: Logger): Promise<ClusterBus> {
  const log = logger.child({ component: 'cluster-bus' });
  const connect = () => {
    const redis = new Redis(url, { retryStrategy, maxRetriesPerRequest: null, lazyConnect: true });
    let down = false;
    redis.on('error', (err: Error) => { if (!down) log.warn({ err: err.message }, 'cluster bus (Redis) unreachable; reconnecting'); down = true; });
    redis.on('ready', () => { if (down) log.info('cluster bus (Redis) back'); down = false; });
    return redis;
  };
  const connections = [connect(), connect(), connect(), connect(), connect()];
  const [pubConn, subConn, streams, forwardPub, forwardSub] = connections as [Redis, Redis, Redis, Redis, Redis];
  await Promise.all(connections.map((c) => c.connect()));
  const mq = mqemitterRedis({ pubConn, subConn, concurrency: MQ_CONCURRENCY });
  // its connections' errors, passed on here, are the outage the 'error' listeners above already log
  // (mqemitter-redis re-emits them on its `state` emitter, which its types leave out; unheard, they would stop the process)
  (mq as unknown as { state: EventEmitter }).state.on('error', () => undefined);
  return {
    mq,
    socketAdapter: createAdapter(streams),
    forwarding: { pub: forwardPub, sub: forwardSub },
    // after the broker and socket.io have closed; not waiting for Redis, which may be the thing that is down
    async close() {
      mq.close(() => undefined);
      for (const redis of connections) redis.disconnect();
    },
  };
}
