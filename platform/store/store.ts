// The storage port: every read and write the platform makes, written once in SQL that
// runs unchanged on both adapters (PGlite embedded, PostgreSQL server).
import { LeaseStore } from './leases.js';
import { randomUUID } from 'node:crypto';
import type { DeviceEvent, DeviceFamily } from '../../contracts/device-api.js';
import type { Device, NewDevice, OverviewRow, Site, User } from '../../contracts/records.js';
import type { DeviceFacts } from '../../contracts/rules.js';
import type { RegionColumn, SiteScope } from '../../contracts/scope.js';
import { Coalesced } from './coalesced.js';
import type { Queryable, SqlExecutor } from './executor.js';
import { migrate } from './migrations.js';

export interface DeviceCredentials {
  id: string;
  family: DeviceFamily;
  siteId: string;
  secretHash: string;
  disabled: boolean;
}

export interface UserRecord extends User {
  passwordHash: string;
}

export interface SiteCodes {
  regionCode: string;
  cityCode: string;
  provinceCode: string;
}

import { ONLINE_SQL, bulkRows, epochMs, fromEpochMs, iso, isoOrNull, textOrNull, when, Where, type Row } from './rows.js';
import { scopeClauses } from './scope-sql.js';
import { AlarmStore } from './alarms.js';
import { WorkOrderStore } from './workorders.js';
import { TicketStore } from './tickets.js';
import { TicketOversightStore } from './ticket-oversight.js';
import { CommandStore } from './commands.js';
import { RuleStore } from './rules.js';
import { TelemetryStore } from './telemetry.js';
import { StatsStore } from './stats.js';
import { InspectionStore } from './inspections.js';
import { SessionStore } from './sessions.js';
import { AuditStore } from './audit.js';
import { auditedExecutor } from './audited.js';
import { RiskStore } from './risks.js';
import { ControlRoomStore } from './control-room.js';
import { PreparednessStore } from './preparedness.js';
import { SupervisionStore } from './supervision.js';
import { HazardCriteriaStore } from './hazard-criteria.js';
import { ApiTokenStore } from './api-tokens.js';
import { CheckStore } from './checks.js';
import { SubmissionStore } from './submissions.js';
import { ScorecardStore } from './scorecard.js';
import { INSTITUTION_PROFILE_COLUMNS, InstitutionStore, INSTITUTION_PROFILE_UPDATE, institutionProfileOf, institutionProfileParams } from './institutions.js';


/** A device as the hot path keeps it: what it is, where, and how often it reports. */
export type DevicePlace = Pick<Device, 'id' | 'family' | 'siteId' | 'building' | 'floor' | 'zone' | 'heartbeatSec'>;

const DEVICE_COLUMNS = `d.id, d.family, d.site_id, d.model, d.building, d.floor, d.zone, d.heartbeat_sec, d.disabled,
  d.gb_address, d.created_at, d.last_seen_at, d.bad_messages, d.last_bad_reason, d.last_bad_at, d.throttled, d.last_throttled_at, ${ONLINE_SQL} as online`;

function toDevice(r: Row): Device {
  return {
    id: String(r.id),
    family: r.family as DeviceFamily,
    siteId: String(r.site_id),
    model: (r.model as string | null) ?? null,
    building: (r.building as string | null) ?? null,
    floor: (r.floor as string | null) ?? null,
    zone: (r.zone as string | null) ?? null,
    heartbeatSec: Number(r.heartbeat_sec),
    gbAddress: (r.gb_address as string | null) ?? null,
    disabled: Boolean(r.disabled),
    createdAt: iso(r.created_at),
    lastSeenAt: isoOrNull(r.last_seen_at),
    online: Boolean(r.online),
    badMessages: Number(r.bad_messages),
    lastBadReason: (r.last_bad_reason as string | null) ?? null,
    lastBadAt: isoOrNull(r.last_bad_at),
    throttled: Number(r.throttled),
    lastThrottledAt: isoOrNull(r.last_throttled_at),
  };
}

