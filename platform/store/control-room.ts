// The control room's tables: operators' certificates, the roster of shifts, duty sessions (signing on and off, with
// the handover), and 查岗 duty checks.
import { randomUUID } from 'node:crypto';
import type { CertificateLevel, DutyCheck, DutyCheckState, DutySession, NewCertificate, Shift } from '../../contracts/control-room.js';
import type { GroupColumn, SiteScope } from '../../contracts/scope.js';
import type { Queryable } from './executor.js';
import { iso, isoOrNull, textOrNull, when, Where, type Row } from './rows.js';
import { scopeClauses } from './scope-sql.js';

/** A certificate as stored, with the institutions of its holder; its state is the caller's (decisions.ts). */
export interface StoredCertificate extends NewCertificate {
  username: string;
  siteIds: string[];
  updatedAt: string;
  updatedBy: string;
}

const toCertificate = (r: Row): StoredCertificate => ({
  username: String(r.username), number: String(r.number), level: r.level as CertificateLevel, expiresOn: String(r.expires_day),
  siteIds: (r.site_ids as string[] | null) ?? [], updatedAt: iso(r.updated_at), updatedBy: String(r.updated_by),
});

const toShift = (r: Row): Shift => ({
  id: String(r.id), siteId: String(r.site_id), siteName: String(r.site_name ?? ''), regionCode: String(r.region_code),
  startsAt: iso(r.starts_at), endsAt: iso(r.ends_at), operators: r.operators as string[], leader: r.leader as Shift['leader'],
  createdBy: String(r.created_by), createdAt: iso(r.created_at),
});

const toSession = (r: Row): DutySession => ({
  id: String(r.id), siteId: String(r.site_id), siteName: String(r.site_name ?? ''), regionCode: String(r.region_code), username: String(r.username),
  signedOnAt: iso(r.signed_on_at), signedOffAt: isoOrNull(r.signed_off_at), handover: (r.handover as DutySession['handover']) ?? null,
});

const toCheck = (r: Row): DutyCheck => ({
  id: String(r.id), siteId: String(r.site_id), siteName: String(r.site_name ?? ''), regionCode: String(r.region_code),
  askedBy: String(r.asked_by), askedAt: iso(r.asked_at), answerBy: iso(r.answer_by), state: r.state as DutyCheckState,
  answeredAt: isoOrNull(r.answered_at), answeredBy: textOrNull(r.answered_by),
  deviceId: textOrNull(r.device_id), commandId: textOrNull(r.command_id), deviceAnsweredAt: isoOrNull(r.device_answered_at),
});

/** `with <name> as (<cte>) select ... join sites`: a changed row read back with its institution's name. */
const withSite = (cte: string, name = 'x') => `with ${name} as (${cte}) select ${name}.*, s.name as site_name from ${name} join sites s on s.id = ${name}.site_id`;

/** A shift as the roster keeps it (times in ms). */
export interface ShiftRecord { siteId: string; regionCode: string; startsAt: number; endsAt: number; operators: readonly string[]; leader: Shift['leader'] }

export interface SessionFilter { siteId?: string; open?: boolean }

export interface CheckFilter { siteId?: string; state?: DutyCheckState; from?: number; to?: number }

export class ControlRoomStore {
  constructor(private readonly db: Queryable) {}

  // certificates

  async putCertificate(username: string, c: NewCertificate, by: string, at: number): Promise<StoredCertificate> {
    const rows = await this.db.query(
      `with put as (
         insert into operator_certificates (username, number, level, expires_on, updated_at, updated_by) values ($1, $2, $3, $4, $5, $6)
         on conflict (username) do update set number = excluded.number, level = excluded.level, expires_on = excluded.expires_on,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by
         returning *)
       select put.*, to_char(put.expires_on, 'YYYY-MM-DD') as expires_day, u.site_ids from put join users u on u.username = put.username`,
      [username, c.number, c.level, c.expiresOn, when(at), by],
    );
    return toCertificate(rows[0]!);
  }

  /** Certificates of the operators of institutions in scope (`usernames`: only these), soonest to expire first. */
  async certificates(scopes: readonly SiteScope[], usernames?: readonly string[]): Promise<StoredCertificate[]> {
    const inScope = scopeClauses(new Where(), scopes, 's');
    inScope.add('u.site_ids @> jsonb_build_array(s.id)');
    const where = new Where(inScope.params);
    if (usernames) where.add('c.username = any(?::text[])', [...usernames]);
    where.add(`exists (select 1 from sites s ${inScope})`);
    const rows = await this.db.query(
      `select c.*, to_char(c.expires_on, 'YYYY-MM-DD') as expires_day, u.site_ids from operator_certificates c join users u on u.username = c.username
       ${where} order by c.expires_on, c.username`,
      where.params,
    );
    return rows.map(toCertificate);
  }

