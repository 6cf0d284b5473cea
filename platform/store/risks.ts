// The risk register's table: risk points per institution, reassessed in place (the audit log keeps what they were),
// retired rather than deleted.
import { randomUUID } from 'node:crypto';
import { riskLevels, type NewRiskPoint, type RiskCategory, type RiskLevel, type RiskPoint, type RiskPointChange, type RiskSummary } from '../../contracts/risks.js';
import type { GroupColumn, SiteScope } from '../../contracts/scope.js';
import type { Queryable } from './executor.js';
import { iso, isoOrNull, textOrNull, when, Where, type Row } from './rows.js';
import { scopeClauses } from './scope-sql.js';

export interface RiskFilter {
  siteId?: string;
  level?: RiskLevel;
  category?: RiskCategory;
  /** Only points whose review date has passed by `today`. */
  reviewOverdue?: boolean;
  /** Retired points too. */
  retired?: boolean;
}

/** A reassessment as stored: the level is the caller's (platform/risks/assessment.ts). */
export type StoredChange = RiskPointChange & { level?: RiskLevel };

const COLUMNS = `r.*, to_char(r.review_by, 'YYYY-MM-DD') as review_day, s.name as site_name`;

function toRiskPoint(r: Row, today: string): RiskPoint {
  const reviewBy = String(r.review_day);
  const retiredAt = isoOrNull(r.retired_at);
  return {
    id: String(r.id), siteId: String(r.site_id), siteName: String(r.site_name ?? ''), regionCode: String(r.region_code),
    place: String(r.place), hazardSource: String(r.hazard_source), category: r.category as RiskCategory,
    likelihood: Number(r.likelihood), severity: Number(r.severity), score: Number(r.likelihood) * Number(r.severity), level: r.level as RiskLevel,
    controls: String(r.controls), responsible: r.responsible as RiskPoint['responsible'], reviewBy,
    reviewOverdue: retiredAt === null && reviewBy < today,
    createdAt: iso(r.created_at), createdBy: String(r.created_by), updatedAt: iso(r.updated_at), updatedBy: String(r.updated_by),
    retiredAt, retiredBy: textOrNull(r.retired_by), retiredNote: textOrNull(r.retired_note),
  };
}

export class RiskStore {
  constructor(private readonly db: Queryable) {}

  async add(p: NewRiskPoint & { regionCode: string; level: RiskLevel }, by: string, at: number, today: string): Promise<RiskPoint> {
    const rows = await this.db.query(
      `with added as (
         insert into risk_points (id, site_id, region_code, place, hazard_source, category, likelihood, severity, level, controls, responsible,
           review_by, created_at, created_by, updated_at, updated_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $13, $14) returning *)
       select ${COLUMNS} from added r join sites s on s.id = r.site_id`,
      [randomUUID(), p.siteId, p.regionCode, p.place, p.hazardSource, p.category, p.likelihood, p.severity, p.level, p.controls,
        JSON.stringify(p.responsible), p.reviewBy, when(at), by],
    );
    return toRiskPoint(rows[0]!, today);
  }

  async get(id: string, scopes: readonly SiteScope[], today: string): Promise<RiskPoint | null> {
    const where = scopeClauses(new Where().add('r.id = ?', id), scopes, 's');
    const rows = await this.db.query(`select ${COLUMNS} from risk_points r join sites s on s.id = r.site_id ${where}`, where.params);
    return rows[0] ? toRiskPoint(rows[0], today) : null;
  }

  /** Changes an active point; null if it is retired (or gone) meanwhile. */
  async change(id: string, c: StoredChange, by: string, at: number, today: string): Promise<RiskPoint | null> {
    const set = new Where([id, when(at), by]);
    const columns: [keyof StoredChange, string, (v: unknown) => unknown][] = [
      ['place', 'place', (v) => v], ['hazardSource', 'hazard_source', (v) => v], ['category', 'category', (v) => v],
      ['likelihood', 'likelihood', (v) => v], ['severity', 'severity', (v) => v], ['level', 'level', (v) => v],
      ['controls', 'controls', (v) => v], ['responsible', 'responsible', (v) => JSON.stringify(v)], ['reviewBy', 'review_by', (v) => v],
    ];
    for (const [key, column, value] of columns) if (c[key] !== undefined) set.add(`${column} = ?`, value(c[key]));
    const rows = await this.db.query(
      `with changed as (
         update risk_points set updated_at = $2, updated_by = $3${set.clauses.map((s) => `, ${s}`).join('')}
         where id = $1 and retired_at is null returning *)
       select ${COLUMNS} from changed r join sites s on s.id = r.site_id`,
      set.params,
    );
    return rows[0] ? toRiskPoint(rows[0], today) : null;
  }

