// Hazard tickets with their audit trail and photos. Rule-raised tickets are one open per rule and subject.
import { randomUUID } from 'node:crypto';
import type { SiteScope } from '../../contracts/scope.js';
import type { HazardGrade } from '../../contracts/rules.js';
import type { RiskLevel } from '../../contracts/risks.js';
import type { Ticket, TicketEvent } from '../../contracts/records.js';
import type { TicketExtension, TicketSupervision } from '../../contracts/ticket-supervision.js';
import type { FiveInPlace } from '../../contracts/http.js';
import type { TicketState } from '../../contracts/records.js';
import type { Queryable, SqlExecutor } from './executor.js';
import { iso, isoOrNull, textOrNull, when, Where, type Row } from './rows.js';
import { scopeClauses } from './scope-sql.js';

export interface TicketRaise {
  ruleId: string | null;
  subject: string | null;
  source: 'rule' | 'manual';
  deviceId: string | null;
  siteId: string;
  regionCode: string;
  title: string;
  /** A rule-made ticket's English title and description (the rule's titleEn and nameEn); null for a person's report. */
  titleEn?: string | null;
  description: string;
  descriptionEn?: string | null;
  location: string;
  level: RiskLevel;
  grade: HazardGrade;
  /** The 重大事故隐患 criterion it is judged major by. */
  criterion?: string | null;
  data: Record<string, unknown>;
  reportedBy: string;
  at: number;
  /** The deadline to register it (tickets/deadlines.ts); none given: none. */
  stateDeadline?: number | null;
  /** A major hazard reported upward to the bureaus as it is opened. */
  reportedUpward?: boolean;
}

export interface TicketFilter {
  state?: TicketState;
  open?: boolean;
  level?: RiskLevel;
  grade?: HazardGrade;
  overdue?: boolean;
  /** Under 挂牌督办 (not yet lifted). */
  supervised?: boolean;
  deviceId?: string;
}

const OPEN = `t.state <> 'closed'`;
/** Past the deadline of the state it is in, or flagged so in it (tickets aliased `t`; closed ones have none). */
export const OVERDUE_SQL = `(t.overdue_at is not null or (t.state_deadline is not null and t.state_deadline < now()))`;
/** Under a bureau's supervision (挂牌督办) not yet lifted (tickets aliased `t`). */
export const SUPERVISED_SQL = `exists (select 1 from ticket_supervisions p where p.ticket_id = t.id and p.lifted_at is null)`;

function toTicket(r: Row): Ticket {
  return {
    id: String(r.id), ruleId: textOrNull(r.rule_id), subject: textOrNull(r.subject), source: r.source as Ticket['source'],
    deviceId: textOrNull(r.device_id), siteId: String(r.site_id), siteName: String(r.site_name ?? ''), regionCode: String(r.region_code),
    title: String(r.title), titleEn: textOrNull(r.title_en), description: String(r.description), descriptionEn: textOrNull(r.description_en), location: String(r.location),
    level: r.level as Ticket['level'], grade: r.grade as Ticket['grade'], criterion: textOrNull(r.criterion), state: r.state as Ticket['state'], count: Number(r.count),
    data: (r.data as Record<string, unknown>) ?? {},
    reportedAt: iso(r.reported_at), reportedBy: String(r.reported_by), lastSeenAt: iso(r.last_seen_at), rectifiedBy: textOrNull(r.rectified_by),
    fiveInPlace: r.owner == null ? null : {
      owner: String(r.owner), funds: String(r.funds), measures: String(r.measures), deadline: iso(r.deadline), contingencyPlan: String(r.contingency_plan),
    },
    acceptanceCriteria: textOrNull(r.acceptance_criteria), verifiedBy: textOrNull(r.verified_by),
    recoveredAt: isoOrNull(r.recovered_at), stateSince: iso(r.state_since), stateDeadline: isoOrNull(r.state_deadline), overdue: Boolean(r.overdue), overdueAt: isoOrNull(r.overdue_at),
    escalatedAt: isoOrNull(r.escalated_at), reportedUpwardAt: isoOrNull(r.reported_upward_at),
    supervision: r.supervision ? toSupervision(r.supervision as Row) : null, extension: r.extension ? toExtension(r.extension as Row) : null,
    closedAt: isoOrNull(r.closed_at), updatedAt: iso(r.updated_at),
    photos: ((r.photos as { id: string; content_type: string }[] | null) ?? []).map((p) => ({ id: p.id, contentType: p.content_type, url: `/api/tickets/${String(r.id)}/photos/${p.id}` })),
  };
}

