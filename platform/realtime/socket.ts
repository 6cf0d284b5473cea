// socket.io: live pushes to the viewers whose scope contains the site.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import { roomsOf } from '../auth/scope.js';
import type { Caller, Revocation } from '../auth/users.js';

export interface Realtime {
  /** Emits `event` to every connection in any of `rooms` (each connection once). */
  emit(rooms: string[], event: string, payload: unknown): void;
  connections(): number;
  /** Closes every connection made with what was revoked; returns how many. */
  disconnect(revocation: Revocation): number;
  close(): Promise<void>;
}

export function startRealtime(deps: { server: HttpServer; identify(token: string | undefined): Promise<Caller | null>; logger: Logger }): Realtime {
  const logger = deps.logger.child({ component: 'realtime' });
  const io = new Server(deps.server, { serveClient: false, cors: { origin: false } });

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
    const { user } = socket.data.caller as Caller;
    void socket.join(roomsOf(user));
    logger.debug({ userId: user.id, rooms: [...socket.rooms] }, 'viewer connected');
  });

  return {
    emit: (rooms, event, payload) => { io.to(rooms).emit(event, payload); },
    connections: () => io.engine.clientsCount,
    disconnect: (revocation) => {
      let closed = 0;
      for (const socket of io.sockets.sockets.values()) {
        if (!madeWith(socket.data.caller as Caller, revocation)) continue;
        socket.disconnect(true);
        closed += 1;
      }
      if (closed) logger.info({ revocation, closed }, 'live connections closed: their sign-in was revoked');
      return closed;
    },
    // Only the sockets: the HTTP server belongs to Fastify, which closes it.
    close: async () => { io.disconnectSockets(true); },
  };
}

function madeWith({ user, credential }: Caller, r: Revocation): boolean {
  if ('userId' in r) return credential.kind === 'session' && user.id === r.userId;
  if ('sessionId' in r) return credential.kind === 'session' && credential.sessionId === r.sessionId;
  return credential.kind === 'api_token' && credential.tokenId === r.apiTokenId;
}