  /** Takes an active point off the register; null if it was retired already. */
  async retire(id: string, note: string, by: string, at: number, today: string): Promise<RiskPoint | null> {
    const rows = await this.db.query(
      `with retired as (
         update risk_points set retired_at = $2, retired_by = $3, retired_note = $4, updated_at = $2, updated_by = $3
         where id = $1 and retired_at is null returning *)
       select ${COLUMNS} from retired r join sites s on s.id = r.site_id`,
      [id, when(at), by, note],
    );
    return rows[0] ? toRiskPoint(rows[0], today) : null;
  }

  /** Worst level first, then the oldest review date. */
  async list(scopes: readonly SiteScope[], filter: RiskFilter & { limit: number; offset?: number }, today: string): Promise<RiskPoint[]> {
    const where = riskWhere(scopes, filter, today);
    const rows = await this.db.query(
      `select ${COLUMNS} from risk_points r join sites s on s.id = r.site_id ${where}
       order by array_position(${where.param([...riskLevels])}::text[], r.level), r.review_by, r.id
       limit ${where.param(filter.limit)} offset ${where.param(filter.offset ?? 0)}`,
      where.params,
    );
    return rows.map((r) => toRiskPoint(r, today));
  }

  async count(scopes: readonly SiteScope[], filter: RiskFilter, today: string): Promise<number> {
    const where = riskWhere(scopes, filter, today);
    const rows = await this.db.query(`select count(*)::int as n from risk_points r join sites s on s.id = r.site_id ${where}`, where.params);
    return Number(rows[0]?.n ?? 0);
  }

  /** The worst level of the active risk points per child region (or institution, `id`); absent: none registered. */
  async worstBy(scopes: readonly SiteScope[], group: GroupColumn): Promise<Map<string, RiskLevel>> {
    const where = scopeClauses(new Where(), scopes, 's').add('r.retired_at is null');
    const rows = await this.db.query<{ code: string; rank: number }>(
      `select s.${group} as code, min(array_position(${where.param([...riskLevels])}::text[], r.level))::int as rank
       from risk_points r join sites s on s.id = r.site_id ${where} group by s.${group}`,
      where.params,
    );
    return new Map(rows.map((r) => [String(r.code), riskLevels[Number(r.rank) - 1]!]));
  }

  /** Per institution in scope (also those with no point: worst null): active points by level. */
  async summary(scopes: readonly SiteScope[], today: string): Promise<RiskSummary[]> {
    const where = scopeClauses(new Where(), scopes, 's');
    const rows = await this.db.query<{ id: string; name: string; region_code: string; level: string | null; n: number; overdue: number }>(
      `select s.id, s.name, s.region_code, r.level, count(r.id)::int as n, count(r.id) filter (where r.review_by < ${where.param(today)}::date)::int as overdue
       from sites s left join risk_points r on r.site_id = s.id and r.retired_at is null ${where}
       group by s.id, s.name, s.region_code, r.level order by s.id`,
      where.params,
    );
    const bySite = new Map<string, RiskSummary>();
    for (const row of rows) {
      const summary = bySite.get(row.id) ?? { siteId: row.id, siteName: row.name, regionCode: row.region_code, worst: null, counts: { major: 0, significant: 0, general: 0, low: 0 }, reviewOverdue: 0 };
      bySite.set(row.id, summary);
      if (row.level === null) continue;
      const level = row.level as RiskLevel;
      summary.counts[level] += Number(row.n);
      summary.reviewOverdue += Number(row.overdue);
      if (summary.worst === null || riskLevels.indexOf(level) < riskLevels.indexOf(summary.worst)) summary.worst = level;
    }
    return [...bySite.values()];
  }
}

function riskWhere(scopes: readonly SiteScope[], filter: RiskFilter, today: string): Where {
  const where = scopeClauses(new Where(), scopes, 's');
  if (!filter.retired) where.add('r.retired_at is null');
  if (filter.siteId) where.add('r.site_id = ?', filter.siteId);
  if (filter.level) where.add('r.level = ?', filter.level);
  if (filter.category) where.add('r.category = ?', filter.category);
  if (filter.reviewOverdue) where.add('r.review_by < ?::date and r.retired_at is null', today);
  return where;
}
