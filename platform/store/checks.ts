// The 日周月 checks: versioned checklists, the checks done against them (with their items' photos), each
// institution's rhythm and the periods it missed.
import { randomUUID } from 'node:crypto';
import {
  CheckRhythmPlan, type Check, type CheckItem, type CheckItemResult, type CheckRhythm, type CheckTemplate, type InstitutionKind, type MissedCheck,
} from '../../contracts/duties.js';
import type { GroupColumn, SiteScope } from '../../contracts/scope.js';
import type { Queryable } from './executor.js';
import { iso, when, Where, type Row } from './rows.js';
import { scopeClauses } from './scope-sql.js';

export interface NewCheck {
  id: string;
  siteId: string;
  regionCode: string;
  template: CheckTemplate;
  period: string;
  performedAt: number;
  performedBy: string;
  items: (Omit<CheckItemResult, 'photos'> & { label: string | null })[];
  at: number;
}

export interface CheckFilter {
  siteId?: string;
  rhythm?: CheckRhythm;
  from?: number;
  to?: number;
}

export interface MissedFilter {
  siteId?: string;
  rhythm?: CheckRhythm;
}

/** An institution of the scopes with when it was registered and the checks it owes. */
export interface PlannedInstitution {
  siteId: string;
  siteName: string;
  regionCode: string;
  /** The child it counts under (planned's `group` column: its county, city, province or itself). */
  group: string;
  createdAt: number;
  plan: CheckRhythmPlan;
}

function toTemplate(r: Row): CheckTemplate {
  return {
    id: String(r.id), institutionKind: r.institution_kind as InstitutionKind, rhythm: r.rhythm as CheckRhythm, version: Number(r.version),
    items: r.items as CheckItem[], createdBy: String(r.created_by), createdAt: iso(r.created_at),
  };
}

function toCheck(r: Row): Check {
  const photos = (r.photos as { id: string; item_code: string; content_type: string }[] | null) ?? [];
  return {
    id: String(r.id), siteId: String(r.site_id), siteName: String(r.site_name ?? ''), regionCode: String(r.region_code),
    templateId: String(r.template_id), templateVersion: Number(r.template_version), rhythm: r.rhythm as CheckRhythm, period: String(r.period),
    performedAt: iso(r.performed_at), performedBy: String(r.performed_by),
    items: (r.items as Check['items']).map((item) => ({
      ...item,
      photos: photos.filter((p) => p.item_code === item.code).map((p) => ({ id: p.id, contentType: p.content_type, url: `/api/checks/${String(r.id)}/photos/${p.id}` })),
    })),
    passed: Number(r.passed), failed: Number(r.failed), fixedOnSpot: Number(r.fixed_on_spot), hazardsOpened: Number(r.hazards_opened), createdAt: iso(r.created_at),
  };
}

function toMissed(r: Row): MissedCheck {
  return {
    siteId: String(r.site_id), siteName: String(r.site_name ?? ''), regionCode: String(r.region_code), rhythm: r.rhythm as CheckRhythm,
    period: String(r.period), expected: Number(r.expected), done: Number(r.done), flaggedAt: iso(r.flagged_at),
  };
}

const CHECK_SELECT = `select c.*, s.name as site_name,
  (select coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'item_code', p.item_code, 'content_type', p.content_type) order by p.uploaded_at), '[]')
     from check_photos p where p.check_id = c.id) as photos
  from checks c join sites s on s.id = c.site_id`;

/** The plan of a site (alias s) with its rhythm row (alias r): one of each unless set. */
const PLAN_COLUMNS = 'coalesce(r.daily, 1) as daily, coalesce(r.weekly, 1) as weekly, coalesce(r.monthly, 1) as monthly';

export class CheckStore {
  constructor(private readonly db: Queryable) {}

  // checklists

  /** The latest version of each checklist, optionally of one institution kind or rhythm. */
  async currentTemplates(filter: { institutionKind?: InstitutionKind; rhythm?: CheckRhythm } = {}): Promise<CheckTemplate[]> {
    const where = new Where();
    if (filter.institutionKind) where.add('t.institution_kind = ?', filter.institutionKind);
    if (filter.rhythm) where.add('t.rhythm = ?', filter.rhythm);
    const rows = await this.db.query(
      `select distinct on (t.id) t.* from check_templates t ${where} order by t.id, t.version desc`, where.params);
    return rows.map(toTemplate);
  }

  /** One version of a checklist (the latest when `version` is not given). */
  async template(id: string, version?: number, q: Queryable = this.db): Promise<CheckTemplate | null> {
    const rows = version === undefined
      ? await q.query('select * from check_templates where id = $1 order by version desc limit 1', [id])
      : await q.query('select * from check_templates where id = $1 and version = $2', [id, version]);
    return rows[0] ? toTemplate(rows[0]) : null;
  }

  async templateVersions(id: string): Promise<CheckTemplate[]> {
    return (await this.db.query('select * from check_templates where id = $1 order by version desc', [id])).map(toTemplate);
  }