/** A json row's timestamps come as text: each adapter's own way, read by iso(). */
function toSupervision(r: Row): TicketSupervision {
  return {
    id: String(r.id), ticketId: String(r.ticket_id), regionCode: String(r.region_code), putUpBy: String(r.put_up_by), putUpAt: iso(r.put_up_at),
    deadline: iso(r.deadline), note: String(r.note), liftedBy: textOrNull(r.lifted_by), liftedAt: isoOrNull(r.lifted_at), liftNote: textOrNull(r.lift_note),
  };
}

function toExtension(r: Row): TicketExtension {
  return {
    id: String(r.id), ticketId: String(r.ticket_id), requestedBy: String(r.requested_by), requestedAt: iso(r.requested_at), deadline: iso(r.deadline),
    previousDeadline: iso(r.previous_deadline), reason: String(r.reason), state: r.state as TicketExtension['state'],
    decidedBy: textOrNull(r.decided_by), decidedAt: isoOrNull(r.decided_at), decisionNote: textOrNull(r.decision_note),
  };
}

const SELECT = `select t.*, s.name as site_name, ${OVERDUE_SQL} as overdue,
  (select e.actor from ticket_events e where e.ticket_id = t.id and e.to_state = 'pending_verification' order by e.id desc limit 1) as rectified_by,
  (select e.actor from ticket_events e where e.ticket_id = t.id and e.to_state = 'verified' order by e.id desc limit 1) as verified_by,
  (select to_jsonb(p) from ticket_supervisions p where p.ticket_id = t.id order by p.lifted_at is null desc, p.put_up_at desc limit 1) as supervision,
  (select to_jsonb(x) from ticket_extensions x where x.ticket_id = t.id order by x.requested_at desc, x.id limit 1) as extension,
  (select coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'content_type', p.content_type) order by p.uploaded_at), '[]') from ticket_photos p where p.ticket_id = t.id) as photos
  from tickets t join sites s on s.id = t.site_id`;
const withSite = (cte: string) => `with changed as (${cte}) ${SELECT.replace('from tickets t', 'from changed t')}`;

/** One entry in a ticket's audit trail. */
export interface TrailEntry { at: number; actor: string; action: string; from?: string | null; to?: string | null; note?: string | null; data?: Record<string, unknown> }

export async function ticketTrail(tx: Queryable, ticketId: string, e: TrailEntry): Promise<void> {
  await tx.query('insert into ticket_events (ticket_id, at, actor, action, from_state, to_state, note, data) values ($1, $2, $3, $4, $5, $6, $7, $8)',
    [ticketId, when(e.at), e.actor, e.action, e.from ?? null, e.to ?? null, e.note ?? null, JSON.stringify(e.data ?? {})]);
}

/** The ticket as it stands (inside the caller's transaction). */
export async function readTicket(tx: Queryable, id: string): Promise<Ticket> {
  const [row] = await tx.query(`${SELECT} where t.id = $1`, [id]);
  return toTicket(row!);
}

export class TicketStore {
  constructor(private readonly db: SqlExecutor) {}

  private async audit(tx: Queryable, ticketId: string, e: TrailEntry): Promise<void> {
    await ticketTrail(tx, ticketId, e);
  }

