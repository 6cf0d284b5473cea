// API tokens for integrations (a provincial 119 platform pulling alarms, a hospital's building-management system):
// `fnt_<id>_<secret>`, made by an admin with a role and a scope like a person's, read-only unless said otherwise,
// revocable at once. The caller they authenticate as is `token:<name>`, so every scope check and the audit log apply.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { hashRandomToken } from './hash.js';
import type { ApiTokenRecord, ApiTokenStore } from '../store/api-tokens.js';
import type { User } from '../../contracts/records.js';

export const API_TOKEN_PREFIX = 'fnt_';

/** How often a token's last use is written back (every request would be a write per read). */
const TOUCH_EVERY_MS = 60_000;

export type ApiTokenScope = Pick<User, 'role' | 'regionCode' | 'siteIds'>;

export interface IssuedApiToken {
  record: ApiTokenRecord;
  /** The bearer token, shown this once. */
  token: string;
}

export function isApiToken(token: string): boolean {
  return token.startsWith(API_TOKEN_PREFIX);
}

/** The caller an API token acts as. */
export function tokenUser(t: Pick<ApiTokenRecord, 'id' | 'name' | 'role' | 'regionCode' | 'siteIds'>): User {
  return { id: `token:${t.id}`, username: `token:${t.name}`, role: t.role, regionCode: t.regionCode, siteIds: t.siteIds, disabled: false };
}

export class ApiTokens {
  private readonly touched = new Map<string, number>();

  constructor(private readonly store: ApiTokenStore) {}

  async issue(spec: { name: string; scope: ApiTokenScope; readOnly: boolean; expiresAt: number | null; createdBy: string }, now = Date.now()): Promise<IssuedApiToken> {
    const id = randomUUID().replaceAll('-', '').slice(0, 16);
    const secret = randomBytes(32).toString('base64url');
    const record = await this.store.create({
      id, name: spec.name, secretHash: hashRandomToken(secret), ...spec.scope, readOnly: spec.readOnly,
      createdBy: spec.createdBy, createdAt: now, expiresAt: spec.expiresAt,
    });
    return { record, token: `${API_TOKEN_PREFIX}${id}_${secret}` };
  }

  /** The live token `token` names, or null (unknown, wrong secret, revoked or expired). */
  async verify(token: string, now = Date.now()): Promise<ApiTokenRecord | null> {
    const match = /^fnt_([0-9a-f]{16})_([\w-]{43})$/.exec(token);
    if (!match) return null;
    const record = await this.store.get(match[1]!);
    if (!record || record.revokedAt) return null;
    if (record.expiresAt && Date.parse(record.expiresAt) <= now) return null;
    const given = Buffer.from(hashRandomToken(match[2]!));
    const stored = Buffer.from(record.secretHash);
    if (given.length !== stored.length || !timingSafeEqual(given, stored)) return null;
    if (now - (this.touched.get(record.id) ?? 0) >= TOUCH_EVERY_MS) {
      this.touched.set(record.id, now);
      await this.store.touch(record.id, now);
    }
    return record;
  }

  list(): Promise<ApiTokenRecord[]> {
    return this.store.list();
  }

  revoke(id: string, now = Date.now()): Promise<boolean> {
    return this.store.revoke(id, now);
  }
}
