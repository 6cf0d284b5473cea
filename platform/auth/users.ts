// People: login, tokens, the admin account and the demo users.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { User } from '../../contracts/records.js';
import type { Store, UserRecord } from '../store/store.js';
import { hashRandomToken, hashSecret, verifySecret } from './hash.js';
import { ApiTokens, isApiToken, tokenUser } from './api-tokens.js';
import { LoginThrottle } from './throttle.js';
import type { TokenSigner } from './tokens.js';

export class StartupError extends Error {}

export function publicUser(u: UserRecord): User {
  return { id: u.id, username: u.username, role: u.role, regionCode: u.regionCode, siteIds: u.siteIds, disabled: u.disabled };
}

/** What a sign-in or a refresh hands out: a short-lived access token and the single-use refresh token for the next one. */
export interface TokenPair {
  token: string;
  expiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
}

/** How a caller proved who they are: a person's sign-in session, or an integration's API token. */
export type Credential =
  | { kind: 'session'; sessionId: string }
  | { kind: 'api_token'; tokenId: string; readOnly: boolean; /** epoch ms; null: until revoked */ expiresAt: number | null };

export interface Caller {
  user: User;
  credential: Credential;
}

/** What stopped working: one session (logout, a reused refresh token), every session of a user, or an API token. */
export type Revocation = { sessionId: string } | { userId: string } | { apiTokenId: string };

export interface UsersOptions {
  throttle?: LoginThrottle;
  refreshTtlSec?: number;
  /** A spent refresh token presented again within this window is refused without ending the session (two tabs). */
  refreshReuseGraceSec?: number;
}

export class Users {
  readonly apiTokens: ApiTokens;
  private readonly throttle: LoginThrottle;
  private readonly refreshTtlSec: number;
  private readonly reuseGraceMs: number;
  private readonly revokedListeners = new Set<(r: Revocation) => void>();

  constructor(
    private readonly store: Store,
    private readonly tokens: TokenSigner,
    private readonly logger: Logger,
    options: UsersOptions = {},
  ) {
    this.apiTokens = new ApiTokens(store.apiTokens);
    this.throttle = options.throttle ?? new LoginThrottle(5, 15 * 60_000);
    this.refreshTtlSec = options.refreshTtlSec ?? 7 * 24 * 3600;
    this.reuseGraceMs = (options.refreshReuseGraceSec ?? 30) * 1000;
  }

  /** Calls `listener` after each revocation (live connections made with it are closed there). */
  onRevoked(listener: (r: Revocation) => void): void {
    this.revokedListeners.add(listener);
  }

  private revoked(r: Revocation): void {
    for (const listener of this.revokedListeners) {
      try {
        listener(r);
      } catch (err) {
        this.logger.error({ err, revocation: r }, 'revocation listener failed');
      }
    }
  }

  /** Seconds until `address` may try to sign in as `username` again after too many failures from there; 0 when it may now. */
  loginLockedFor(username: string, address: string): number {
    return Math.ceil(this.throttle.lockedFor(username, address) / 1000);
  }

  /**
   * A new session, or why not: a wrong username or password (not told apart), or a disabled account. A refusal
   * is answered later the more failures the username has had lately, from anywhere (see LoginThrottle).
   */
  async login(username: string, password: string, address: string): Promise<(TokenPair & { user: User }) | 'refused' | 'disabled'> {
    const user = await this.store.findUser(username);
    // Hash even for unknown users, so response time does not tell which usernames exist.
    const ok = user ? await verifySecret(password, user.passwordHash) : (await verifySecret(password, DUMMY_HASH), false);
    if (!user || !ok) {
      const holdMs = this.throttle.fail(username, address);
      this.logger.warn({ username, address, holdMs }, 'login refused');
      if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
      return 'refused';
    }
    // Only someone who knows the password learns that the account is disabled.
    if (user.disabled) {
      this.logger.warn({ username }, 'login refused: account disabled');
      return 'disabled';
    }
    this.throttle.reset(username, address);
    const sessionId = randomUUID();
    const refresh = this.newRefresh();
    await this.store.sessions.open({ id: sessionId, userId: user.id, at: Date.now() }, refresh);
    this.logger.info({ userId: user.id, username, sessionId }, 'login');
    return { ...this.pair(user.id, sessionId, refresh), user: publicUser(user) };
  }

  /** Spends a refresh token for a new pair; null when it is unknown, expired or revoked. Reuse revokes the session. */
  async refresh(refreshToken: string): Promise<(TokenPair & { user: User }) | null> {
    const next = this.newRefresh();
    const outcome = await this.store.sessions.rotate(hashRandomToken(refreshToken), next, Date.now(), this.reuseGraceMs);
    if (outcome.kind === 'reused') {
      this.logger.warn({ userId: outcome.userId, sessionId: outcome.sessionId }, 'refresh token reused: session revoked');
      this.revoked({ sessionId: outcome.sessionId });
    }
    if (outcome.kind !== 'ok') return null;
    const user = await this.store.getUser(outcome.userId);
    return user && !user.disabled ? { ...this.pair(user.id, outcome.sessionId, next), user: publicUser(user) } : null;
  }

