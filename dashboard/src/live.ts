import { io } from 'socket.io-client';
import { ref, type Ref } from 'vue';
import { isAlarm, type Alarm } from './types';

export type LinkState = 'connecting' | 'live' | 'reconnecting';

export interface LiveFeedHandlers {
  /** Every connect and reconnect: whatever happened while offline must be fetched again. */
  onConnect(): void;
  onAlarm(alarm: Alarm): void;
  onUnauthorized(): void;
}

export interface LiveFeed {
  state: Readonly<Ref<LinkState>>;
  close(): void;
}

const RETRY_MS = 3000;

/** The socket.io link to the platform, on the page's own origin. */
export function openLiveFeed(token: string, handlers: LiveFeedHandlers): LiveFeed {
  const state = ref<LinkState>('connecting');
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
  socket.on('alarm', (payload: unknown) => {
    if (isAlarm(payload)) handlers.onAlarm(payload);
  });

  return {
    state,
    close() {
      clearTimeout(retry);
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}