function toSite(r: Row): Site {
  return {
    id: String(r.id),
    name: String(r.name),
    regionCode: String(r.region_code),
    address: (r.address as string | null) ?? null,
    lat: r.lat == null ? null : Number(r.lat),
    lng: r.lng == null ? null : Number(r.lng),
    ackSec: Number(r.ack_sec),
    confirmSec: Number(r.confirm_sec),
    escalateSec: Number(r.escalate_sec),
    webhookUrl: (r.webhook_url as string | null) ?? null,
    authorisedBadges: (r.authorised_badges as string[] | null) ?? [],
    ...institutionProfileOf(r),
  };
}

function toUser(r: Row): UserRecord {
  return {
    id: String(r.id),
    username: String(r.username),
    role: r.role as User['role'],
    regionCode: (r.region_code as string | null) ?? null,
    siteIds: (r.site_ids as string[] | null) ?? [],
    disabled: Boolean(r.disabled),
    passwordHash: String(r.password_hash),
  };
}

export class Store {
  readonly alarms: AlarmStore;
  readonly workorders: WorkOrderStore;
  readonly tickets: TicketStore;
  /** 挂牌督办 records and deadline extensions on tickets. */
  readonly ticketOversight: TicketOversightStore;
  readonly commands: CommandStore;
  readonly rules: RuleStore;
  readonly telemetry: TelemetryStore;
  readonly stats: StatsStore;
  readonly inspections: InspectionStore;
  readonly sessions: SessionStore;
  readonly audit: AuditStore;
  readonly apiTokens: ApiTokenStore;
  readonly risks: RiskStore;
  readonly controlRoom: ControlRoomStore;
  readonly preparedness: PreparednessStore;
  readonly supervision: SupervisionStore;
  readonly hazardCriteria: HazardCriteriaStore;
  readonly institutions: InstitutionStore;
  readonly checks: CheckStore;
  readonly leases: LeaseStore;
  readonly submissions: SubmissionStore;
  readonly scorecard: ScorecardStore;

  private readonly db: SqlExecutor;

  /** `raw`: the adapter; the store writes through it so that a request's changes carry its audit entry (audited.ts). */
  constructor(raw: SqlExecutor) {
    this.audit = new AuditStore(raw);
    const db = auditedExecutor(raw, (tx, entry) => this.audit.insert(tx, entry));
    this.db = db;
    this.alarms = new AlarmStore(db);
    this.workorders = new WorkOrderStore(db);
    this.tickets = new TicketStore(db);
    this.ticketOversight = new TicketOversightStore(db);
    this.commands = new CommandStore(db);
    this.rules = new RuleStore(db);
    this.telemetry = new TelemetryStore(db);
    this.stats = new StatsStore(db);
    this.inspections = new InspectionStore(db);
    this.sessions = new SessionStore(db);
    this.apiTokens = new ApiTokenStore(db);
    this.risks = new RiskStore(db);
    this.controlRoom = new ControlRoomStore(db);
    this.preparedness = new PreparednessStore(db);
    this.supervision = new SupervisionStore(db);
    this.hazardCriteria = new HazardCriteriaStore(db);
    this.institutions = new InstitutionStore(db);
    this.checks = new CheckStore(db);
    this.leases = new LeaseStore(db);
    this.submissions = new SubmissionStore(db);
    this.scorecard = new ScorecardStore(db);
  }