  /** The operators (role operator, enabled) of an institution. */
  async operatorsOf(siteId: string): Promise<string[]> {
    const rows = await this.db.query<{ username: string }>(
      `select username from users where role = 'operator' and not disabled and site_ids @> jsonb_build_array($1::text) order by username`, [siteId]);
    return rows.map((r) => r.username);
  }

  // the roster

  async addShift(s: ShiftRecord, by: string, at: number): Promise<Shift> {
    const rows = await this.db.query(withSite(
      `insert into duty_shifts (id, site_id, region_code, starts_at, ends_at, operators, leader, created_by, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *`),
      [randomUUID(), s.siteId, s.regionCode, when(s.startsAt), when(s.endsAt), JSON.stringify(s.operators), JSON.stringify(s.leader), by, when(at)],
    );
    return toShift(rows[0]!);
  }

  /** One shift, if in scope. */
  async shift(id: string, scopes: readonly SiteScope[]): Promise<Shift | null> {
    const where = scopeClauses(new Where(), scopes, 's').add('d.id = ?', id);
    const rows = await this.db.query(`select d.*, s.name as site_name from duty_shifts d join sites s on s.id = d.site_id ${where}`, where.params);
    return rows[0] ? toShift(rows[0]) : null;
  }

  /** Changes a shift's times, operators and leader (who changed it last is its `createdBy` now); null when gone. */
  async editShift(id: string, s: ShiftRecord, by: string, at: number): Promise<Shift | null> {
    const rows = await this.db.query(withSite(
      `update duty_shifts set starts_at = $2, ends_at = $3, operators = $4, leader = $5, created_by = $6, created_at = $7 where id = $1 returning *`),
      [id, when(s.startsAt), when(s.endsAt), JSON.stringify(s.operators), JSON.stringify(s.leader), by, when(at)],
    );
    return rows[0] ? toShift(rows[0]) : null;
  }

  async removeShift(id: string): Promise<boolean> {
    return (await this.db.query('delete from duty_shifts where id = $1 returning id', [id])).length > 0;
  }

  /** Shifts in scope overlapping [from, to), earliest first. */
  async shifts(scopes: readonly SiteScope[], filter: { siteId?: string; from: number; to: number }): Promise<Shift[]> {
    const where = scopeClauses(new Where(), scopes, 's').add('d.ends_at > ?', when(filter.from)).add('d.starts_at < ?', when(filter.to));
    if (filter.siteId) where.add('d.site_id = ?', filter.siteId);
    const rows = await this.db.query(
      `select d.*, s.name as site_name from duty_shifts d join sites s on s.id = d.site_id ${where} order by d.starts_at, d.site_id limit 1000`, where.params);
    return rows.map(toShift);
  }

  // signing on and off

  /** Signs `username` on at a control room; null if already signed on there. */
  async signOn(siteId: string, regionCode: string, username: string, at: number): Promise<DutySession | null> {
    const rows = await this.db.query(withSite(
      `insert into duty_sessions (id, site_id, region_code, username, signed_on_at) values ($1, $2, $3, $4, $5)
       on conflict (site_id, username) where signed_off_at is null do nothing returning *`),
      [randomUUID(), siteId, regionCode, username, when(at)],
    );
    return rows[0] ? toSession(rows[0]) : null;
  }

  /** Signs off with the handover; null if not signed on there. */
  async signOff(siteId: string, username: string, handover: { open: string; happened: string }, at: number): Promise<DutySession | null> {
    const rows = await this.db.query(withSite(
      `update duty_sessions set signed_off_at = $3, handover = $4 where site_id = $1 and username = $2 and signed_off_at is null returning *`),
      [siteId, username, when(at), JSON.stringify(handover)],
    );
    return rows[0] ? toSession(rows[0]) : null;
  }

  /** Sessions in scope, newest first: `open` only those still signed on, `open: false` the handover log. */
  async sessions(scopes: readonly SiteScope[], filter: SessionFilter & { limit: number; offset?: number }): Promise<DutySession[]> {
    const where = sessionWhere(scopes, filter);
    const rows = await this.db.query(
      `select d.*, s.name as site_name from duty_sessions d join sites s on s.id = d.site_id ${where}
       order by coalesce(d.signed_off_at, d.signed_on_at) desc, d.id limit ${where.param(filter.limit)} offset ${where.param(filter.offset ?? 0)}`,
      where.params,
    );
    return rows.map(toSession);
  }

  async countSessions(scopes: readonly SiteScope[], filter: SessionFilter): Promise<number> {
    const where = sessionWhere(scopes, filter);
    const rows = await this.db.query(`select count(*)::int as n from duty_sessions d join sites s on s.id = d.site_id ${where}`, where.params);
    return Number(rows[0]?.n ?? 0);
  }

  // 查岗

