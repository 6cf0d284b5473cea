// API tokens for integrations: created by an admin, scoped like a user, revocable. Only the secret's hash is stored.
import type { Role } from '../../contracts/records.js';
import type { SqlExecutor } from './executor.js';
import { iso, isoOrNull, textOrNull, when, type Row } from './rows.js';

export interface ApiTokenRecord {
  id: string;
  name: string;
  secretHash: string;
  role: Role;
  regionCode: string | null;
  siteIds: string[];
  readOnly: boolean;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export type NewApiToken = Omit<ApiTokenRecord, 'createdAt' | 'revokedAt' | 'lastUsedAt' | 'expiresAt'> & { createdAt: number; expiresAt: number | null };

function toRecord(r: Row): ApiTokenRecord {
  return {
    id: String(r.id), name: String(r.name), secretHash: String(r.secret_hash), role: r.role as Role,
    regionCode: textOrNull(r.region_code), siteIds: (r.site_ids as string[] | null) ?? [], readOnly: Boolean(r.read_only),
    createdBy: String(r.created_by), createdAt: iso(r.created_at), expiresAt: isoOrNull(r.expires_at),
    revokedAt: isoOrNull(r.revoked_at), lastUsedAt: isoOrNull(r.last_used_at),
  };
}

export class ApiTokenStore {
  constructor(private readonly db: SqlExecutor) {}

  async create(t: NewApiToken): Promise<ApiTokenRecord> {
    const rows = await this.db.query(
      `insert into api_tokens (id, name, secret_hash, role, region_code, site_ids, read_only, created_by, created_at, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning *`,
      [t.id, t.name, t.secretHash, t.role, t.regionCode, t.siteIds, t.readOnly, t.createdBy, when(t.createdAt), t.expiresAt === null ? null : when(t.expiresAt)],
    );
    return toRecord(rows[0]!);
  }

  async get(id: string): Promise<ApiTokenRecord | null> {
    const rows = await this.db.query('select * from api_tokens where id = $1', [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Newest first, revoked ones included (the list is the tokens' history too). */
  async list(): Promise<ApiTokenRecord[]> {
    return (await this.db.query('select * from api_tokens order by created_at desc, id')).map(toRecord);
  }

  /** True when the token was live and is now revoked. */
  async revoke(id: string, at: number): Promise<boolean> {
    const rows = await this.db.query('update api_tokens set revoked_at = $2 where id = $1 and revoked_at is null returning id', [id, when(at)]);
    return rows.length > 0;
  }

  async touch(id: string, at: number): Promise<void> {
    await this.db.query('update api_tokens set last_used_at = $2 where id = $1', [id, when(at)]);
  }
}
