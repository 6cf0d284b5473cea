// The audit log: every change a person made through the API. Append-only: an entry is written in the
// transaction of its change (see audited.ts) and completed, once, with the answer's status.
import { storableText } from '../../contracts/device-api.js';
import type { AuditEntry, AuditLogEntry } from '../../contracts/records.js';
import type { Queryable } from './executor.js';
import { iso, textOrNull, when } from './rows.js';
import { nameAuditObjects, type AuditObject } from './audit-names.js';

/** What is known of a change only once it is answered. */
export interface AuditOutcome {
  target: string;
  status: number;
  /** The id (or username) a creation made. */
  created: string | null;
}

const MAX_DEPTH = 8;

/**
 * `value` as PostgreSQL text and jsonb can hold it: NUL and lone surrogates (in values and keys) become U+FFFD,
 * and nesting past a few levels is cut. An audit write must never fail because of what a request carried.
 */
export function storable<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (value === null || typeof value !== 'object') return (typeof value === 'number' && !Number.isFinite(value) ? null : value) as T;
  if (depth >= MAX_DEPTH) return '…' as T;
  if (Array.isArray(value)) return value.map((v) => storable(v, depth + 1)) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k), storable(v, depth + 1)])) as T;
}

export class AuditStore {
  constructor(private readonly db: Queryable) {}

  /** Writes `e` through `q` (the transaction of its change); returns its id. */
  async insert(q: Queryable, e: AuditEntry): Promise<string> {
    const s = storable(e);
    const rows = await q.query<{ id: unknown }>(
      'insert into audit_log (at, actor, actor_id, action, target, details, ip, region_codes) values ($1, $2, $3, $4, $5, $6, $7, $8) returning id',
      [when(s.at), s.actor, s.actorId, s.action, s.target, JSON.stringify(s.details), s.ip, s.regionCodes],
    );
    return String(rows[0]!.id);
  }

  /** An entry for a change that made no transaction of its own. */
  record(e: AuditEntry): Promise<string> {
    return this.insert(this.db, e);
  }

  /** Adds what the answer told (its status, what it created) to entry `id`. */
  async complete(id: string, outcome: AuditOutcome): Promise<void> {
    const s = storable(outcome);
    await this.db.query(
      'update audit_log set target = $2, details = details || $3::jsonb where id = $1',
      [id, s.target, JSON.stringify({ status: s.status, ...(s.created ? { created: s.created } : {}) })],
    );
  }

  /** The records the targets name, by name (store/audit-names.ts). */
  async objects(targets: readonly string[]): Promise<Map<string, AuditObject | null>> {
    return nameAuditObjects(this.db, targets);
  }

  /** How many entries `list` would give without a limit. */
  async count(filter: { regionCode?: string }): Promise<number> {
    const rows = filter.regionCode === undefined
      ? await this.db.query('select count(*)::int as n from audit_log')
      : await this.db.query('select count(*)::int as n from audit_log where $1 = any(region_codes)', [filter.regionCode]);
    return Number(rows[0]?.n ?? 0);
  }

  /** Newest first; `regionCode` narrows to entries concerning that region (or anything below it). */
  async list(filter: { regionCode?: string; limit: number; offset?: number }): Promise<AuditLogEntry[]> {
    const offset = filter.offset ?? 0;
    const rows = filter.regionCode === undefined
      ? await this.db.query('select * from audit_log order by id desc limit $1 offset $2', [filter.limit, offset])
      : await this.db.query('select * from audit_log where $3 = any(region_codes) order by id desc limit $1 offset $2', [filter.limit, offset, filter.regionCode]);
    return rows.map((r) => ({
      id: String(r.id), at: iso(r.at), actor: String(r.actor), action: String(r.action), target: String(r.target),
      details: (r.details ?? {}) as Record<string, unknown>, ip: textOrNull(r.ip),
    }));
  }
}