  /** Ends the session of `token`: it, and every refresh token of the session, stop working. */
  async logout(token: string): Promise<void> {
    const claims = this.tokens.verify(token);
    if (!claims) return;
    await this.store.sessions.revoke(claims.sid, Date.now());
    this.logger.info({ userId: claims.sub, sessionId: claims.sid }, 'logout');
    this.revoked({ sessionId: claims.sid });
  }

  /** Ends every session of a user (a new password, role or scope must not be outlived by tokens issued before). */
  async endSessions(userId: string): Promise<void> {
    await this.store.sessions.revokeAll(userId, Date.now());
    this.revoked({ userId });
  }

  async revokeApiToken(id: string): Promise<boolean> {
    const done = await this.apiTokens.revoke(id);
    if (done) {
      this.logger.info({ apiTokenId: id }, 'API token revoked');
      this.revoked({ apiTokenId: id });
    }
    return done;
  }

  /** Who a bearer token (a session's access token or an API token) belongs to; null when it is not valid now. */
  async identify(token: string | undefined): Promise<Caller | null> {
    if (!token) return null;
    if (isApiToken(token)) {
      const record = await this.apiTokens.verify(token);
      return record ? { user: tokenUser(record), credential: {
        kind: 'api_token', tokenId: record.id, readOnly: record.readOnly, expiresAt: record.expiresAt ? Date.parse(record.expiresAt) : null,
      } } : null;
    }
    const claims = this.tokens.verify(token);
    if (!claims) return null;
    const user = await this.store.sessionUser(claims.sid, claims.sub);
    return user && !user.disabled ? { user: publicUser(user), credential: { kind: 'session', sessionId: claims.sid } } : null;
  }

  private newRefresh(): { token: string; hash: string; expiresAt: number } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: hashRandomToken(token), expiresAt: Date.now() + this.refreshTtlSec * 1000 };
  }

  private pair(userId: string, sessionId: string, refresh: { token: string; expiresAt: number }): TokenPair {
    return { ...this.tokens.sign(userId, sessionId), refreshToken: refresh.token, refreshExpiresAt: new Date(refresh.expiresAt).toISOString() };
  }

  /**
   * The `admin` user always exists. FIRENET_ADMIN_PASSWORD sets (and resets) its password; without it,
   * demo mode uses the published demo password and a production start refuses to run.
   */
  async ensureAdmin(password: string | undefined, demo: boolean): Promise<void> {
    const existing = await this.store.findUser('admin');
    if (existing) {
      if (password && !(await verifySecret(password, existing.passwordHash))) {
        await this.store.setPassword(existing.id, await hashSecret(password));
        this.logger.info('admin password reset from FIRENET_ADMIN_PASSWORD');
      }
      // FIRENET_ADMIN_PASSWORD is the way back in: it also enables an admin account another admin disabled.
      if (password && existing.disabled) {
        await this.store.updateUser(existing.id, { role: existing.role, regionCode: existing.regionCode, siteIds: existing.siteIds, disabled: false });
        this.logger.warn('admin account enabled again by FIRENET_ADMIN_PASSWORD');
      }
      if (!password && !demo && (await verifySecret(DEMO_PASSWORD, existing.passwordHash))) {
        throw new StartupError('the admin password is still the published demo password: set FIRENET_ADMIN_PASSWORD (at least 8 characters) to replace it, or run in demo mode (FIRENET_DEMO=1)');
      }
      return;
    }
    const chosen = password ?? (demo ? DEMO_PASSWORD : undefined);
    if (!chosen) throw new StartupError('no admin user yet: set FIRENET_ADMIN_PASSWORD (at least 8 characters) to create one, or run in demo mode (FIRENET_DEMO=1)');
    await this.store.createUser({ username: 'admin', passwordHash: await hashSecret(chosen), role: 'admin', regionCode: null, siteIds: [] });
    this.logger.info('admin user created');
  }

  /**
   * Demo users exist only in demo mode: outside it, those of `usernames` still on the published demo password
   * are removed (with their sessions). One an admin gave a password of its own is kept. Returns the removed names.
   */
  async retireDemoUsers(usernames: readonly string[]): Promise<string[]> {
    const removed: string[] = [];
    const staff = (await this.store.listUsers()).filter((u) => u.passwordHash === DEMO_STAFF_HASH).map((u) => u.username);
    for (const username of [...usernames, ...staff]) {
      const user = await this.store.findUser(username);
      if (!user || (user.passwordHash !== DEMO_STAFF_HASH && !(await verifySecret(DEMO_PASSWORD, user.passwordHash)))) continue;
      await this.store.deleteUser(user.id);
      this.revoked({ userId: user.id });
      removed.push(username);
    }
    if (removed.length) this.logger.warn({ removed }, 'demo users removed: FireNet is not in demo mode');
    return removed;
  }

  async ensureUser(user: Omit<UserRecord, 'id' | 'passwordHash' | 'disabled'>, password: string): Promise<void> {
    if (await this.store.findUser(user.username)) return;
    await this.store.createUser({ ...user, passwordHash: await hashSecret(password) });
  }
}

/** The demo users' password (demo mode only; listed in the README). */
export const DEMO_PASSWORD = 'firenet-demo';
/** The demo's control-room staff: accounts nobody signs in with (no password verifies against it), gone with demo mode. */
export const DEMO_STAFF_HASH = '!demo-staff';

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
