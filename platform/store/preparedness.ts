// Training, plans and drills with their attachments; the on-site fire team and its equipment checks.
import { randomUUID } from 'node:crypto';
import type { EquipmentCheck, FireTeam, NewPreparednessRecord, PreparednessKind, PreparednessRecord, PreparednessTopic } from '../../contracts/preparedness.js';
import type { SiteScope } from '../../contracts/scope.js';
import type { Queryable } from './executor.js';
import { iso, isoOrNull, textOrNull, when, Where, type Row } from './rows.js';
import { scopeClauses } from './scope-sql.js';

export interface PreparednessFilter { siteId?: string; kind?: PreparednessKind; topic?: PreparednessTopic; from?: string; to?: string }

const RECORD_COLUMNS = `p.*, to_char(p.held_on, 'YYYY-MM-DD') as held_day, s.name as site_name,
  coalesce((select json_agg(json_build_object('id', a.id, 'name', a.name, 'contentType', a.content_type) order by a.uploaded_at, a.id)
            from preparedness_attachments a where a.record_id = p.id), '[]') as attachment_list`;

const toRecord = (r: Row): PreparednessRecord => ({
  id: String(r.id), siteId: String(r.site_id), siteName: String(r.site_name ?? ''), regionCode: String(r.region_code),
  kind: r.kind as PreparednessKind, topic: r.topic as PreparednessTopic, on: String(r.held_day), title: String(r.title),
  participants: Number(r.participants), participantNames: String(r.participant_names), evaluation: String(r.evaluation),
  attachments: ((typeof r.attachment_list === 'string' ? JSON.parse(r.attachment_list) : r.attachment_list) as { id: string; name: string; contentType: string }[])
    .map((a) => ({ ...a, url: `/api/preparedness/${String(r.id)}/attachments/${a.id}` })),
  createdBy: String(r.created_by), createdAt: iso(r.created_at),
});

const toCheck = (r: Row): EquipmentCheck => ({
  id: String(r.id), on: String(r.checked_day), items: r.items as EquipmentCheck['items'], failed: Number(r.failed),
  checkedBy: String(r.checked_by), checkedAt: iso(r.checked_at),
});

export class PreparednessStore {
  constructor(private readonly db: Queryable) {}

  async add(p: NewPreparednessRecord & { regionCode: string }, by: string, at: number): Promise<PreparednessRecord> {
    const id = randomUUID();
    await this.db.query(
      `insert into preparedness_records (id, site_id, region_code, kind, topic, held_on, title, participants, participant_names, evaluation, created_by, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [id, p.siteId, p.regionCode, p.kind, p.topic, p.on, p.title, p.participants, p.participantNames, p.evaluation, by, when(at)],
    );
    return (await this.get(id, []))!;
  }

  async get(id: string, scopes: readonly SiteScope[]): Promise<PreparednessRecord | null> {
    const where = scopeClauses(new Where().add('p.id = ?', id), scopes, 's');
    const rows = await this.db.query(`select ${RECORD_COLUMNS} from preparedness_records p join sites s on s.id = p.site_id ${where}`, where.params);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Newest first. */
  async list(scopes: readonly SiteScope[], filter: PreparednessFilter & { limit: number; offset?: number }): Promise<PreparednessRecord[]> {
    const where = recordWhere(scopes, filter);
    const rows = await this.db.query(
      `select ${RECORD_COLUMNS} from preparedness_records p join sites s on s.id = p.site_id ${where}
       order by p.held_on desc, p.created_at desc, p.id limit ${where.param(filter.limit)} offset ${where.param(filter.offset ?? 0)}`,
      where.params,
    );
    return rows.map(toRecord);
  }

  async count(scopes: readonly SiteScope[], filter: PreparednessFilter): Promise<number> {
    const where = recordWhere(scopes, filter);
    const rows = await this.db.query(`select count(*)::int as n from preparedness_records p join sites s on s.id = p.site_id ${where}`, where.params);
    return Number(rows[0]?.n ?? 0);
  }

  /** Per institution in scope: the latest day of each kind and topic recorded up to `until` (a day; default any), none: no rows. */
  async latest(scopes: readonly SiteScope[], until?: string): Promise<{ siteId: string; kind: PreparednessKind; topic: PreparednessTopic; lastOn: string }[]> {
    const where = scopeClauses(new Where(), scopes, 's');
    if (until !== undefined) where.add('p.held_on <= ?::date', until);
    const rows = await this.db.query<{ site_id: string; kind: string; topic: string; last_on: string }>(
      `select p.site_id, p.kind, p.topic, to_char(max(p.held_on), 'YYYY-MM-DD') as last_on
       from preparedness_records p join sites s on s.id = p.site_id ${where} group by p.site_id, p.kind, p.topic`,
      where.params,
    );
    return rows.map((r) => ({ siteId: r.site_id, kind: r.kind as PreparednessKind, topic: r.topic as PreparednessTopic, lastOn: r.last_on }));
  }

  async addAttachment(recordId: string, name: string, contentType: string, bytes: Buffer, by: string, at: number): Promise<string> {
    const id = randomUUID();
    await this.db.query(
      'insert into preparedness_attachments (id, record_id, name, content_type, bytes, uploaded_by, uploaded_at) values ($1, $2, $3, $4, $5, $6, $7)',
      [id, recordId, name, contentType, bytes, by, when(at)],
    );
    return id;
  }

  async attachment(recordId: string, id: string): Promise<{ name: string; contentType: string; bytes: Buffer } | null> {
    const rows = await this.db.query<{ name: string; content_type: string; bytes: Uint8Array }>(
      'select name, content_type, bytes from preparedness_attachments where record_id = $1 and id = $2', [recordId, id]);
    const row = rows[0];
    return row ? { name: row.name, contentType: row.content_type, bytes: Buffer.from(row.bytes) } : null;
  }

  // the on-site fire team

  async putFireTeam(siteId: string, team: Pick<FireTeam, 'members' | 'equipment'>, by: string, at: number): Promise<void> {
    await this.db.query(
      `insert into fire_teams (site_id, members, equipment, updated_at, updated_by) values ($1, $2, $3, $4, $5)
       on conflict (site_id) do update set members = excluded.members, equipment = excluded.equipment, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      [siteId, JSON.stringify(team.members), JSON.stringify(team.equipment), when(at), by],
    );
  }

