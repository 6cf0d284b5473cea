import { io } from 'socket.io-client';
import { getCurrentScope, onScopeDispose, readonly, ref, type Ref } from 'vue';
import {
  isAlarm,
  isCommand,
  isNotification,
  isTicketSummary,
  isWorkOrder,
  type Alarm,
  type Command,
  type Notification,
  type TicketSummary,
  type WorkOrder,
} from './types';

export type LinkState = 'connecting' | 'live' | 'reconnecting';

/** What the platform pushes over socket.io, by event name. */
export interface LiveEvents {
  alarm: Alarm;
  /** An unconfirmed alarm past its escalation mark (safety managers and the county bureau). */
  'alarm.escalated': Alarm;
  workorder: WorkOrder;
  /** A hazard ticket changed; the full ticket (the tickets view narrows it further). */
  ticket: TicketSummary & Record<string, unknown>;
  notification: Notification;
  /** A downlink command was acknowledged, refused or failed. */
  command: Command;
}
export type LiveEventName = keyof LiveEvents;

// A payload is checked before any view sees it: a malformed one must not break a screen.
const guards: { [K in LiveEventName]: (value: unknown) => value is LiveEvents[K] } = {
  alarm: isAlarm,
  'alarm.escalated': isAlarm,
  workorder: isWorkOrder,
  ticket: isTicketSummary as (value: unknown) => value is LiveEvents['ticket'],
  notification: isNotification,
  command: isCommand,
};
const eventNames = Object.keys(guards) as LiveEventName[];

export interface LiveFeedHandlers {
  /** Every connect and reconnect: whatever happened while offline must be fetched again. */
  onConnect(): void;
  onEvent<K extends LiveEventName>(name: K, payload: LiveEvents[K]): void;
  onUnauthorized(): void;
}

export interface LiveFeed {
  state: Readonly<Ref<LinkState>>;
  close(): void;
}

const RETRY_MS = 3000;

/** The socket.io link to the platform, on the page's own origin. */
export function openLiveFeed(token: string, handlers: LiveFeedHandlers, state: Ref<LinkState> = ref('connecting')): LiveFeed {
  state.value = 'connecting';
  const socket = io({ auth: { token } });
  let retry: ReturnType<typeof setTimeout> | undefined;

  // socket.io retries dropped links by itself, but not after the server closed the
  // socket or refused the handshake; those cases are retried here.
  const retryLater = () => {
    clearTimeout(retry);
    retry = setTimeout(() => socket.connect(), RETRY_MS);
  };

  socket.on('connect', () => {
    state.value = 'live';
    handlers.onConnect();
  });
  socket.on('disconnect', (reason) => {
    state.value = 'reconnecting';
    if (reason === 'io server disconnect') retryLater();
  });
  socket.on('connect_error', (error) => {
    if (error.message === 'unauthorized') {
      handlers.onUnauthorized();
      return;
    }
    state.value = 'reconnecting';
    if (!socket.active) retryLater();
  });
  for (const name of eventNames) {
    socket.on(name, (payload: unknown) => {
      if (guards[name](payload)) handlers.onEvent(name, payload as LiveEvents[typeof name]);
    });
  }

  return {
    state,
    close() {
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
export function startLive(token: string, onUnauthorized: () => void): () => void {
  stopLive();
  const current = openLiveFeed(token, {
    onConnect: () => {
      for (const fn of [...connectSubscribers]) safely(fn);
    },
    onEvent: (name, payload) => {
      for (const fn of [...(subscribers.get(name) ?? [])]) safely(() => (fn as (p: typeof payload) => void)(payload));
    },
    onUnauthorized,
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
