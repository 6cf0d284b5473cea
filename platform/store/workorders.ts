// Device fault work orders: one open per rule and subject; logistics assign, fix and verify them.
import { randomUUID } from 'node:crypto';
import type { SiteScope } from '../../contracts/scope.js';
import type { WorkOrder } from '../../contracts/records.js';
import type { WorkOrderState } from '../../contracts/records.js';
import type { Queryable } from './executor.js';
import { iso, isoOrNull, textOrNull, when, Where, type Row } from './rows.js';
import { scopeClauses } from './scope-sql.js';

export interface WorkOrderRaise {
  ruleId: string;
  subject: string;
  deviceId: string;
  siteId: string;
  regionCode: string;
  category: string;
  data: Record<string, unknown>;
  at: number;
}

function toWorkOrder(r: Row): WorkOrder {
  return {
    id: String(r.id), ruleId: String(r.rule_id), subject: String(r.subject), deviceId: String(r.device_id),
    siteId: String(r.site_id), siteName: String(r.site_name ?? ''), regionCode: String(r.region_code),
    category: String(r.category), state: r.state as WorkOrder['state'], count: Number(r.count),
    data: (r.data as Record<string, unknown>) ?? {},
    openedAt: iso(r.opened_at), lastSeenAt: iso(r.last_seen_at),
    assignedTo: textOrNull(r.assigned_to), assignedAt: isoOrNull(r.assigned_at),
    fixedAt: isoOrNull(r.fixed_at), fixedBy: textOrNull(r.fixed_by),
    verifiedAt: isoOrNull(r.verified_at), verifiedBy: textOrNull(r.verified_by),
    recoveredAt: isoOrNull(r.recovered_at),
    repairSeconds: r.repair_seconds == null ? null : Number(r.repair_seconds),
    note: textOrNull(r.note),
  };
}

const withSite = (cte: string) => `with changed as (${cte}) select w.*, s.name as site_name from changed w join sites s on s.id = w.site_id`;

export class WorkOrderStore {
  constructor(private readonly db: Queryable) {}

  async raise(tx: Queryable, w: WorkOrderRaise): Promise<WorkOrder> {
    const rows = await tx.query(withSite(`
      insert into workorders as w (id, rule_id, subject, device_id, site_id, region_code, category, state, count, data, opened_at, last_seen_at)
      values ($1, $2, $3, $4, $5, $6, $7, 'open', 1, $8, $9, $9)
      on conflict (rule_id, subject) where state <> 'verified'
      do update set count = w.count + 1, last_seen_at = greatest(w.last_seen_at, excluded.last_seen_at), data = excluded.data, recovered_at = null
      returning w.*`),
      [randomUUID(), w.ruleId, w.subject, w.deviceId, w.siteId, w.regionCode, w.category, JSON.stringify(w.data), when(w.at)]);
    return toWorkOrder(rows[0]!);
  }

  /** The device reports healthy again: verified by the system (`close`), or only marked. */
  async recover(tx: Queryable, ruleId: string, subject: string, at: number, close: boolean): Promise<WorkOrder | null> {
    const verify = close
      ? `, state = 'verified', verified_at = $3, verified_by = 'system', repair_seconds = greatest(0, extract(epoch from ($3::timestamptz - opened_at)))::int`
      : '';
    const rows = await tx.query(withSite(`update workorders set recovered_at = $3 ${verify}
      where rule_id = $1 and subject = $2 and state <> 'verified' returning *`), [ruleId, subject, when(at)]);
    return rows[0] ? toWorkOrder(rows[0]) : null;
  }

  /** A step by a person, applied only if the order is still in the state the decision was made on. */
  async transition(id: string, from: WorkOrderState, to: WorkOrderState, step: { assignee?: string; actor: string; note?: string }, at: number): Promise<WorkOrder | null> {
    const params: unknown[] = [id, from, to, when(at), step.note ?? null];
    const param = (v: unknown) => `$${params.push(v)}`;
    const sets: Record<WorkOrderState, () => string> = {
      open: () => '',
      assigned: () => `, assigned_to = coalesce(${param(step.assignee ?? null)}, assigned_to), assigned_at = $4`,
      fixed: () => `, fixed_at = $4, fixed_by = ${param(step.actor)}`,
      verified: () => `, verified_at = $4, verified_by = ${param(step.actor)}, repair_seconds = greatest(0, extract(epoch from ($4::timestamptz - opened_at)))::int`,
    };
    const rows = await this.db.query(withSite(`update workorders set state = $3 ${sets[to]()}, note = coalesce($5, note)
      where id = $1 and state = $2 returning *`), params);
    return rows[0] ? toWorkOrder(rows[0]) : null;
  }

  /** Devices with an open work order of this category (e.g. offline). */
  async openDeviceIds(category: string): Promise<Set<string>> {
    const rows = await this.db.query(`select distinct device_id from workorders where category = $1 and state <> 'verified'`, [category]);
    return new Set(rows.map((r) => String(r.device_id)));
  }

  async get(id: string, scopes: readonly SiteScope[] = []): Promise<WorkOrder | null> {
    const where = scopeClauses(new Where().add('w.id = ?', id), scopes, 's');
    const rows = await this.db.query(`select w.*, s.name as site_name from workorders w join sites s on s.id = w.site_id ${where}`, where.params);
    return rows[0] ? toWorkOrder(rows[0]) : null;
  }

  async list(scopes: readonly SiteScope[], filter: WorkOrderFilter & { limit: number; offset?: number }): Promise<WorkOrder[]> {
    const where = workOrderWhere(scopes, filter);
    const rows = await this.db.query(`select w.*, s.name as site_name from workorders w join sites s on s.id = w.site_id ${where}
      order by w.opened_at desc, w.id limit ${where.param(filter.limit)} offset ${where.param(filter.offset ?? 0)}`, where.params);
    return rows.map(toWorkOrder);
  }

  /** How many work orders `list` would give without a limit. */
  async count(scopes: readonly SiteScope[], filter: WorkOrderFilter): Promise<number> {
    const where = workOrderWhere(scopes, filter);
    const rows = await this.db.query(`select count(*)::int as n from workorders w join sites s on s.id = w.site_id ${where}`, where.params);
    return Number(rows[0]?.n ?? 0);
  }
}

export interface WorkOrderFilter {
  state?: string;
  open?: boolean;
  deviceId?: string;
  category?: string;
}

function workOrderWhere(scopes: readonly SiteScope[], filter: WorkOrderFilter): Where {
  const where = scopeClauses(new Where(), scopes, 's');
  if (filter.state) where.add('w.state = ?', filter.state);
  if (filter.open) where.add(`w.state <> 'verified'`);
  if (filter.deviceId) where.add('w.device_id = ?', filter.deviceId);
  if (filter.category) where.add('w.category = ?', filter.category);
  return where;
}