  /** The next version of a checklist; null when `basedOn` is no longer the latest (someone edited it meanwhile). */
  async addTemplateVersion(current: CheckTemplate, items: CheckItem[], by: string, at: number): Promise<CheckTemplate | null> {
    const rows = await this.db.query(
      `insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
       select $1, $2 + 1, $3, $4, $5::jsonb, $6, $7
       where $2 = (select max(version) from check_templates where id = $1)
       on conflict (id, version) do nothing returning *`,
      [current.id, current.version, current.institutionKind, current.rhythm, JSON.stringify(items), by, when(at)],
    );
    return rows[0] ? toTemplate(rows[0]) : null;
  }

  // checks

  /** Inside the transaction that also opens the hazards of its failed items. */
  async record(tx: Queryable, c: NewCheck): Promise<string> {
    const id = c.id;
    const failed = c.items.filter((i) => i.result === 'fail');
    await tx.query(
      `insert into checks (id, site_id, region_code, template_id, template_version, rhythm, period, performed_at, performed_by, items,
         passed, failed, fixed_on_spot, hazards_opened, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15)`,
      [id, c.siteId, c.regionCode, c.template.id, c.template.version, c.template.rhythm, c.period, when(c.performedAt), c.performedBy,
        JSON.stringify(c.items), c.items.length - failed.length, failed.length, failed.filter((i) => i.fixedOnSpotBy !== null).length,
        failed.filter((i) => i.ticketId !== null).length, when(c.at)],
    );
    return id;
  }

  async get(id: string, scopes: readonly SiteScope[], q: Queryable = this.db): Promise<Check | null> {
    const where = scopeClauses(new Where().add('c.id = ?', id), scopes, 's');
    const rows = await q.query(`${CHECK_SELECT} ${where}`, where.params);
    return rows[0] ? toCheck(rows[0]) : null;
  }

  /** Newest first; `from`/`to` bound when the check was performed: [from, to). */
  async list(scopes: readonly SiteScope[], filter: CheckFilter & { limit: number; offset?: number }): Promise<Check[]> {
    const where = checkWhere(scopes, filter);
    const rows = await this.db.query(
      `${CHECK_SELECT} ${where} order by c.performed_at desc, c.id limit ${where.param(filter.limit)} offset ${where.param(filter.offset ?? 0)}`,
      where.params);
    return rows.map(toCheck);
  }

  async count(scopes: readonly SiteScope[], filter: CheckFilter): Promise<number> {
    const where = checkWhere(scopes, filter);
    const rows = await this.db.query(`select count(*)::int as n from checks c join sites s on s.id = c.site_id ${where}`, where.params);
    return Number(rows[0]?.n ?? 0);
  }

  async addPhoto(checkId: string, itemCode: string, contentType: string, bytes: Buffer, by: string, at: number): Promise<string> {
    const id = randomUUID();
    await this.db.query('insert into check_photos (id, check_id, item_code, content_type, bytes, uploaded_by, uploaded_at) values ($1, $2, $3, $4, $5, $6, $7)',
      [id, checkId, itemCode, contentType, bytes, by, when(at)]);
    return id;
  }

  async photo(checkId: string, photoId: string): Promise<{ contentType: string; bytes: Buffer } | null> {
    const rows = await this.db.query('select content_type, bytes from check_photos where check_id = $1 and id = $2', [checkId, photoId]);
    const r = rows[0];
    return r ? { contentType: String(r.content_type), bytes: Buffer.from(r.bytes as Uint8Array) } : null;
  }

  // rhythms and completion

  async rhythm(siteId: string): Promise<CheckRhythmPlan> {
    const rows = await this.db.query(`select ${PLAN_COLUMNS} from (select $1::text as id) s left join check_rhythms r on r.site_id = s.id`, [siteId]);
    return CheckRhythmPlan.parse(rows[0] ?? {});
  }

  async setRhythm(siteId: string, plan: CheckRhythmPlan): Promise<void> {
    await this.db.query(
      `insert into check_rhythms (site_id, daily, weekly, monthly) values ($1, $2, $3, $4)
       on conflict (site_id) do update set daily = excluded.daily, weekly = excluded.weekly, monthly = excluded.monthly`,
      [siteId, plan.daily, plan.weekly, plan.monthly]);
  }

  /** The institutions of the scopes with their plans; `group`: each one's child code under that column (default its county). */
  async planned(scopes: readonly SiteScope[], group: GroupColumn = 'region_code'): Promise<PlannedInstitution[]> {
    const where = scopeClauses(new Where(), scopes, 's');
    const rows = await this.db.query(
      `select s.id, s.name, s.region_code, s.${group} as group_code, s.created_at, ${PLAN_COLUMNS} from sites s left join check_rhythms r on r.site_id = s.id ${where}
       order by s.region_code, s.name, s.id`, where.params);
    return rows.map((r) => ({
      siteId: String(r.id), siteName: String(r.name), regionCode: String(r.region_code), group: String(r.group_code), createdAt: Date.parse(iso(r.created_at)),
      plan: { daily: Number(r.daily), weekly: Number(r.weekly), monthly: Number(r.monthly) },
    }));
  }

