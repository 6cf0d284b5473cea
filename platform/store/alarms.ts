// Fire alarms: raised by rules (one open per rule and subject), moved through their lifecycle by people.
import { randomUUID } from 'node:crypto';
import type { DeviceFamily } from '../../contracts/device-api.js';
import type { Alarm, AlarmChange, DeadlineFlag, Site } from '../../contracts/records.js';
import type { SiteScope } from '../../contracts/scope.js';
import type { Queryable } from './executor.js';
import { bulkRows, epochMs, fromEpochMs, iso, isoOrNull, textOrNull, when, Where, type Row } from './rows.js';
import { scopeClauses } from './scope-sql.js';

/** What an alarm record takes from its site: where it is, and the response deadlines counted from its raising. */
export type AlarmSite = Pick<Site, 'id' | 'name' | 'regionCode' | 'ackSec' | 'confirmSec' | 'escalateSec'>;

export interface AlarmRaise {
  ruleId: string;
  subject: string;
  deviceId: string;
  site: AlarmSite;
  family: DeviceFamily;
  type: string;
  location: string;
  zone: string | null;
  data: Record<string, unknown>;
  at: number;
  /** Its zone is flagged a likely fire in the same batch: raised flagged, with the devices that alarmed together. */
  likelyFire?: { devices: readonly string[] };
}

const COLUMNS = `a.*, s.name as site_name,
  a.raised_at + make_interval(secs => s.ack_sec) as ack_by,
  a.raised_at + make_interval(secs => s.confirm_sec) as confirm_by,
  a.raised_at + make_interval(secs => s.escalate_sec) as escalate_at`;

function toAlarm(r: Row): Alarm {
  return {
    id: String(r.id),
    ruleId: String(r.rule_id),
    subject: String(r.subject),
    deviceId: String(r.device_id),
    siteId: String(r.site_id),
    siteName: String(r.site_name ?? ''),
    regionCode: String(r.region_code),
    family: r.family as DeviceFamily,
    type: String(r.type),
    status: r.status as Alarm['status'],
    outcome: (r.outcome as Alarm['outcome']) ?? null,
    count: Number(r.count),
    location: String(r.location),
    zone: textOrNull(r.zone),
    likelyFire: Boolean(r.likely_fire),
    data: (r.data as Record<string, unknown>) ?? {},
    raisedAt: iso(r.raised_at),
    lastSeenAt: iso(r.last_seen_at),
    acknowledgedAt: isoOrNull(r.acknowledged_at),
    acknowledgedBy: textOrNull(r.acknowledged_by),
    confirmedAt: isoOrNull(r.confirmed_at),
    confirmedBy: textOrNull(r.confirmed_by),
    closedAt: isoOrNull(r.closed_at),
    closedBy: textOrNull(r.closed_by),
    recoveredAt: isoOrNull(r.recovered_at),
    ackBy: iso(r.ack_by),
    confirmBy: iso(r.confirm_by),
    escalateAt: iso(r.escalate_at),
    ackOverdueAt: isoOrNull(r.ack_overdue_at),
    confirmOverdueAt: isoOrNull(r.confirm_overdue_at),
    escalatedAt: isoOrNull(r.escalated_at),
    note: textOrNull(r.note),
  };
}

/** A raise flagged in its batch carries the devices that alarmed together, as markLikelyFire writes them. */
const withCorrelated = (a: AlarmRaise): Record<string, unknown> =>
  (a.likelyFire ? { ...a.data, correlatedDevices: a.likelyFire.devices } : a.data);

interface RaiseGroup { id: string; first: AlarmRaise; count: number; lastSeenAt: number; data: Record<string, unknown> }

/** The record of an alarm just inserted, as `toAlarm` would read it back. */
function newAlarm(g: RaiseGroup, likelyFire: boolean): Alarm {
  const { first: a, count, lastSeenAt } = g;
  const after = (sec: number) => new Date(a.at + sec * 1000).toISOString();
  return {
    id: g.id, ruleId: a.ruleId, subject: a.subject, deviceId: a.deviceId, siteId: a.site.id, siteName: a.site.name, regionCode: a.site.regionCode,
    family: a.family, type: a.type, status: 'new', outcome: null, count, location: a.location, zone: a.zone, likelyFire,
    data: g.data, raisedAt: new Date(a.at).toISOString(), lastSeenAt: new Date(lastSeenAt).toISOString(),
    acknowledgedAt: null, acknowledgedBy: null, confirmedAt: null, confirmedBy: null, closedAt: null, closedBy: null, recoveredAt: null,
    ackBy: after(a.site.ackSec), confirmBy: after(a.site.confirmSec), escalateAt: after(a.site.escalateSec),
    ackOverdueAt: null, confirmOverdueAt: null, escalatedAt: null, note: null,
  };
}

/** Reads back changed rows with their site, as one `with` statement. */
const selectChanged = (cte: string) => `with changed as (${cte}) select ${COLUMNS} from changed a join sites s on s.id = a.site_id`;

export class AlarmStore {
  constructor(private readonly db: Queryable) {}

