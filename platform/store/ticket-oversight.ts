// A hazard's 挂牌督办 records and its requests to extend the rectification deadline, each step written in the
// ticket's trail in the same transaction; every method answers the ticket as it then stands.
import { randomUUID } from 'node:crypto';
import type { Ticket } from '../../contracts/records.js';
import type { SqlExecutor } from './executor.js';
import { when } from './rows.js';
import { readTicket, ticketTrail } from './tickets.js';

export class TicketOversightStore {
  constructor(private readonly db: SqlExecutor) {}

  /** Puts the ticket under supervision (one at a time: null if one is up already); the bureaus are told, so it counts as escalated. */
  async putUp(ticketId: string, r: { regionCode: string; by: string; at: number; deadline: number; note: string }): Promise<Ticket | null> {
    return this.db.transaction(async (tx) => {
      const id = randomUUID();
      const rows = await tx.query(
        `insert into ticket_supervisions (id, ticket_id, region_code, put_up_by, put_up_at, deadline, note) values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (ticket_id) where lifted_at is null do nothing returning id`,
        [id, ticketId, r.regionCode, r.by, when(r.at), when(r.deadline), r.note]);
      if (!rows[0]) return null;
      await tx.query('update tickets set escalated_at = coalesce(escalated_at, $2), updated_at = $2 where id = $1', [ticketId, when(r.at)]);
      await ticketTrail(tx, ticketId, { at: r.at, actor: r.by, action: 'escalated', note: r.note, data: { supervisionId: id, deadline: when(r.deadline), regionCode: r.regionCode } });
      return readTicket(tx, ticketId);
    });
  }

  /** 摘牌: lifts the supervision that is up; null if none is. */
  async lift(ticketId: string, r: { by: string; at: number; note: string }): Promise<Ticket | null> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(
        'update ticket_supervisions set lifted_by = $2, lifted_at = $3, lift_note = $4 where ticket_id = $1 and lifted_at is null returning id',
        [ticketId, r.by, when(r.at), r.note]);
      if (!rows[0]) return null;
      await tx.query('update tickets set updated_at = $2 where id = $1', [ticketId, when(r.at)]);
      await ticketTrail(tx, ticketId, { at: r.at, actor: r.by, action: 'supervision_lifted', note: r.note, data: { supervisionId: String(rows[0].id) } });
      return readTicket(tx, ticketId);
    });
  }

  /** The institution asks for a later rectification deadline; null if a request awaits a decision already. */
  async requestExtension(ticketId: string, r: { by: string; at: number; deadline: number; previousDeadline: number; reason: string }): Promise<Ticket | null> {
    return this.db.transaction(async (tx) => {
      const id = randomUUID();
      const rows = await tx.query(
        `insert into ticket_extensions (id, ticket_id, requested_by, requested_at, deadline, previous_deadline, reason, state) values ($1, $2, $3, $4, $5, $6, $7, 'pending')
         on conflict (ticket_id) where state = 'pending' do nothing returning id`,
        [id, ticketId, r.by, when(r.at), when(r.deadline), when(r.previousDeadline), r.reason]);
      if (!rows[0]) return null;
      await ticketTrail(tx, ticketId, { at: r.at, actor: r.by, action: 'extension_requested', note: r.reason, data: { extensionId: id, deadline: when(r.deadline) } });
      return readTicket(tx, ticketId);
    });
  }

  /**
   * A bureau's decision on the pending request `extensionId`; approved, the ticket's rectification deadline (and its
   * state's, while registered or rectifying) becomes the one asked for, and it may be flagged overdue afresh. Null if
   * the request is not pending any more.
   */
  async decideExtension(ticketId: string, extensionId: string, r: { by: string; at: number; approve: boolean; note: string | null }): Promise<Ticket | null> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(
        `update ticket_extensions set state = $3, decided_by = $4, decided_at = $5, decision_note = $6 where id = $1 and ticket_id = $2 and state = 'pending' returning deadline`,
        [extensionId, ticketId, r.approve ? 'approved' : 'rejected', r.by, when(r.at), r.note]);
      if (!rows[0]) return null;
      if (r.approve) {
        await tx.query(
          `update tickets set deadline = $2, updated_at = $3,
             state_deadline = case when state in ('registered', 'rectifying') then $2 else state_deadline end,
             overdue_at = case when state in ('registered', 'rectifying') then null else overdue_at end
           where id = $1`,
          [ticketId, rows[0].deadline, when(r.at)]);
      }
      await ticketTrail(tx, ticketId, { at: r.at, actor: r.by, action: r.approve ? 'extension_approved' : 'extension_rejected', note: r.note, data: { extensionId } });
      return readTicket(tx, ticketId);
    });
  }
}