  /** Checks done in the scopes by institution, rhythm and period, for the periods named in `periods`. */
  async doneByPeriod(scopes: readonly SiteScope[], periods: readonly string[]): Promise<{ siteId: string; rhythm: CheckRhythm; period: string; checks: number; fixedOnSpot: number; hazardsOpened: number }[]> {
    const where = scopeClauses(new Where(), scopes, 's').add('c.period = any(?::text[])', [...periods]);
    const rows = await this.db.query(
      `select c.site_id, c.rhythm, c.period, count(*)::int as checks, sum(c.fixed_on_spot)::int as fixed, sum(c.hazards_opened)::int as hazards
       from checks c join sites s on s.id = c.site_id ${where} group by c.site_id, c.rhythm, c.period`, where.params);
    return rows.map((r) => ({
      siteId: String(r.site_id), rhythm: r.rhythm as CheckRhythm, period: String(r.period), checks: Number(r.checks), fixedOnSpot: Number(r.fixed), hazardsOpened: Number(r.hazards),
    }));
  }

  // missed checks

  /**
   * Records every institution that owed checks of `rhythm` for the period [from, to) and did fewer, once (a second
   * run adds nothing). Institutions registered after the period ended owe nothing for it. Returns those newly flagged.
   */
  async flagMissed(rhythm: CheckRhythm, period: string, from: number, to: number, at: number): Promise<{ siteId: string }[]> {
    void from;
    const rows = await this.db.query(
      `insert into missed_checks (site_id, rhythm, period, expected, done, flagged_at)
       select s.id, $1, $2, p.expected, coalesce(c.n, 0), $4
       from sites s
       left join check_rhythms r on r.site_id = s.id
       cross join lateral (select case $1 when 'daily' then coalesce(r.daily, 1) when 'weekly' then coalesce(r.weekly, 1) else coalesce(r.monthly, 1) end as expected) p
       left join (select site_id, count(*)::int as n from checks where rhythm = $1 and period = $2 group by site_id) c on c.site_id = s.id
       where s.created_at < $3 and p.expected > 0 and coalesce(c.n, 0) < p.expected
       on conflict (site_id, rhythm, period) do nothing
       returning site_id`,
      [rhythm, period, when(to), when(at)]);
    return rows.map((r) => ({ siteId: String(r.site_id) }));
  }

  /** Missed checks of the periods named, per child of `group`. */
  async missedBy(scopes: readonly SiteScope[], group: GroupColumn, periods: readonly string[]): Promise<Map<string, number>> {
    const where = scopeClauses(new Where(), scopes, 's').add('m.period = any(?::text[])', [...periods]);
    const rows = await this.db.query(
      `select s.${group} as code, count(*)::int as n from missed_checks m join sites s on s.id = m.site_id ${where} group by s.${group}`, where.params);
    return new Map(rows.map((r) => [String(r.code), Number(r.n)]));
  }

  /** Newest period first. */
  async listMissed(scopes: readonly SiteScope[], filter: MissedFilter & { limit: number; offset?: number }): Promise<MissedCheck[]> {
    const where = missedWhere(scopes, filter);
    const rows = await this.db.query(
      `select m.*, s.name as site_name, s.region_code from missed_checks m join sites s on s.id = m.site_id ${where}
       order by m.flagged_at desc, m.period desc, s.region_code, s.name, m.rhythm limit ${where.param(filter.limit)} offset ${where.param(filter.offset ?? 0)}`,
      where.params);
    return rows.map(toMissed);
  }

  async countMissed(scopes: readonly SiteScope[], filter: MissedFilter): Promise<number> {
    const where = missedWhere(scopes, filter);
    const rows = await this.db.query(`select count(*)::int as n from missed_checks m join sites s on s.id = m.site_id ${where}`, where.params);
    return Number(rows[0]?.n ?? 0);
  }
}

function checkWhere(scopes: readonly SiteScope[], filter: CheckFilter): Where {
  const where = scopeClauses(new Where(), scopes, 's');
  if (filter.siteId) where.add('c.site_id = ?', filter.siteId);
  if (filter.rhythm) where.add('c.rhythm = ?', filter.rhythm);
  if (filter.from !== undefined) where.add('c.performed_at >= ?', when(filter.from));
  if (filter.to !== undefined) where.add('c.performed_at < ?', when(filter.to));
  return where;
}

function missedWhere(scopes: readonly SiteScope[], filter: MissedFilter): Where {
  const where = scopeClauses(new Where(), scopes, 's');
  if (filter.siteId) where.add('m.site_id = ?', filter.siteId);
  if (filter.rhythm) where.add('m.rhythm = ?', filter.rhythm);
  return where;
}
