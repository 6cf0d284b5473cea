// The signed-in session: the token pair and the user, in this tab and in localStorage (shared by every tab).
import { reactive } from 'vue';
import type { SignedIn, User } from './types';

const SESSION_KEY = 'firenet.session';
// Before refresh tokens the access token and the user were stored apart; such a session cannot be renewed.
const LEGACY_KEYS = ['firenet.token', 'firenet.user'];

/** Why the user is looking at the login form again; shown there. */
export type SignOutReason = 'user' | 'expired';

export const session = reactive({
  /** The access token (Authorization: Bearer); short-lived, renewed by auth.ts. */
  token: null as string | null,
  expiresAt: null as string | null,
  /** Single use: spent by the next renewal. */
  refreshToken: null as string | null,
  refreshExpiresAt: null as string | null,
  user: null as User | null,
  signedOutBecause: null as SignOutReason | null,
});

/** Starts a session, or continues it with a renewed pair: in this tab, and for every other tab through localStorage. */
export function signIn(pair: SignedIn): void {
  adopt(pair);
  write(JSON.stringify(pick(pair)));
}

/** Continues with a pair another tab stored (it is in localStorage already). */
export function adopt(pair: SignedIn): void {
  session.token = pair.token;
  session.expiresAt = pair.expiresAt;
  session.refreshToken = pair.refreshToken;
  session.refreshExpiresAt = pair.refreshExpiresAt;
  session.user = pair.user;
  session.signedOutBecause = null;
}

export function signOut(reason: SignOutReason = 'user'): void {
  if (session.token === null) return;
  clear(reason);
  write(null);
}

/** The pair in localStorage now: another tab may have stored a newer one than this tab holds. */
export function storedPair(): SignedIn | null {
  return parsePair(read());
}

function clear(reason: SignOutReason): void {
  session.token = null;
  session.expiresAt = null;
  session.refreshToken = null;
  session.refreshExpiresAt = null;
  session.user = null;
  session.signedOutBecause = reason;
}

function pick({ token, expiresAt, refreshToken, refreshExpiresAt, user }: SignedIn): SignedIn {
  return { token, expiresAt, refreshToken, refreshExpiresAt, user };
}

function parsePair(text: string | null): SignedIn | null {
  if (!text) return null;
  try {
    const pair = JSON.parse(text) as Partial<SignedIn>;
    const strings = [pair.token, pair.expiresAt, pair.refreshToken, pair.refreshExpiresAt, pair.user?.username];
    return strings.every((s) => typeof s === 'string') ? (pair as SignedIn) : null;
  } catch {
    return null;
  }
}

// Storage can be unavailable (private mode, quota); the session then lasts for the page only.
function read(): string | null {
  try {
    return localStorage.getItem(SESSION_KEY);
  } catch {
    return null;
  }
}

function write(value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(SESSION_KEY);
    else localStorage.setItem(SESSION_KEY, value);
  } catch {
    /* see read() */
  }
}

function restore(): void {
  try {
    for (const key of LEGACY_KEYS) localStorage.removeItem(key);
  } catch {
    /* see read() */
  }
  const pair = storedPair();
  // A pair whose refresh token has run out cannot be renewed: start at the login form.
  if (pair && Date.parse(pair.refreshExpiresAt) > Date.now()) adopt(pair);
  else if (pair) write(null);
}

restore();

// Every tab follows the stored pair: a renewal in one is adopted by the others (so none spends a used
// refresh token), and logging out in one tab logs out every tab of the duty room.
window.addEventListener('storage', (event) => {
  if (event.key !== SESSION_KEY && event.key !== null) return;
  const pair = storedPair();
  if (!pair) {
    if (session.token !== null) clear('user');
  } else if (pair.token !== session.token) adopt(pair);
});