  /** The fire teams of the institutions in scope (an institution without one: empty lists), with their latest check. */
  async fireTeams(scopes: readonly SiteScope[], siteId?: string): Promise<FireTeam[]> {
    const where = scopeClauses(new Where(), scopes, 's');
    if (siteId) where.add('s.id = ?', siteId);
    const rows = await this.db.query(
      `select s.id as site_id, s.name as site_name, s.region_code, t.members, t.equipment, t.updated_at, t.updated_by,
         c.id as check_id, to_char(c.checked_on, 'YYYY-MM-DD') as checked_day, c.items, c.failed, c.checked_by, c.checked_at
       from sites s left join fire_teams t on t.site_id = s.id
       left join lateral (select * from fire_team_checks k where k.site_id = s.id order by k.checked_at desc, k.id limit 1) c on true
       ${where} order by s.id`,
      where.params,
    );
    return rows.map((r) => ({
      siteId: String(r.site_id), siteName: String(r.site_name), regionCode: String(r.region_code),
      members: (r.members as FireTeam['members']) ?? [], equipment: (r.equipment as FireTeam['equipment']) ?? [],
      updatedAt: isoOrNull(r.updated_at), updatedBy: textOrNull(r.updated_by),
      lastCheck: r.check_id ? toCheck({ ...r, id: r.check_id }) : null,
    }));
  }

  async addCheck(siteId: string, on: string, items: EquipmentCheck['items'], by: string, at: number): Promise<EquipmentCheck> {
    const rows = await this.db.query(
      `insert into fire_team_checks (id, site_id, checked_on, items, failed, checked_by, checked_at) values ($1, $2, $3, $4, $5, $6, $7)
       returning *, to_char(checked_on, 'YYYY-MM-DD') as checked_day`,
      [randomUUID(), siteId, on, JSON.stringify(items), items.filter((i) => !i.ok).length, by, when(at)],
    );
    return toCheck(rows[0]!);
  }
}

function recordWhere(scopes: readonly SiteScope[], filter: PreparednessFilter): Where {
  const where = scopeClauses(new Where(), scopes, 's');
  if (filter.siteId) where.add('p.site_id = ?', filter.siteId);
  if (filter.kind) where.add('p.kind = ?', filter.kind);
  if (filter.topic) where.add('p.topic = ?', filter.topic);
  if (filter.from) where.add('p.held_on >= ?::date', filter.from);
  if (filter.to) where.add('p.held_on < ?::date', filter.to);
  return where;
}
