// A bureau's notices (通报) and interviews (约谈) with the institutions they concern and their acknowledgements.
import { randomUUID } from 'node:crypto';
import type { SupervisionKind, SupervisionRecord } from '../../contracts/supervision.js';
import type { SiteScope } from '../../contracts/scope.js';
import type { Queryable } from './executor.js';
import { iso, when, Where, type Row } from './rows.js';
import { scopeClauses } from './scope-sql.js';

export interface SupervisionFilter { kind?: SupervisionKind; siteId?: string; acknowledged?: boolean }

export class SupervisionStore {
  constructor(private readonly db: Queryable) {}

  async add(r: { kind: SupervisionKind; regionCode: string; issuedBy: string; at: number; title: string; findings: string; interview: SupervisionRecord['interview']; siteIds: readonly string[] }): Promise<string> {
    const id = randomUUID();
    await this.db.query(
      `insert into supervision_records (id, kind, region_code, issued_by, issued_at, title, findings, interview) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, r.kind, r.regionCode, r.issuedBy, when(r.at), r.title, r.findings, r.interview ? JSON.stringify(r.interview) : null],
    );
    await this.db.query(`insert into supervision_targets (record_id, site_id) select $1, unnest($2::text[])`, [id, [...r.siteIds]]);
    return id;
  }

  /**
   * Records concerning an institution in scope, newest first, each with only the targets the scope sees. The filter
   * `acknowledged: false` keeps records with a target in scope still to acknowledge.
   */
  async list(scopes: readonly SiteScope[], filter: SupervisionFilter & { limit: number; offset?: number }, id?: string): Promise<SupervisionRecord[]> {
    const where = targetWhere(scopes, filter);
    if (id) where.add('r.id = ?', id);
    const rows = await this.db.query(
      `select r.*, json_agg(json_build_object('siteId', s.id, 'siteName', s.name, 'regionCode', s.region_code, 'acknowledgedAt', t.acknowledged_at, 'acknowledgedBy', t.acknowledged_by) order by s.id) as target_list
       from supervision_records r join supervision_targets t on t.record_id = r.id join sites s on s.id = t.site_id ${where}
       group by r.id ${having(filter)} order by r.issued_at desc, r.id limit ${where.param(filter.limit)} offset ${where.param(filter.offset ?? 0)}`,
      where.params,
    );
    return rows.map(toRecord);
  }

  async count(scopes: readonly SiteScope[], filter: SupervisionFilter): Promise<number> {
    const where = targetWhere(scopes, filter);
    const rows = await this.db.query(
      `select count(*)::int as n from (select r.id from supervision_records r join supervision_targets t on t.record_id = r.id join sites s on s.id = t.site_id ${where}
       group by r.id ${having(filter)}) x`,
      where.params,
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Acknowledges for one institution; false if it is not concerned or acknowledged already. */
  async acknowledge(id: string, siteId: string, by: string, at: number): Promise<boolean> {
    const rows = await this.db.query(
      `update supervision_targets set acknowledged_at = $3, acknowledged_by = $4 where record_id = $1 and site_id = $2 and acknowledged_at is null returning site_id`,
      [id, siteId, when(at), by],
    );
    return rows.length === 1;
  }
}

function targetWhere(scopes: readonly SiteScope[], filter: SupervisionFilter): Where {
  const where = scopeClauses(new Where(), scopes, 's');
  if (filter.kind) where.add('r.kind = ?', filter.kind);
  if (filter.siteId) where.add('t.site_id = ?', filter.siteId);
  return where;
}

/** Acknowledged: by every institution the reader sees; not: by one of them at least still to. */
function having(filter: SupervisionFilter): string {
  if (filter.acknowledged === undefined) return '';
  return filter.acknowledged ? 'having bool_and(t.acknowledged_at is not null)' : 'having bool_or(t.acknowledged_at is null)';
}

function toRecord(r: Row): SupervisionRecord {
  const targets = (typeof r.target_list === 'string' ? JSON.parse(r.target_list) : r.target_list) as { siteId: string; siteName: string; regionCode: string; acknowledgedAt: string | null; acknowledgedBy: string | null }[];
  return {
    id: String(r.id), kind: r.kind as SupervisionKind, regionCode: String(r.region_code), issuedBy: String(r.issued_by), issuedAt: iso(r.issued_at),
    title: String(r.title), findings: String(r.findings), interview: (r.interview as SupervisionRecord['interview']) ?? null,
    targets: targets.map((t) => ({ ...t, acknowledgedAt: t.acknowledgedAt === null ? null : iso(t.acknowledgedAt) })),
  };
}
