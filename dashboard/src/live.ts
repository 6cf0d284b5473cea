import { io, type Socket } from 'socket.io-client';
import { getCurrentScope, onScopeDispose, readonly, ref, type Ref } from 'vue';
// The events are a contract (contracts/realtime.ts) and their payloads the server's own record types: the
// server's emits are checked against the same map at compile time, so the pushes are not re-checked here.
import {
  liveEvents, liveLists, type ClientToServerEvents, type LiveEventName as PushedEventName, type LiveEvents as ServerToClientEvents, type LiveListName, type LivePayloads,
} from '../../contracts/realtime';

export type LinkState = 'connecting' | 'live' | 'reconnecting';

/** What the platform pushes over socket.io: each event's payload, by name. */
export type LiveEvents = LivePayloads;
/** The events views hear: a list event (records changed together) reaches them as its records' own events, one each. */
export type LiveEventName = Exclude<PushedEventName, LiveListName>;

export interface LiveFeedHandlers {
  /** Every connect and reconnect: whatever happened while offline must be fetched again. */
  onConnect(): void;
  onEvent<K extends LiveEventName>(name: K, payload: LiveEvents[K]): void;
}

/** How the link signs in: each handshake sends the session's current access token. */
export interface LiveAuth {
  token(): Promise<string | null>;
  /** A token to use instead of `stale`, which the server refused; null when the session has ended. Rejects when the server cannot be reached. */
  renew(stale: string): Promise<string | null>;
}

export interface LiveFeed {
  state: Readonly<Ref<LinkState>>;
  close(): void;
}

const RETRY_MS = 3000;

const isList = (name: PushedEventName): name is LiveListName => name in liveLists;

/** The socket.io link to the platform, on the page's own origin. */
export function openLiveFeed(auth: LiveAuth, handlers: LiveFeedHandlers, state: Ref<LinkState> = ref('connecting')): LiveFeed {
  state.value = 'connecting';
  let handshakeToken: string | null = null;
  let refusedInARow = 0;
  // WebSocket only: no long-polling phase, so a link the server closes (a run-out token, a revoked session)
  // leaves no poll behind to be refused, and nodes behind a load balancer need no sticky sessions.
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
    transports: ['websocket'],
    auth: (send) => {
      void auth.token().then((token) => {
        handshakeToken = token;
        send({ token });
      });
    },
  });
  let retry: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  // socket.io retries dropped links by itself, but not after the server closed the
  // socket or refused the handshake; those cases are retried here.
  const reconnect = (delay: number) => {
    clearTimeout(retry);
    if (!closed) retry = setTimeout(() => socket.connect(), delay);
  };

  socket.on('connect', () => {
    refusedInARow = 0;
    state.value = 'live';
    handlers.onConnect();
  });
  socket.on('disconnect', (reason) => {
    state.value = 'reconnecting';
    // The server closes the link when the sign-in was revoked (logout, a changed password or role): the next
    // handshake tells whether the session still stands.
    if (reason === 'io server disconnect') reconnect(0);
  });
  socket.on('connect_error', (error) => {
    state.value = 'reconnecting';
    if (error.message !== 'unauthorized') {
      if (!socket.active) reconnect(RETRY_MS);
      return;
    }
    // The token ran out or was revoked: renew it and try again (at once the first time, so the view stays
    // live; later more slowly). A session that cannot be renewed has ended, and the tab has signed out.
    refusedInARow += 1;
    const stale = handshakeToken;
    if (stale === null) return;
    auth.renew(stale).then(
      (token) => {
        if (token !== null) reconnect(refusedInARow === 1 ? 0 : RETRY_MS);
      },
      () => reconnect(RETRY_MS),
    );
  });
  for (const name of liveEvents) {
    if (isList(name)) {
      const each = liveLists[name];
      socket.on(name, (records: LiveEvents[typeof name]) => { for (const record of records) handlers.onEvent(each, record as never); });
    } else {
      socket.on(name, (payload: LiveEvents[typeof name]) => handlers.onEvent(name, payload));
    }
  }

  return {
    state,
    close() {
      closed = true;
      clearTimeout(retry);
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One connection for the whole signed-in session, shared by every view.
// The shell starts it after sign-in and stops it at sign-out; views subscribe with onLive()
// and onLiveConnect(), which unsubscribe by themselves when the view (its effect scope) goes away.

const linkState = ref<LinkState>('connecting');
/** The session's link state, for the connection indicator. */
export const liveState: Readonly<Ref<LinkState>> = readonly(linkState);

type Handler = (payload: never) => void;
const subscribers = new Map<LiveEventName, Set<Handler>>();
const connectSubscribers = new Set<() => void>();
let feed: LiveFeed | null = null;

/** Opens the session's socket; returns the function that closes it. */
export function startLive(auth: LiveAuth): () => void {
  stopLive();
  const current = openLiveFeed(auth, {
    onConnect: () => {
      for (const fn of [...connectSubscribers]) safely(fn);
    },
    onEvent: (name, payload) => {
      for (const fn of [...(subscribers.get(name) ?? [])]) safely(() => (fn as (p: typeof payload) => void)(payload));
    },
  }, linkState);
  feed = current;
  return () => {
    if (feed === current) stopLive();
  };
}

export function stopLive(): void {
  feed?.close();
  feed = null;
  linkState.value = 'connecting';
}

/** Calls `handler` for each `event` pushed; unsubscribes with the calling component (or by the returned function). */
export function onLive<K extends LiveEventName>(event: K, handler: (payload: LiveEvents[K]) => void): () => void {
  let set = subscribers.get(event);
  if (!set) subscribers.set(event, (set = new Set()));
  const entry = handler as Handler;
  set.add(entry);
  const off = () => void set.delete(entry);
  if (getCurrentScope()) onScopeDispose(off);
  return off;
}

/** Calls `handler` on every connect and reconnect (catch up on what was missed); unsubscribes like onLive(). */
export function onLiveConnect(handler: () => void): () => void {
  connectSubscribers.add(handler);
  const off = () => void connectSubscribers.delete(handler);
  if (getCurrentScope()) onScopeDispose(off);
  return off;
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    console.error(error);
  }
}
