// Keeps the session's access token fresh: the one place that spends refresh tokens. It renews shortly before
// the token runs out and after the server refuses it, once at a time in this tab and, with Web Locks, across tabs.
import { watch } from 'vue';
import { ApiError, send, serverNow } from './http';
import { adopt, session, signIn, signOut, storedPair } from './session';
import type { SignedIn } from './types';

/** Renew when a quarter of the token's lifetime is left, but no earlier than a minute before it runs out. */
const MAX_MARGIN_MS = 60_000;
/** A renewal that could not reach the server is tried again after this. */
const RETRY_MS = 10_000;
/** The timer never renews twice within this, whatever the clocks say. */
const MIN_DELAY_MS = 1_000;
const REFRESH_TIMEOUT_MS = 15_000;
/** Without Web Locks, how long a refused renewal waits for the tab that won the race to store its pair. */
const PEER_WAIT_MS = 2_000;
const LOCK_NAME = 'firenet.session.renewal';

/** The access token to send now; renewed first when it is about to run out. */
export async function freshToken(): Promise<string | null> {
  const token = session.token;
  if (token === null || Date.now() < renewalDue()) return token;
  try {
    return await renew(token);
  } catch {
    return session.token; // the server cannot be reached: the call will say so
  }
}

let inFlight: { stale: string; renewal: Promise<string | null> } | null = null;

/**
 * A token to use instead of `stale` (refused, or about to run out); null when the session has ended, and then
 * this tab has signed out with reason 'expired'. Concurrent callers share one renewal. Rejects with
 * ApiError when the server cannot be reached (the session may well be alive).
 */
export function renew(stale: string): Promise<string | null> {
  if (session.token !== stale) return Promise.resolve(session.token);
  if (inFlight?.stale !== stale) {
    const renewal = exclusively(() => renewNow(stale)).finally(() => {
      if (inFlight?.renewal === renewal) inFlight = null;
    });
    inFlight = { stale, renewal };
  }
  return inFlight.renewal;
}

async function renewNow(stale: string): Promise<string | null> {
  // Another tab may have renewed while this one waited for the lock; its pair is taken, not a second renewal.
  const newer = adoptStored(stale);
  if (newer) return newer;
  if (session.token !== stale || session.refreshToken === null) return session.token;

  let pair: SignedIn;
  try {
    const response = await send('/api/auth/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
      signal: AbortSignal.timeout(REFRESH_TIMEOUT_MS),
    });
    pair = (await response.json()) as SignedIn;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error instanceof ApiError ? error : new ApiError(0, '');
    // Refused: the session has ended, or (without locks) another tab spent the same refresh token a moment
    // earlier and is about to store the pair it got.
    if (!hasLocks()) await storedWithin(stale, PEER_WAIT_MS);
    const taken = adoptStored(stale);
    if (taken) return taken;
    if (session.token === stale) signOut('expired');
    return session.token;
  }
  // Signed out (or signed in anew) meanwhile: that stands.
  if (session.token !== stale) return session.token;
  signIn(pair);
  return pair.token;
}

/** Adopts the pair in localStorage when it is not `stale` and still valid; returns its token. */
function adoptStored(stale: string): string | null {
  const stored = storedPair();
  if (!stored || stored.token === stale || Date.parse(stored.expiresAt) <= serverNow()) return null;
  if (stored.token !== session.token) adopt(stored);
  return stored.token;
}

async function storedWithin(stale: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (storedPair()?.token === stale && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

// Web Locks exist only in secure contexts; FireNet usually runs on a plain-HTTP LAN address.
function hasLocks(): boolean {
  return typeof navigator.locks?.request === 'function';
}

function exclusively<T>(task: () => Promise<T>): Promise<T> {
  return hasLocks() ? (navigator.locks.request(LOCK_NAME, task) as Promise<T>) : task();
}

let plan: { token: string; renewAt: number } | null = null;

/** When (by this tab's clock) the current token should be renewed; computed once per token. */
function renewalDue(): number {
  const token = session.token ?? '';
  if (plan?.token !== token) {
    const left = Math.max(0, (Date.parse(session.expiresAt ?? '') || 0) - serverNow());
    // A little randomness, so that tabs without Web Locks rarely renew at the same moment.
    const margin = Math.min(MAX_MARGIN_MS, left / 4) * (1 + Math.random() / 2);
    plan = { token, renewAt: Date.now() + left - margin };
  }
  return plan.renewAt;
}

/** Renews the token before it runs out while the session lasts; returns the function that stops it. */
export function keepSessionFresh(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastRun = 0;

  const schedule = (delay: number) => {
    clearTimeout(timer);
    if (session.token === null) return;
    timer = setTimeout(run, Math.max(delay, lastRun + MIN_DELAY_MS - Date.now(), 0));
  };
  const run = () => {
    const token = session.token;
    if (token === null) return;
    if (Date.now() < renewalDue()) return schedule(renewalDue() - Date.now());
    lastRun = Date.now();
    // A new token reschedules through the watcher below; an unreachable server is tried again later.
    renew(token).catch(() => schedule(RETRY_MS));
  };
  const stopWatch = watch(() => session.token, () => schedule(renewalDue() - Date.now()), { immediate: true });
  // Timers of a hidden tab or a sleeping PC run late: look again when the page is back.
  const wake = () => {
    if (document.visibilityState === 'visible') run();
  };
  document.addEventListener('visibilitychange', wake);
  window.addEventListener('online', wake);

  return () => {
    clearTimeout(timer);
    stopWatch();
    document.removeEventListener('visibilitychange', wake);
    window.removeEventListener('online', wake);
  };
}
