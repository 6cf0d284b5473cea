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
    const { user, credential } = socket.data.caller as Caller;
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