  /**
   * Runs `fn` in one transaction (an event, the alarm it raises and the work it opens: all or nothing). In a
   * request that changes something, the first transaction that writes also writes the request's audit entry.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  /** Runs `fn` holding a lock every FireNet process on the database respects (a cluster's nodes take turns). */
  exclusively<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.db.exclusively(`firenet:${name}`, fn);
  }

  get kind(): SqlExecutor['kind'] {
    return this.db.kind;
  }

  /**
   * Makes the room of deleted and rewritten rows usable again (VACUUM), on PGlite, which has no autovacuum: without it a
   * table kept for N days grew by each day's rows for ever (raw readings kept 3 days: 17.6 MB, then 5.9 MB more every
   * day; vacuumed after each day's retention, 17.6 MB throughout, 14-64 ms a time). PostgreSQL's autovacuum does this.
   */
  async reclaim(table: 'telemetry' | 'telemetry_rollups' | 'device_events'): Promise<void> {
    if (this.db.kind === 'pglite') await this.db.exec(`vacuum ${table}`);
  }

  migrate(): Promise<number[]> {
    return migrate(this.db);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  async ping(): Promise<boolean> {
    await this.db.query('select 1');
    return true;
  }

  // settings

  async getSetting(key: string): Promise<string | null> {
    const rows = await this.db.query<{ value: string }>('select value from settings where key = $1', [key]);
    return rows[0]?.value ?? null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.db.query('insert into settings (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value', [key, value]);
  }

  /** Stores `value` unless the key is already set; returns the value that holds. */
  async initSetting(key: string, value: string): Promise<string> {
    await this.db.query('insert into settings (key, value) values ($1, $2) on conflict (key) do nothing', [key, value]);
    return (await this.getSetting(key))!;
  }

  // sites

  async upsertSite(site: Site, codes: SiteCodes): Promise<void> {
    await this.db.query(
      `insert into sites (id, name, kind, region_code, city_code, province_code, address, lat, lng, ack_sec, confirm_sec, escalate_sec, webhook_url, authorised_badges,
         ${INSTITUTION_PROFILE_COLUMNS})
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
       on conflict (id) do update set name = excluded.name, kind = excluded.kind, region_code = excluded.region_code,
         city_code = excluded.city_code, province_code = excluded.province_code, address = excluded.address,
         lat = excluded.lat, lng = excluded.lng, ack_sec = excluded.ack_sec, confirm_sec = excluded.confirm_sec,
         escalate_sec = excluded.escalate_sec, webhook_url = excluded.webhook_url, authorised_badges = excluded.authorised_badges,
         ${INSTITUTION_PROFILE_UPDATE}`,
      [site.id, site.name, site.kind, codes.regionCode, codes.cityCode, codes.provinceCode, site.address, site.lat, site.lng,
        site.ackSec, site.confirmSec, site.escalateSec, site.webhookUrl, JSON.stringify(site.authorisedBadges), ...institutionProfileParams(site)],
    );
  }

  /** Institutions in the scopes, by region and name; all of them unless `page` says which. */
  async listSites(scopes: readonly SiteScope[], page?: { limit: number; offset: number }): Promise<Site[]> {
    const where = scopeClauses(new Where(), scopes, 's');
    const cut = page ? ` limit ${where.param(page.limit)} offset ${where.param(page.offset)}` : '';
    const rows = await this.db.query(`select s.* from sites s ${where} order by s.region_code, s.name, s.id${cut}`, where.params);
    return rows.map(toSite);
  }

  async countSites(scopes: readonly SiteScope[] = []): Promise<number> {
    const where = scopeClauses(new Where(), scopes, 's');
    const rows = await this.db.query<{ n: number }>(`select count(*)::int as n from sites s ${where}`, where.params);
    return rows[0]?.n ?? 0;
  }

  /** `q`: the transaction to read in (PGlite runs one transaction at a time: a read beside it would wait for it). */
  async getSite(id: string, q: Queryable = this.db): Promise<Site | null> {
    const rows = await q.query('select * from sites where id = $1', [id]);
    return rows[0] ? toSite(rows[0]) : null;
  }

  // devices

  async createDevice(device: NewDevice, secretHash: string): Promise<boolean> {
    const rows = await this.db.query(
      `insert into devices (id, family, site_id, model, building, floor, zone, heartbeat_sec, secret_hash, gb_address)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (id) do nothing returning id`,
      [device.id, device.family, device.siteId, device.model, device.building, device.floor, device.zone, device.heartbeatSec, secretHash, device.gbAddress ?? null],
    );
    return rows.length === 1;
  }

  /** Bulk insert for seeding; all or nothing. */
  async createDevices(devices: readonly { device: NewDevice; secretHash: string }[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < devices.length; i += 500) {
        const chunk = devices.slice(i, i + 500);
        const col = <K extends keyof NewDevice>(k: K) => chunk.map((d) => d.device[k]);
        await tx.query(
          `insert into devices (id, family, site_id, model, building, floor, zone, heartbeat_sec, secret_hash, gb_address)
           select * from ${bulkRows('d', {
             id: 'text', family: 'text', site_id: 'text', model: 'text', building: 'text', floor: 'text', zone: 'text', heartbeat_sec: 'int', secret_hash: 'text', gb_address: 'text',
           })}`,
          [col('id'), col('family'), col('siteId'), col('model'), col('building'), col('floor'), col('zone'), col('heartbeatSec'), chunk.map((d) => d.secretHash),
            chunk.map((d) => d.device.gbAddress ?? null)],
        );
      }
    });
  }

  /** The transmission device with this GB/T 26875.3 address (12 hex digits, upper case), if any; sign-ins arriving together are read in one statement. */
  deviceByGbAddress(gbAddress: string): Promise<Omit<DeviceCredentials, 'secretHash'> | null> {
    return this.gbAddresses.get(gbAddress);
  }

  private readonly gbAddresses = new Coalesced<string, Omit<DeviceCredentials, 'secretHash'>>(async (addresses) => {
    const rows = await this.db.query('select id, family, site_id, disabled, gb_address from devices where gb_address = any($1::text[])', [addresses]);
    return new Map(rows.map((r) => [String(r.gb_address), { id: String(r.id), family: r.family as DeviceFamily, siteId: String(r.site_id), disabled: Boolean(r.disabled) }]));
  });

  /** Device ids already holding one of these GB/T 26875.3 addresses. */
  async existingGbAddresses(addresses: readonly string[]): Promise<string[]> {
    if (addresses.length === 0) return [];
    const rows = await this.db.query('select gb_address from devices where gb_address = any($1::text[])', [addresses]);
    return rows.map((r) => String(r.gb_address));
  }

  /** A device's sign-in facts; sign-ins arriving together are read in one statement. */
  getDeviceCredentials(id: string): Promise<DeviceCredentials | null> {
    return this.credentials.get(id);
  }

  private readonly credentials = new Coalesced<string, DeviceCredentials>(async (ids) => {
    const rows = await this.db.query('select id, family, site_id, secret_hash, disabled from devices where id = any($1::text[])', [ids]);
    return new Map(rows.map((r) => [String(r.id), {
      id: String(r.id), family: r.family as DeviceFamily, siteId: String(r.site_id), secretHash: String(r.secret_hash), disabled: Boolean(r.disabled),
    }]));
  });

  async getDevice(id: string, scopes: readonly SiteScope[] = [], q: Queryable = this.db): Promise<Device | null> {
    const where = scopeClauses(new Where().add('d.id = ?', id), scopes, 's');
    const rows = await q.query(`select ${DEVICE_COLUMNS} from devices d join sites s on s.id = d.site_id ${where}`, where.params);
    return rows[0] ? toDevice(rows[0]) : null;
  }

  /** The devices of `ids` as the hot path keeps them (family, place, heartbeat), in one statement; unknown ids are left out. */
  async devicePlaces(ids: readonly string[], q: Queryable = this.db): Promise<DevicePlace[]> {
    const rows = await q.query(`select id, family, site_id, building, floor, zone, heartbeat_sec from devices where id = any($1::text[])`, [ids]);
    return rows.map((r) => ({
      id: String(r.id), family: r.family as DeviceFamily, siteId: String(r.site_id), building: textOrNull(r.building),
      floor: textOrNull(r.floor), zone: textOrNull(r.zone), heartbeatSec: Number(r.heartbeat_sec),
    }));
  }

  async listDevices(scopes: readonly SiteScope[], filter: DeviceFilter & { limit: number; offset: number; order?: DeviceOrder }): Promise<Device[]> {
    const where = deviceWhere(scopes, filter);
    const order = filter.order === 'attention' ? `d.disabled desc, ${ONLINE_SQL} asc, d.id` : 'd.id';
    const rows = await this.db.query(
      `select ${DEVICE_COLUMNS} from devices d join sites s on s.id = d.site_id ${where}
       order by ${order} limit ${where.param(filter.limit)} offset ${where.param(filter.offset)}`,
      where.params,
    );
    return rows.map(toDevice);
  }

  /** How many devices `listDevices` would give without a limit. */
  async countDevices(scopes: readonly SiteScope[], filter: DeviceFilter): Promise<number> {
    const where = deviceWhere(scopes, filter);
    const rows = await this.db.query(`select count(*)::int as n from devices d join sites s on s.id = d.site_id ${where}`, where.params);
    return Number(rows[0]?.n ?? 0);
  }

  /** Devices by family, all of them counted: how many, online, offline and disabled (a disabled device is neither). */
  async deviceFamilies(scopes: readonly SiteScope[], filter: DeviceFilter = {}): Promise<DeviceFamilyCounts[]> {
    const where = deviceWhere(scopes, filter);
    const rows = await this.db.query(
      `select d.family, count(*)::int as devices,
              count(*) filter (where not d.disabled and ${ONLINE_SQL})::int as online,
              count(*) filter (where not d.disabled and not ${ONLINE_SQL})::int as offline,
              count(*) filter (where d.disabled)::int as disabled
       from devices d join sites s on s.id = d.site_id ${where}
       group by d.family order by d.family`,
      where.params,
    );
    return rows.map((r) => ({ family: r.family as DeviceFamily, devices: Number(r.devices), online: Number(r.online), offline: Number(r.offline), disabled: Number(r.disabled) }));
  }

  /** Every enabled device as the rules engine knows it, with when it was last heard from. */
  async devicesForEngine(): Promise<(DeviceFacts & { lastSeenAt: number | null })[]> {
    const rows = await this.db.query('select id, family, site_id, zone, heartbeat_sec, last_seen_at from devices where not disabled');
    return rows.map((r) => ({
      id: String(r.id), family: r.family as DeviceFamily, siteId: String(r.site_id), zone: (r.zone as string | null) ?? null,
      heartbeatSec: Number(r.heartbeat_sec), lastSeenAt: r.last_seen_at == null ? null : Date.parse(iso(r.last_seen_at)),
    }));
  }

  /** An operator confirmed a false alarm: counted on the device. */
  async countFalseAlarm(deviceId: string): Promise<number> {
    const rows = await this.db.query<{ n: number }>('update devices set false_alarms = false_alarms + 1 where id = $1 returning false_alarms as n', [deviceId]);
    return rows[0]?.n ?? 0;
  }

  /** Records when devices were last heard from (batched by the caller). */
  async touchDevices(lastSeen: ReadonlyMap<string, number>): Promise<void> {
    if (lastSeen.size === 0) return;
    await this.db.query(
      `update devices d set last_seen_at = greatest(d.last_seen_at, v.ts)
       from (select id, ${fromEpochMs('ms')} as ts from ${bulkRows('u', { id: 'text', ms: 'int8' })}) v where d.id = v.id`,
      [[...lastSeen.keys()], [...lastSeen.values()].map(epochMs)],
    );
  }

  /** Which of these device ids are taken. */
  async existingDeviceIds(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query('select id from devices where id = any($1::text[])', [ids]);
    return rows.map((r) => String(r.id));
  }

  /** Adds messages dropped for being over the device's rate (batched by the caller). */
  async addThrottled(counts: ReadonlyMap<string, { count: number; at: number }>): Promise<void> {
    if (counts.size === 0) return;
    const rows = [...counts];
    await this.db.query(
      `update devices d set throttled = d.throttled + v.n, last_throttled_at = greatest(d.last_throttled_at, v.ts)
       from (select id, n, ${fromEpochMs('ms')} as ts from ${bulkRows('u', { id: 'text', n: 'int', ms: 'int8' })}) v where d.id = v.id`,
      [rows.map(([id]) => id), rows.map(([, c]) => c.count), rows.map(([, c]) => epochMs(c.at))],
    );
  }

  /** Disables or enables a device; false when there is no such device. */
  async setDeviceDisabled(id: string, disabled: boolean): Promise<boolean> {
    const rows = await this.db.query('update devices set disabled = $2 where id = $1 returning id', [id, disabled]);
    return rows.length > 0;
  }

  /** Replaces a device's secret hash; false when there is no such device. */
  async setDeviceSecret(id: string, secretHash: string): Promise<boolean> {
    const rows = await this.db.query('update devices set secret_hash = $2 where id = $1 returning id', [id, secretHash]);
    return rows.length > 0;
  }

  /** Sets a device's secret hash only if it still is `expected` (a rotation in between wins); false otherwise. */
  async replaceDeviceSecret(id: string, expected: string, secretHash: string): Promise<boolean> {
    const rows = await this.db.query('update devices set secret_hash = $3 where id = $1 and secret_hash = $2 returning id', [id, expected, secretHash]);
    return rows.length > 0;
  }

  async recordBadMessage(deviceId: string, topic: string, reason: string, size: number, at: number): Promise<void> {
    const when = new Date(at).toISOString();
    await this.db.transaction(async (tx) => {
      await tx.query('insert into bad_messages (device_id, topic, reason, size, received_at) values ($1, $2, $3, $4, $5)', [deviceId, topic, reason, size, when]);
      await tx.query('update devices set bad_messages = bad_messages + 1, last_bad_reason = $2, last_bad_at = $3 where id = $1', [deviceId, reason, when]);
    });
  }

  async listBadMessages(deviceId: string, limit = 20): Promise<{ topic: string; reason: string; size: number; receivedAt: string }[]> {
    const rows = await this.db.query('select topic, reason, size, received_at from bad_messages where device_id = $1 order by received_at desc, id desc limit $2', [deviceId, limit]);
    return rows.map((r) => ({ topic: String(r.topic), reason: String(r.reason), size: Number(r.size), receivedAt: iso(r.received_at) }));
  }

  // events

  /**
   * Stores device events, each once, in one statement: for each, false when it is a redelivery (same device and
   * event id, stored before or earlier in `events`).
   */
  async insertEvents(tx: Queryable, events: readonly { deviceId: string; event: DeviceEvent; receivedAt: number }[]): Promise<boolean[]> {
    if (events.length === 0) return [];
    // the stored ones come back as one JSON value: a storm's 500 rows took the client ~1.4 ms more to read than one
    const [row] = await tx.query<{ stored: [string, string][] | null }>(
      `with stored as (
         insert into device_events (device_id, event_id, type, ts, received_at, data)
         select device_id, event_id, type, ${fromEpochMs('ts')}, ${fromEpochMs('received_at')}, data
         from ${bulkRows('e', { device_id: 'text', event_id: 'text', type: 'text', ts: 'int8', received_at: 'int8', data: 'jsonb' })}
         on conflict (device_id, event_id) do nothing returning device_id, event_id)
       select json_agg(json_build_array(device_id, event_id)) as stored from stored`,
      [events.map((e) => e.deviceId), events.map((e) => e.event.id), events.map((e) => e.event.type), events.map((e) => epochMs(e.event.ts)),
        events.map((e) => epochMs(e.receivedAt)), JSON.stringify(events.map((e) => e.event.data))],
    );
    const fresh = new Set((row?.stored ?? []).map(([deviceId, eventId]) => `${deviceId}\u0000${eventId}`));
    // the first of several with one id is the one stored
    return events.map((e) => fresh.delete(`${e.deviceId}\u0000${e.event.id}`));
  }

  /** Brings the BRIN index of device events up to date (before `retainEvents`, so the newest events are not all read). */
  async summarizeEvents(): Promise<void> {
    await this.db.query(`select brin_summarize_new_values('device_events_received_brin')`);
  }

  /** Deletes up to `limit` device events that came in before `before`; answers how many (fewer than `limit`: none older is left). */
  async retainEvents(before: number, limit: number): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      `with d as (delete from device_events where ctid = any(array(select ctid from device_events where received_at < $1 limit $2)) returning 1)
       select count(*)::int as n from d`, [when(before), limit]);
    return rows[0]?.n ?? 0;
  }

  async countEvents(deviceId: string): Promise<number> {
    const rows = await this.db.query<{ n: number }>('select count(*)::int as n from device_events where device_id = $1', [deviceId]);
    return rows[0]?.n ?? 0;
  }

  // overview

  /**
   * Per child of a region: institutions, devices, online devices, active alarms.
   * `groupColumn` is the sites column naming the child (city_code under a province, ...; id for sites under a county).
   */
  async overview(scopes: readonly SiteScope[], groupColumn: RegionColumn | 'id'): Promise<Map<string, Omit<OverviewRow, 'code' | 'name' | 'level' | 'onlineRate'>>> {
    const where = scopeClauses(new Where(), scopes, 's');
    const rows = await this.db.query(
      `select s.${groupColumn} as code,
              count(distinct s.id)::int as institutions,
              coalesce(sum(dc.devices), 0)::int as devices,
              coalesce(sum(dc.online), 0)::int as online,
              coalesce(sum(ac.active), 0)::int as active_alarms,
              coalesce(sum(ac.unanswered), 0)::int as new_alarms
       from sites s
       left join (select d.site_id, count(*) as devices, count(*) filter (where ${ONLINE_SQL}) as online
                  from devices d group by d.site_id) dc on dc.site_id = s.id
       left join (select site_id, count(*) as active, count(*) filter (where status = 'new') as unanswered
                  from alarms where status <> 'closed' group by site_id) ac on ac.site_id = s.id
       ${where}
       group by s.${groupColumn}`,
      where.params,
    );
    return new Map(rows.map((r) => [String(r.code), {
      institutions: Number(r.institutions), devices: Number(r.devices), online: Number(r.online),
      activeAlarms: Number(r.active_alarms), newAlarms: Number(r.new_alarms), inProgressAlarms: Number(r.active_alarms) - Number(r.new_alarms),
    }]));
  }

  // users

  async createUser(user: Omit<UserRecord, 'id' | 'disabled'> & { id?: string }): Promise<UserRecord> {
    const id = user.id ?? randomUUID();
    await this.db.query(
      'insert into users (id, username, password_hash, role, region_code, site_ids) values ($1, $2, $3, $4, $5, $6)',
      [id, user.username, user.passwordHash, user.role, user.regionCode, JSON.stringify(user.siteIds)],
    );
    return { ...user, id, disabled: false };
  }

  async setPassword(userId: string, passwordHash: string): Promise<void> {
    await this.db.query('update users set password_hash = $2 where id = $1', [userId, passwordHash]);
  }

  async findUser(username: string): Promise<UserRecord | null> {
    const rows = await this.db.query('select * from users where username = $1', [username]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async getUser(id: string): Promise<UserRecord | null> {
    const rows = await this.db.query('select * from users where id = $1', [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  /** The user of a session that is not revoked, in one lookup (every signed-in request makes it). */
  async sessionUser(sessionId: string, userId: string): Promise<UserRecord | null> {
    const rows = await this.db.query(
      'select u.* from sessions s join users u on u.id = s.user_id where s.id = $1 and s.user_id = $2 and s.revoked_at is null',
      [sessionId, userId],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = await this.db.query('select * from users order by username');
    return rows.map(toUser);
  }

  /** Changes a user's role and scope (and password hash when given); null when there is no such user. */
  async updateUser(id: string, change: Pick<UserRecord, 'role' | 'regionCode' | 'siteIds'> & { passwordHash?: string; disabled?: boolean }): Promise<UserRecord | null> {
    const rows = await this.db.query(
      `update users set role = $2, region_code = $3, site_ids = $4, password_hash = coalesce($5, password_hash),
              disabled = coalesce($6, disabled)
        where id = $1 returning *`,
      [id, change.role, change.regionCode, JSON.stringify(change.siteIds), change.passwordHash ?? null, change.disabled ?? null],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  /** Removes a user and, with them, their sessions. */
  async deleteUser(id: string): Promise<void> {
    await this.db.query('delete from users where id = $1', [id]);
  }

}

export interface DeviceFilter {
  siteId?: string;
  family?: string;
}

/** By id; or those needing attention first (disabled, then offline, then online; by id within each). */
export type DeviceOrder = 'id' | 'attention';

export interface DeviceFamilyCounts {
  family: DeviceFamily;
  devices: number;
  online: number;
  offline: number;
  disabled: number;
}

function deviceWhere(scopes: readonly SiteScope[], filter: DeviceFilter): Where {
  const where = scopeClauses(new Where(), scopes, 's');
  if (filter.siteId) where.add('d.site_id = ?', filter.siteId);
  if (filter.family) where.add('d.family = ?', filter.family);
  return where;
}