  /** Opens the rule's alarm for the subject, or counts a repeat on the open one (atomic under concurrency). */
  async raise(tx: Queryable, a: AlarmRaise): Promise<Alarm> {
    return (await this.raiseMany(tx, [a]))[0]!;
  }

  /**
   * Raises several alarms in one statement (a batch of events). Raises of one rule and subject count as one alarm
   * raised that many times: one row each, so the upsert touches each alarm once. Answers one alarm per rule and subject.
   * A new alarm is answered from what was written (a storm's alarms are not read back); a repeat is read back.
   */
  async raiseMany(tx: Queryable, raises: readonly AlarmRaise[]): Promise<Alarm[]> {
    const groups = new Map<string, RaiseGroup>();
    for (const a of raises) {
      const key = `${a.ruleId}\u0000${a.subject}`;
      const g = groups.get(key);
      if (g) { g.count++; g.lastSeenAt = Math.max(g.lastSeenAt, a.at); } else groups.set(key, { id: randomUUID(), first: a, count: 1, lastSeenAt: a.at, data: withCorrelated(a) });
    }
    if (groups.size === 0) return [];
    const rows = [...groups.values()];
    const col = <T>(f: (g: RaiseGroup) => T) => rows.map(f);
    // a new alarm comes back with the id given here; a repeat with the open alarm's own
    // what was written comes back as one JSON value (a storm's 500 rows took the client ~1.4 ms more to read than one)
    const [result] = await tx.query<{ written: [string, boolean][] | null }>(`
      with written as (insert into alarms as a (id, rule_id, subject, device_id, site_id, region_code, family, type, status, count, location, zone, data, raised_at, last_seen_at, likely_fire)
      select i.id, i.rule_id, i.subject, i.device_id, i.site_id, i.region_code, i.family, i.type, 'new', i.count, i.location, i.zone, i.data, ${fromEpochMs('i.raised_at')}, ${fromEpochMs('i.last_seen_at')},
        -- joining a zone already flagged as a likely fire: flagged from the start (the zone is not flagged again)
        -- and flagged in this very batch: flagged as it is raised (markLikelyFire then leaves it alone)
        i.flagged or exists (select 1 from alarms z where z.site_id = i.site_id and z.zone = i.zone and z.status <> 'closed' and z.likely_fire)
      from ${bulkRows('i', {
        id: 'text', rule_id: 'text', subject: 'text', device_id: 'text', site_id: 'text', region_code: 'text', family: 'text', type: 'text', count: 'int',
        location: 'text', zone: 'text', data: 'jsonb', raised_at: 'int8', last_seen_at: 'int8', flagged: 'boolean',
      })}
      on conflict (rule_id, subject) where status <> 'closed'
      do update set count = a.count + excluded.count, last_seen_at = greatest(a.last_seen_at, excluded.last_seen_at), recovered_at = null
      returning a.id, a.likely_fire)
      select json_agg(json_build_array(id, likely_fire)) as written from written`,
      [col((g) => g.id), col((g) => g.first.ruleId), col((g) => g.first.subject), col((g) => g.first.deviceId), col((g) => g.first.site.id),
        col((g) => g.first.site.regionCode), col((g) => g.first.family), col((g) => g.first.type), col((g) => g.count), col((g) => g.first.location),
        col((g) => g.first.zone), JSON.stringify(col((g) => g.data)), col((g) => epochMs(g.first.at)), col((g) => epochMs(g.lastSeenAt)),
        col((g) => g.first.likelyFire !== undefined)]);
    const fresh = new Map(rows.map((g) => [g.id, g]));
    const alarms: Alarm[] = [];
    const repeated: string[] = [];
    for (const [id, likelyFire] of result?.written ?? []) {
      const g = fresh.get(id);
      if (g) alarms.push(newAlarm(g, likelyFire));
      else repeated.push(id);
    }
    if (repeated.length) {
      alarms.push(...(await tx.query(`select ${COLUMNS} from alarms a join sites s on s.id = a.site_id where a.id = any($1::text[])`, [repeated])).map(toAlarm));
    }
    return alarms;
  }

  /** The condition is gone (smoke.clear): marked, not closed; people still confirm the alarm. */
  async recover(tx: Queryable, ruleId: string, subject: string, at: number, close: boolean): Promise<Alarm | null> {
    const rows = await tx.query(selectChanged(`
      update alarms set recovered_at = $3 ${close ? `, status = 'closed', closed_at = $3, closed_by = 'system'` : ''}
      where rule_id = $1 and subject = $2 and status <> 'closed' returning *`), [ruleId, subject, when(at)]);
    return rows[0] ? toAlarm(rows[0]) : null;
  }

