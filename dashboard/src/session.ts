import { reactive } from 'vue';
import type { User } from './types';

const TOKEN_KEY = 'firenet.token';
const USER_KEY = 'firenet.user';

/** Why the user is looking at the login form again; shown there. */
export type SignOutReason = 'user' | 'expired';

export const session = reactive({
  token: null as string | null,
  user: null as User | null,
  signedOutBecause: null as SignOutReason | null,
});

export function signIn(token: string, user: User): void {
  session.token = token;
  session.user = user;
  session.signedOutBecause = null;
  write(TOKEN_KEY, token);
  write(USER_KEY, JSON.stringify(user));
}

export function signOut(reason: SignOutReason = 'user'): void {
  if (session.token === null) return;
  session.token = null;
  session.user = null;
  session.signedOutBecause = reason;
  write(TOKEN_KEY, null);
  write(USER_KEY, null);
}

function restore(): void {
  const token = read(TOKEN_KEY);
  const user = parseUser(read(USER_KEY));
  if (token && user) {
    session.token = token;
    session.user = user;
  }
}

function parseUser(text: string | null): User | null {
  if (!text) return null;
  try {
    const user = JSON.parse(text) as Partial<User>;
    return typeof user.username === 'string' ? (user as User) : null;
  } catch {
    return null;
  }
}

// Storage can be unavailable (private mode, quota); the session then lasts for the page only.
function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* see read() */
  }
}

restore();

// Logging out in one tab logs out every tab of the duty room.
window.addEventListener('storage', (event) => {
  if (event.key === TOKEN_KEY && event.newValue === null) signOut('user');
});
