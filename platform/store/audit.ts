// The audit log: every change a person made through the API. Append-only.
import type { AuditLogEntry } from '../schemas.js';
import type { SqlExecutor } from './executor.js';
import { iso, textOrNull, when } from './rows.js';

export interface AuditEntry {
  at: number;
  actor: string;
  actorId: string | null;
  action: string;
  target: string;
  details: Record<string, unknown>;
  ip: string | null;
  /** Every region the change concerns, with its ancestors: a bureau reads entries carrying its code. */
  regionCodes: string[];
}

export class AuditStore {
  constructor(private readonly db: SqlExecutor) {}

  async record(e: AuditEntry): Promise<void> {
    await this.db.query(
      'insert into audit_log (at, actor, actor_id, action, target, details, ip, region_codes) values ($1, $2, $3, $4, $5, $6, $7, $8)',
      [when(e.at), e.actor, e.actorId, e.action, e.target, JSON.stringify(e.details), e.ip, e.regionCodes],
    );
  }

  /** Newest first; `regionCode` narrows to entries concerning that region (or anything below it). */
  async list(filter: { regionCode?: string; limit: number }): Promise<AuditLogEntry[]> {
    const rows = filter.regionCode === undefined
      ? await this.db.query('select * from audit_log order by id desc limit $1', [filter.limit])
      : await this.db.query('select * from audit_log where $2 = any(region_codes) order by id desc limit $1', [filter.limit, filter.regionCode]);
    return rows.map((r) => ({
      id: String(r.id), at: iso(r.at), actor: String(r.actor), action: String(r.action), target: String(r.target),
      details: (r.details ?? {}) as Record<string, unknown>, ip: textOrNull(r.ip),
    }));
  }
}
