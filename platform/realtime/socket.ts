// socket.io: live pushes to the viewers whose scope contains the site.
import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import type { Logger } from 'pino';
import type { ClientToServerEvents, LiveEventName, LiveEvents, LivePayloads } from '../../contracts/realtime.js';
import { roomsOf } from '../auth/scope.js';
import { jsonParser } from './json-encoder.js';
import type { Caller, Revocation } from '../auth/users.js';

export interface Realtime {
  /** Emits `event` to every connection in any of `rooms` (each connection once). */
  emit<E extends LiveEventName>(rooms: string[], event: E, payload: LivePayloads[E]): void;
  connections(): number;
  /** Viewers disconnected so far because they did not read their pushes. */
  slowViewers(): number;
  /** Closes every connection made with what was revoked, on every node of a cluster; answers how many. */
  disconnect(revocation: Revocation): Promise<number>;
  close(): Promise<void>;
}

/** What a connection carries once its handshake signed it in (set in the middleware below, before 'connection'). */
interface SocketData {
  caller: Caller;
}

/** The parts of engine.io's connections a slow-viewer check reads (engine.io keeps them out of its types). */
interface EngineConnection {
  readyState: string;
  writeBuffer: { data?: unknown }[];
  transport?: { socket?: { bufferedAmount?: number } };
  close(discard: boolean): void;
}

export function startRealtime(deps: {
  server: HttpServer; identify(token: string | undefined): Promise<Caller | null>; logger: Logger;
  /** A viewer with more than this waiting to be sent (it does not read: a bad network, a frozen tab) is disconnected. */
  maxBufferedBytes: number;
  /** Cluster mode: pushes reach the viewers of every node through this adapter (platform/cluster/bus.ts). */
  adapter?: ServerOptions['adapter'];
}): Realtime {
  const logger = deps.logger.child({ component: 'realtime' });
  const io = new Server<ClientToServerEvents, LiveEvents, Record<never, never>, SocketData>(deps.server, {
    serveClient: false, cors: { origin: false }, parser: jsonParser, ...(deps.adapter ? { adapter: deps.adapter } : {}),
  });

  // engine.io queues without bound for a viewer that does not read; such a viewer is cut off instead (the dashboard
  // reconnects and reloads what it shows), so it cannot grow memory or hold up the pushes to everyone else.
  const sweep = setInterval(() => {
    const connections = (io.engine as unknown as { clients: Record<string, EngineConnection> }).clients;
    for (const [id, conn] of Object.entries(connections)) {
      if (conn.readyState !== 'open') continue;
      const queued = conn.writeBuffer.reduce((n, p) => n + (typeof p.data === 'string' ? p.data.length : 64), 0);
      const buffered = queued + (conn.transport?.socket?.bufferedAmount ?? 0);
      if (buffered <= deps.maxBufferedBytes) continue;
      slowViewers++;
      logger.warn({ connection: id, buffered, max: deps.maxBufferedBytes }, 'viewer does not read its pushes: disconnected');
      conn.close(true); // what waits is dropped: close now, not after it drains
    }
  }, SWEEP_MS);
  sweep.unref();
  let slowViewers = 0;

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    deps.identify(typeof token === 'string' ? token : undefined).then((found) => {
      if (!found) return next(new Error('unauthorized'));
      socket.data.caller = found;
      next();
    }, (err: unknown) => {
      logger.error({ err }, 'socket authentication failed');
      next(new Error('unavailable'));
    });
  });

  io.on('connection', (socket) => {
    const { user, credential } = socket.data.caller;
    void socket.join(roomsOf(user));
    logger.debug({ userId: user.id, rooms: [...socket.rooms] }, 'viewer connected');
    // An API token that expires must not keep its feed: HTTP refuses it from then on, so the socket ends then too.
    if (credential.kind === 'api_token' && credential.expiresAt !== null) {
      const timer = closeAt(credential.expiresAt, () => {
        logger.info({ apiTokenId: credential.tokenId }, 'live connection closed: its API token expired');
        socket.disconnect(true);
      });
      socket.once('disconnect', () => timer.cancel());
    }
  });

  return {
    // The signature above ties the payload to the event; socket.io's own types cannot follow a generic event name
    // through their acknowledgement wrappers, hence the cast here.
    emit: (rooms, event, payload) => { io.to(rooms).emit(event as LiveEventName, payload as never); },
    connections: () => io.engine.clientsCount,
    disconnect: async (revocation) => {
      let closed = 0;
      // every node's viewers (through the adapter in a cluster), each as it signed in
      for (const socket of await io.fetchSockets()) {
        if (!madeWith(socket.data.caller, revocation)) continue;
        socket.disconnect(true);
        closed += 1;
      }
      if (closed) logger.info({ revocation, closed }, 'live connections closed: their sign-in was revoked');
      return closed;
    },
    slowViewers: () => slowViewers,
    // Only the sockets: the HTTP server belongs to Fastify, which closes it.
    close: async () => {
      clearInterval(sweep);
      io.disconnectSockets(true);
    },
  };
}

/** How often the viewers' send queues are checked. */
const SWEEP_MS = 1000;

/** setTimeout's delay is a 32-bit int (about 24.8 days); a longer one would fire at once, so waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Calls `fn` at `at` (epoch ms), or at once if that has passed; `cancel` stops it. */
function closeAt(at: number, fn: () => void): { cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const wait = () => {
    const left = at - Date.now();
    if (left <= 0) return fn();
    timer = setTimeout(wait, Math.min(left, MAX_TIMER_MS));
    timer.unref();
  };
  wait();
  return { cancel: () => clearTimeout(timer) };
}

function madeWith({ user, credential }: Caller, r: Revocation): boolean {
  if ('userId' in r) return credential.kind === 'session' && user.id === r.userId;
  if ('sessionId' in r) return credential.kind === 'session' && credential.sessionId === r.sessionId;
  return credential.kind === 'api_token' && credential.tokenId === r.apiTokenId;
}
