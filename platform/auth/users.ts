// People: login, tokens, the admin account and the demo users.
import type { Logger } from 'pino';
import type { User } from '../schemas.js';
import type { Store, UserRecord } from '../store/store.js';
import { hashSecret, verifySecret } from './hash.js';
import { TokenSigner } from './tokens.js';

export class StartupError extends Error {}

export function publicUser(u: UserRecord): User {
  return { id: u.id, username: u.username, role: u.role, regionCode: u.regionCode, siteIds: u.siteIds };
}

export class Users {
  constructor(private readonly store: Store, private readonly tokens: TokenSigner, private readonly logger: Logger) {}

  async login(username: string, password: string): Promise<{ token: string; expiresAt: string; user: User } | null> {
    const user = await this.store.findUser(username);
    // Hash even for unknown users, so response time does not tell which usernames exist.
    const ok = user ? await verifySecret(password, user.passwordHash) : (await verifySecret(password, DUMMY_HASH), false);
    if (!user || !ok) {
      this.logger.warn({ username }, 'login refused');
      return null;
    }
    this.logger.info({ userId: user.id, username }, 'login');
    return { ...this.tokens.sign(user.id), user: publicUser(user) };
  }

  async authenticate(token: string | undefined): Promise<User | null> {
    if (!token) return null;
    const claims = this.tokens.verify(token);
    if (!claims) return null;
    const user = await this.store.getUser(claims.sub);
    return user ? publicUser(user) : null;
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
      return;
    }
    const chosen = password ?? (demo ? DEMO_PASSWORD : undefined);
    if (!chosen) throw new StartupError('no admin user yet: set FIRENET_ADMIN_PASSWORD (at least 8 characters) to create one, or run in demo mode (FIRENET_DEMO=1)');
    await this.store.createUser({ username: 'admin', passwordHash: await hashSecret(chosen), role: 'admin', regionCode: null, siteIds: [] });
    this.logger.info('admin user created');
  }

  async ensureUser(user: Omit<UserRecord, 'id' | 'passwordHash'>, password: string): Promise<void> {
    if (await this.store.findUser(user.username)) return;
    await this.store.createUser({ ...user, passwordHash: await hashSecret(password) });
  }
}

/** The demo users' password (demo mode only; listed in the README). */
export const DEMO_PASSWORD = 'firenet-demo';

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