  /** A rule's hazard: opens the ticket or counts a repeat on the open one (atomic under concurrency). */
  async raise(tx: Queryable, t: TicketRaise): Promise<{ ticket: Ticket; opened: boolean }> {
    const rows = await tx.query(withSite(`
      insert into tickets as t (id, rule_id, subject, source, device_id, site_id, region_code, title, description, location, level, grade, state, count, data,
        reported_at, reported_by, last_seen_at, updated_at, title_en, description_en, criterion, state_since, state_deadline, reported_upward_at)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'reported', 1, $13, $14, $15, $14, $14, $16, $17, $18, $14, $19,
        case when $20::boolean then $14::timestamptz end)
      on conflict (rule_id, subject) where state <> 'closed' and rule_id is not null
      do update set count = t.count + 1, last_seen_at = greatest(t.last_seen_at, excluded.last_seen_at), recovered_at = null, updated_at = excluded.updated_at,
        data = t.data || jsonb_build_object('latest', excluded.data)
      returning t.*`),
      [randomUUID(), t.ruleId, t.subject, t.source, t.deviceId, t.siteId, t.regionCode, t.title, t.description, t.location, t.level, t.grade, JSON.stringify(t.data), when(t.at), t.reportedBy,
        t.titleEn ?? null, t.descriptionEn ?? null, t.criterion ?? null, t.stateDeadline == null ? null : when(t.stateDeadline), t.reportedUpward ?? false]);
    const ticket = toTicket(rows[0]!);
    const opened = ticket.count === 1;
    await this.audit(tx, ticket.id, opened
      ? { at: t.at, actor: t.reportedBy, action: 'reported', to: 'reported', note: t.description || null, data: t.data }
      : { at: t.at, actor: t.reportedBy, action: 'repeated', data: { count: ticket.count } });
    return { ticket, opened };
  }

  /** A manual report (inspection, staff): always a new ticket. */
  async report(t: Omit<TicketRaise, 'ruleId' | 'subject' | 'source' | 'titleEn' | 'descriptionEn'>): Promise<Ticket> {
    return this.db.transaction(async (tx) => (await this.raise(tx, { ...t, ruleId: null, subject: null, source: 'manual', titleEn: null, descriptionEn: null })).ticket);
  }

  /** The condition cleared (metric back to normal): noted on the ticket; people still close it. */
  async recover(tx: Queryable, ruleId: string, subject: string, at: number): Promise<Ticket | null> {
    const rows = await tx.query(withSite(`update tickets set recovered_at = $3, updated_at = $3 where rule_id = $1 and subject = $2 and state <> 'closed' returning *`), [ruleId, subject, when(at)]);
    if (!rows[0]) return null;
    await this.audit(tx, String(rows[0].id), { at, actor: 'system', action: 'recovered', note: 'the device reports the condition gone' });
    return toTicket(rows[0]);
  }

  /**
   * A lifecycle step, applied only if the ticket is still in `from`; recorded in the audit trail. `stateDeadline` is the
   * new state's (tickets/deadlines.ts); a caller naming none keeps the rectification deadline while registered or
   * rectifying, and none in the other states. Each state is flagged overdue afresh.
   */
  async transition(id: string, from: TicketState, to: TicketState, step: { actor: string; note?: string; fiveInPlace?: FiveInPlace; acceptanceCriteria?: string; rejected: boolean; stateDeadline?: number | null }, at: number): Promise<Ticket | null> {
    return this.db.transaction(async (tx) => {
      const f = step.fiveInPlace;
      const given = step.stateDeadline !== undefined;
      const rows = await tx.query(withSite(`update tickets set state = $3, updated_at = $4,
          owner = coalesce($5, owner), funds = coalesce($6, funds), measures = coalesce($7, measures), deadline = coalesce($8, deadline),
          contingency_plan = coalesce($9, contingency_plan), closed_at = case when $3 = 'closed' then $4::timestamptz else closed_at end,
          acceptance_criteria = coalesce($12, acceptance_criteria), state_since = $4, overdue_at = null,
          state_deadline = case when $10::boolean then $11::timestamptz when $3 in ('registered', 'rectifying') then coalesce($8, deadline) end
        where id = $1 and state = $2 returning *`),
        [id, from, to, when(at), f?.owner ?? null, f?.funds ?? null, f?.measures ?? null, f?.deadline ?? null, f?.contingencyPlan ?? null,
          given, step.stateDeadline == null ? null : when(step.stateDeadline), step.acceptanceCriteria ?? null]);
      if (!rows[0]) return null;
      const data = { ...(f ? { fiveInPlace: f } : {}), ...(step.acceptanceCriteria ? { acceptanceCriteria: step.acceptanceCriteria } : {}) };
      await this.audit(tx, id, { at, actor: step.actor, action: step.rejected ? 'rejected' : 'transition', from, to, note: step.note ?? null, data });
      // read back after the trail's entry: who rectified comes from it
      return readTicket(tx, id);
    });
  }

