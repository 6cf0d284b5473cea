// The bureaus' hand on a hazard, decided over plain data: 挂牌督办 put up on an open hazard with a deadline ahead and
// lifted (摘牌) only after its closing, by the bureau that put it up or one above; a rectification deadline extended
// only when asked with a reason while the hazard is being rectified, and only once a bureau approves (not the asker).
import type { Decision } from '../alarms/lifecycle.js';
import type { Role, TicketState } from '../../contracts/records.js';

const refuse = (status: 400 | 403 | 409, message: string, code?: string) => ({ ok: false as const, status, message, ...(code ? { code } : {}) });

export function decidePutUp(ticket: { state: TicketState }, active: boolean, deadline: number, now: number): Decision<null> {
  if (ticket.state === 'closed') return refuse(409, 'the hazard is closed (销号): nothing to supervise');
  if (active) return refuse(409, 'the hazard is under supervision (挂牌督办) already', 'supervision.active');
  if (deadline <= now) return refuse(400, 'body.deadline: must lie ahead');
  return { ok: true, change: null };
}

/**
 * 摘牌: only once the hazard is closed, by an admin or a bureau whose region is the one that put it up or above it
 * (`lineage`: that region and its ancestors' codes).
 */
export function decideLift(
  ticket: { state: TicketState },
  record: { liftedAt: string | null; regionCode: string } | null,
  lifter: { role: Role; regionCode: string | null },
  lineage: readonly string[],
): Decision<null> {
  if (!record || record.liftedAt !== null) return refuse(409, 'the hazard is not under supervision (挂牌督办)', 'supervision.none');
  const level = lifter.role === 'admin' || (lifter.role === 'bureau' && lifter.regionCode !== null && lineage.includes(lifter.regionCode));
  if (!level) return refuse(403, `supervision is lifted by the bureau that put it up (${record.regionCode}) or one above it`, 'supervision.lifted_by_its_bureau');
  if (ticket.state !== 'closed') return refuse(409, 'supervision is lifted (摘牌) only after the hazard is closed (销号)', 'supervision.not_closed');
  return { ok: true, change: null };
}

/** The rectification deadline is being kept while registered or rectifying; a later one is asked for with a reason. */
export function decideExtensionRequest(ticket: { state: TicketState; rectificationDeadline: number | null }, pending: boolean, deadline: number): Decision<null> {
  if ((ticket.state !== 'registered' && ticket.state !== 'rectifying') || ticket.rectificationDeadline === null) {
    return refuse(409, `ticket is ${ticket.state}: only a registered hazard being rectified has a deadline to extend`);
  }
  if (pending) return refuse(409, 'an extension is awaiting a bureau\'s decision already', 'extension.pending');
  if (deadline <= ticket.rectificationDeadline) return refuse(400, 'body.deadline: must be later than the rectification deadline');
  return { ok: true, change: null };
}

export function decideExtensionAnswer(ticket: { state: TicketState }, extension: { state: string; requestedBy: string } | null, actor: string, approve: boolean): Decision<null> {
  if (!extension || extension.state !== 'pending') return refuse(409, 'no extension is awaiting a decision', 'extension.none');
  if (extension.requestedBy === actor) return refuse(403, `${actor} asked for this extension and may not decide it`, 'verify.own_work');
  if (approve && ticket.state !== 'registered' && ticket.state !== 'rectifying') return refuse(409, `ticket is ${ticket.state}: its rectification deadline no longer runs`);
  return { ok: true, change: null };
}
