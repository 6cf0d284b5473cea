// socket.io: live pushes to the viewers whose scope contains the site.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import { roomsOf } from '../auth/scope.js';
import type { User } from '../schemas.js';

export interface Realtime {
  /** Emits `event` to every connection in any of `rooms` (each connection once). */
  emit(rooms: string[], event: string, payload: unknown): void;
  connections(): number;
  close(): Promise<void>;
}

export function startRealtime(deps: { server: HttpServer; authenticate(token: string | undefined): Promise<User | null>; logger: Logger }): Realtime {
  const logger = deps.logger.child({ component: 'realtime' });
  const io = new Server(deps.server, { serveClient: false, cors: { origin: false } });

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    deps.authenticate(typeof token === 'string' ? token : undefined).then((user) => {
      if (!user) return next(new Error('unauthorized'));
      socket.data.user = user;
      next();
    }, (err: unknown) => {
      logger.error({ err }, 'socket authentication failed');
      next(new Error('unavailable'));
    });
  });

  io.on('connection', (socket) => {
    const user = socket.data.user as User;
    void socket.join(roomsOf(user));
    logger.debug({ userId: user.id, rooms: [...socket.rooms] }, 'viewer connected');
  });

  return {
    emit: (rooms, event, payload) => { io.to(rooms).emit(event, payload); },
    connections: () => io.engine.clientsCount,
    // Only the sockets: the HTTP server belongs to Fastify, which closes it.
    close: async () => { io.disconnectSockets(true); },
  };
}