  async comment(id: string, actor: string, note: string, at: number): Promise<void> {
    await this.audit(this.db, id, { at, actor, action: 'comment', note });
  }

  async get(id: string, scopes: readonly SiteScope[] = []): Promise<Ticket | null> {
    const where = scopeClauses(new Where().add('t.id = ?', id), scopes, 's');
    const rows = await this.db.query(`${SELECT} ${where}`, where.params);
    return rows[0] ? toTicket(rows[0]) : null;
  }

  async events(id: string): Promise<TicketEvent[]> {
    const rows = await this.db.query('select * from ticket_events where ticket_id = $1 order by id', [id]);
    return rows.map((r) => ({ at: iso(r.at), actor: String(r.actor), action: String(r.action), from: textOrNull(r.from_state), to: textOrNull(r.to_state), note: textOrNull(r.note), data: (r.data as Record<string, unknown>) ?? {} }));
  }

  async list(scopes: readonly SiteScope[], filter: TicketFilter & { limit: number; offset?: number }): Promise<Ticket[]> {
    const where = ticketWhere(scopes, filter);
    const rows = await this.db.query(`${SELECT} ${where} order by t.reported_at desc, t.id limit ${where.param(filter.limit)} offset ${where.param(filter.offset ?? 0)}`, where.params);
    return rows.map(toTicket);
  }

  /** How many tickets `list` would give without a limit. */
  async count(scopes: readonly SiteScope[], filter: TicketFilter): Promise<number> {
    const where = ticketWhere(scopes, filter);
    const rows = await this.db.query(`select count(*)::int as n from tickets t join sites s on s.id = t.site_id ${where}`, where.params);
    return Number(rows[0]?.n ?? 0);
  }

  /** Overdue tickets not yet flagged: flags and returns them (each is escalated once). */
  async flagOverdue(at: number): Promise<Ticket[]> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(withSite(`update tickets t set overdue_at = $1, escalated_at = coalesce(escalated_at, $1)
        where overdue_at is null and ${OVERDUE_SQL.replaceAll('now()', '$1::timestamptz')} returning t.*`), [when(at)]);
      for (const r of rows) {
        const rectifying = r.state === 'registered' || r.state === 'rectifying';
        await this.audit(tx, String(r.id), {
          at, actor: 'system', action: 'overdue', note: rectifying ? 'past the rectification deadline: escalated' : `past the deadline of its state (${String(r.state)}): escalated`,
          data: rectifying ? {} : { state: r.state, deadline: iso(r.state_deadline) },
        });
      }
      return rows.map(toTicket);
    });
  }

  async addPhoto(ticketId: string, contentType: string, bytes: Buffer, actor: string, at: number): Promise<string> {
    const id = randomUUID();
    await this.db.transaction(async (tx) => {
      await tx.query('insert into ticket_photos (id, ticket_id, content_type, bytes, uploaded_by, uploaded_at) values ($1, $2, $3, $4, $5, $6)', [id, ticketId, contentType, bytes, actor, when(at)]);
      await this.audit(tx, ticketId, { at, actor, action: 'photo', data: { photoId: id, contentType, size: bytes.length } });
    });
    return id;
  }

  async photo(ticketId: string, photoId: string): Promise<{ contentType: string; bytes: Buffer } | null> {
    const rows = await this.db.query('select content_type, bytes from ticket_photos where ticket_id = $1 and id = $2', [ticketId, photoId]);
    const r = rows[0];
    return r ? { contentType: String(r.content_type), bytes: Buffer.from(r.bytes as Uint8Array) } : null;
  }
}

function ticketWhere(scopes: readonly SiteScope[], filter: TicketFilter): Where {
  const where = scopeClauses(new Where(), scopes, 's');
  if (filter.state) where.add('t.state = ?', filter.state);
  if (filter.open) where.add(OPEN);
  if (filter.level) where.add('t.level = ?', filter.level);
  if (filter.grade) where.add('t.grade = ?', filter.grade);
  if (filter.overdue !== undefined) where.add(filter.overdue ? OVERDUE_SQL : `not ${OVERDUE_SQL}`);
  if (filter.supervised !== undefined) where.add(filter.supervised ? SUPERVISED_SQL : `not ${SUPERVISED_SQL}`);
  if (filter.deviceId) where.add('t.device_id = ?', filter.deviceId);
  return where;
}