  async addCheck(c: { siteId: string; regionCode: string; askedBy: string; askedAt: number; answerBy: number; deviceId: string | null }): Promise<DutyCheck> {
    const rows = await this.db.query(withSite(
      `insert into duty_checks (id, site_id, region_code, asked_by, asked_at, answer_by, state, device_id) values ($1, $2, $3, $4, $5, $6, 'waiting', $7) returning *`),
      [randomUUID(), c.siteId, c.regionCode, c.askedBy, when(c.askedAt), when(c.answerBy), c.deviceId],
    );
    return toCheck(rows[0]!);
  }

  async linkCommand(id: string, commandId: string): Promise<DutyCheck | null> {
    const rows = await this.db.query(withSite(`update duty_checks set command_id = $2 where id = $1 returning *`), [id, commandId]);
    return rows[0] ? toCheck(rows[0]) : null;
  }

  async check(id: string, scopes: readonly SiteScope[]): Promise<DutyCheck | null> {
    const where = scopeClauses(new Where().add('c.id = ?', id), scopes, 's');
    const rows = await this.db.query(`select c.*, s.name as site_name from duty_checks c join sites s on s.id = c.site_id ${where}`, where.params);
    return rows[0] ? toCheck(rows[0]) : null;
  }

  /** Answers a waiting check not past its time; null if it was answered or missed meanwhile. */
  async answer(id: string, username: string, at: number): Promise<DutyCheck | null> {
    const rows = await this.db.query(withSite(
      `update duty_checks set state = 'answered', answered_at = $2, answered_by = $3 where id = $1 and state = 'waiting' and answer_by >= $2 returning *`),
      [id, when(at), username],
    );
    return rows[0] ? toCheck(rows[0]) : null;
  }

  /** Marks missed every waiting check past its time, and returns them. */
  async missOverdue(at: number): Promise<DutyCheck[]> {
    const rows = await this.db.query(withSite(`update duty_checks set state = 'missed' where state = 'waiting' and answer_by < $1 returning *`), [when(at)]);
    return rows.map(toCheck);
  }

  /** The control room's transmission device answered the 查岗 sent as `commandId`. */
  async deviceAnswered(commandId: string, at: number): Promise<DutyCheck | null> {
    const rows = await this.db.query(withSite(
      `update duty_checks set device_answered_at = $2 where command_id = $1 and device_answered_at is null returning *`), [commandId, when(at)]);
    return rows[0] ? toCheck(rows[0]) : null;
  }

  /** 查岗 asked in [from, to) per child of `group`: asked, answered, and missed (a waiting one past its time by `now` too). */
  async checkCounts(scopes: readonly SiteScope[], group: GroupColumn, from: number, to: number, now: number): Promise<Map<string, { asked: number; answered: number; missed: number }>> {
    const where = scopeClauses(new Where([when(now)]), scopes, 's').add('c.asked_at >= ?', when(from)).add('c.asked_at < ?', when(to));
    const rows = await this.db.query(
      `select s.${group} as code, count(*)::int as asked, count(*) filter (where c.state = 'answered')::int as answered,
              count(*) filter (where c.state = 'missed' or (c.state = 'waiting' and c.answer_by < $1))::int as missed
       from duty_checks c join sites s on s.id = c.site_id ${where} group by s.${group}`, where.params);
    return new Map(rows.map((r) => [String(r.code), { asked: Number(r.asked), answered: Number(r.answered), missed: Number(r.missed) }]));
  }

  /** Checks in scope, newest first. */
  async checks(scopes: readonly SiteScope[], filter: CheckFilter & { limit: number; offset?: number }): Promise<DutyCheck[]> {
    const where = checkWhere(scopes, filter);
    const rows = await this.db.query(
      `select c.*, s.name as site_name from duty_checks c join sites s on s.id = c.site_id ${where}
       order by c.asked_at desc, c.id limit ${where.param(filter.limit)} offset ${where.param(filter.offset ?? 0)}`,
      where.params,
    );
    return rows.map(toCheck);
  }

  async countChecks(scopes: readonly SiteScope[], filter: CheckFilter): Promise<number> {
    const where = checkWhere(scopes, filter);
    const rows = await this.db.query(`select count(*)::int as n from duty_checks c join sites s on s.id = c.site_id ${where}`, where.params);
    return Number(rows[0]?.n ?? 0);
  }
}

function sessionWhere(scopes: readonly SiteScope[], filter: SessionFilter): Where {
  const where = scopeClauses(new Where(), scopes, 's');
  if (filter.siteId) where.add('d.site_id = ?', filter.siteId);
  if (filter.open !== undefined) where.add(filter.open ? 'd.signed_off_at is null' : 'd.signed_off_at is not null');
  return where;
}

function checkWhere(scopes: readonly SiteScope[], filter: CheckFilter): Where {
  const where = scopeClauses(new Where(), scopes, 's');
  if (filter.siteId) where.add('c.site_id = ?', filter.siteId);
  if (filter.state) where.add('c.state = ?', filter.state);
  if (filter.from !== undefined) where.add('c.asked_at >= ?', when(filter.from));
  if (filter.to !== undefined) where.add('c.asked_at < ?', when(filter.to));
  return where;
}
