// Calls to the platform on behalf of the signed-in user.
import { freshToken, renew } from './auth';
import { ApiError, readJson, send } from './http';
import { signOut } from './session';
import type { SignedIn } from './types';

export { ApiError };

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, string | undefined>;
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * fetch with the session's access token (renewed first when it is about to run out). When the server refuses
 * the token, it is renewed once and the call made once more; when renewal fails the tab has signed out.
 * A failure is an ApiError carrying the server's message.
 */
export async function authFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const token = await freshToken();
  try {
    return await send(path, withBearer(init, token));
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || token === null) throw error;
    const renewed = await renew(token);
    if (renewed === null) throw error;
    return send(path, withBearer(init, renewed));
  }
}

/** A JSON call with the session's token (see authFetch). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await authFetch(withQuery(path, options.query), {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  return (await readJson(response)) as T;
}

/** One page of a list: the items, and how many there are in all pages (the server's X-Total-Count). */
export interface Page<T> {
  items: T[];
  total: number;
}

/** A list call under the paging contract (limit + offset in the query, the total in X-Total-Count). */
export async function apiPage<T>(path: string, options: RequestOptions & { limit: number; offset?: number }): Promise<Page<T>> {
  const query = { ...options.query, limit: String(options.limit), offset: String(options.offset ?? 0) };
  const response = await authFetch(withQuery(path, query), { headers: { Accept: 'application/json' }, signal: options.signal });
  const items = ((await readJson(response)) ?? []) as T[];
  const total = Number(response.headers.get('x-total-count'));
  return { items, total: Number.isFinite(total) && response.headers.has('x-total-count') ? total : items.length };
}

export async function login(username: string, password: string): Promise<SignedIn> {
  const response = await send('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return (await response.json()) as SignedIn;
}

const LOGOUT_TIMEOUT_MS = 10_000;

/**
 * Signs out here and in every tab at once, then ends the session on the server with the token taken before
 * (best effort: offline, or with the server gone, the tabs are signed out all the same).
 */
export async function logout(): Promise<void> {
  const token = await freshToken();
  signOut('user');
  if (token === null) return;
  await send('/api/auth/logout', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(LOGOUT_TIMEOUT_MS),
  }).catch(() => undefined);
}

function withBearer(init: RequestInit, token: string | null): RequestInit {
  const headers = new Headers(init.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  return { ...init, headers };
}

function withQuery(path: string, query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(key, value);
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