  /**
   * Several devices of one zone alarmed together: flag the zones' open alarms as a likely real fire (several zones in
   * one statement). Only alarms not flagged yet change (and are returned): a zone's tenth detector must not re-push
   * the nine flagged before it.
   */
  async markLikelyFire(tx: Queryable, zones: readonly { siteId: string; zone: string; devices: readonly string[] }[]): Promise<Alarm[]> {
    if (zones.length === 0) return [];
    const rows = await tx.query(selectChanged(`
      update alarms a set likely_fire = true, data = a.data || jsonb_build_object('correlatedDevices', z.devices)
      from ${bulkRows('z', { site_id: 'text', zone: 'text', devices: 'jsonb' })}
      where a.site_id = z.site_id and a.zone = z.zone and a.status <> 'closed' and not a.likely_fire returning a.*`),
      [zones.map((z) => z.siteId), zones.map((z) => z.zone), JSON.stringify(zones.map((z) => z.devices))]);
    return rows.map(toAlarm);
  }

  /** Applies a lifecycle step if the alarm is still in the state the decision was made on (else null: someone was faster). */
  async transition(id: string, from: Alarm['status'], change: AlarmChange, actor: string, at: number, note?: string): Promise<Alarm | null> {
    const rows = await this.db.query(selectChanged(`
      update alarms set status = $3, outcome = coalesce($4, outcome), ${change.stamp}_at = $5, ${change.stamp}_by = $6, note = coalesce($7, note)
      where id = $1 and status = $2 returning *`), [id, from, change.status, change.outcome ?? null, when(at), actor, note ?? null]);
    return rows[0] ? toAlarm(rows[0]) : null;
  }

  async get(id: string, scopes: readonly SiteScope[] = []): Promise<Alarm | null> {
    const where = new Where().add('a.id = ?', id);
    scopeClauses(where, scopes, 's');
    const rows = await this.db.query(`select ${COLUMNS} from alarms a join sites s on s.id = a.site_id ${where}`, where.params);
    return rows[0] ? toAlarm(rows[0]) : null;
  }

  async list(scopes: readonly SiteScope[], filter: AlarmFilter & { limit: number; offset?: number }): Promise<Alarm[]> {
    const where = alarmWhere(scopes, filter);
    const rows = await this.db.query(`select ${COLUMNS} from alarms a join sites s on s.id = a.site_id ${where}
      order by a.raised_at desc, a.id limit ${where.param(filter.limit)} offset ${where.param(filter.offset ?? 0)}`, where.params);
    return rows.map(toAlarm);
  }

  /** How many alarms `list` would give without a limit. */
  async count(scopes: readonly SiteScope[], filter: AlarmFilter): Promise<number> {
    const where = alarmWhere(scopes, filter);
    const rows = await this.db.query(`select count(*)::int as n from alarms a join sites s on s.id = a.site_id ${where}`, where.params);
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Unconfirmed alarms past a deadline of their site whose flag is not set yet, at `at`. Only those are read: the
   * check runs every second, and a storm's hundreds of alarms waiting for their operators must not be read each time.
   */
  async pastDeadline(at: number): Promise<Alarm[]> {
    const rows = await this.db.query(`select ${COLUMNS} from alarms a join sites s on s.id = a.site_id
      where a.status in ('new', 'acknowledged') and (
        (a.status = 'new' and a.ack_overdue_at is null and a.raised_at + make_interval(secs => s.ack_sec) <= $1)
        or (a.confirm_overdue_at is null and a.raised_at + make_interval(secs => s.confirm_sec) <= $1)
        or (a.escalated_at is null and a.raised_at + make_interval(secs => s.escalate_sec) <= $1))`, [when(at)]);
    return rows.map(toAlarm);
  }

  /**
   * Flags the deadlines alarms have passed, all in one statement (a storm's alarms pass theirs in the same second); a
   * flag already set keeps its first time. Answers the alarms that exist, as flagged.
   */
  async setFlagsMany(due: readonly { id: string; flags: readonly DeadlineFlag[] }[], at: number): Promise<Alarm[]> {
    if (due.length === 0) return [];
    const flag = (name: DeadlineFlag) => due.map((d) => d.flags.includes(name));
    const set = (column: string, flagged: string) => `${column} = case when ${flagged} then coalesce(a.${column}, $5) else a.${column} end`;
    const rows = await this.db.query(selectChanged(`
      update alarms a set ${set('ack_overdue_at', 'f.ack_overdue')}, ${set('confirm_overdue_at', 'f.confirm_overdue')}, ${set('escalated_at', 'f.escalated')}
      from ${bulkRows('f', { id: 'text', ack_overdue: 'boolean', confirm_overdue: 'boolean', escalated: 'boolean' })}
      where a.id = f.id returning a.*`), [due.map((d) => d.id), flag('ack_overdue'), flag('confirm_overdue'), flag('escalated'), when(at)]);
    return rows.map(toAlarm);
  }
}

export interface AlarmFilter {
  active?: boolean;
  status?: string;
  deviceId?: string;
}

function alarmWhere(scopes: readonly SiteScope[], filter: AlarmFilter): Where {
  const where = scopeClauses(new Where(), scopes, 's');
  if (filter.active) where.add(`a.status <> 'closed'`);
  if (filter.status) where.add('a.status = ?', filter.status);
  if (filter.deviceId) where.add('a.device_id = ?', filter.deviceId);
  return where;
}
