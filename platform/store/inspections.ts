// Inspections of the 日周月 rhythm (daily front-line, weekly department, monthly leadership checks):
// what the monthly report counts as "checks done".
import { randomUUID } from 'node:crypto';
import type { SiteScope } from '../../contracts/scope.js';
import type { Inspection, InspectionKind } from '../../contracts/reports.js';
import type { Queryable } from './executor.js';
import { iso, when, Where, type Row } from './rows.js';
import { scopeClauses } from './scope-sql.js';

export interface NewInspection {
  siteId: string;
  regionCode: string;
  kind: InspectionKind;
  inspector: string;
  performedAt: number;
  findings: string;
  hazardsFound: number;
  createdBy: string;
  at: number;
}

export interface InspectionFilter {
  siteId?: string;
  kind?: InspectionKind;
  from?: number;
  to?: number;
}

function toInspection(r: Row): Inspection {
  return {
    id: String(r.id), siteId: String(r.site_id), siteName: String(r.site_name ?? ''), regionCode: String(r.region_code),
    kind: r.kind as InspectionKind, inspector: String(r.inspector), performedAt: iso(r.performed_at), findings: String(r.findings),
    hazardsFound: Number(r.hazards_found), createdBy: String(r.created_by), createdAt: iso(r.created_at),
  };
}

export class InspectionStore {
  constructor(private readonly db: Queryable) {}

  async record(i: NewInspection): Promise<Inspection> {
    const rows = await this.db.query(
      `with added as (
         insert into inspections (id, site_id, region_code, kind, inspector, performed_at, findings, hazards_found, created_by, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning *)
       select i.*, s.name as site_name from added i join sites s on s.id = i.site_id`,
      [randomUUID(), i.siteId, i.regionCode, i.kind, i.inspector, when(i.performedAt), i.findings, i.hazardsFound, i.createdBy, when(i.at)],
    );
    return toInspection(rows[0]!);
  }

  /** Newest first; `from`/`to` bound when the check was performed: [from, to). */
  async list(scopes: readonly SiteScope[], filter: InspectionFilter & { limit: number; offset?: number }): Promise<Inspection[]> {
    const where = inspectionWhere(scopes, filter);
    const rows = await this.db.query(
      `select i.*, s.name as site_name from inspections i join sites s on s.id = i.site_id ${where}
       order by i.performed_at desc, i.id limit ${where.param(filter.limit)} offset ${where.param(filter.offset ?? 0)}`,
      where.params,
    );
    return rows.map(toInspection);
  }

  /** How many inspections `list` would give without a limit. */
  async count(scopes: readonly SiteScope[], filter: InspectionFilter): Promise<number> {
    const where = inspectionWhere(scopes, filter);
    const rows = await this.db.query(`select count(*)::int as n from inspections i join sites s on s.id = i.site_id ${where}`, where.params);
    return Number(rows[0]?.n ?? 0);
  }
}

function inspectionWhere(scopes: readonly SiteScope[], filter: InspectionFilter): Where {
  const where = scopeClauses(new Where(), scopes, 's');
  if (filter.siteId) where.add('i.site_id = ?', filter.siteId);
  if (filter.kind) where.add('i.kind = ?', filter.kind);
  if (filter.from !== undefined) where.add('i.performed_at >= ?', when(filter.from));
  if (filter.to !== undefined) where.add('i.performed_at < ?', when(filter.to));
  return where;
}
