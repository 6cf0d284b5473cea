// The hazard ticket loop (隐患闭环): reported 上报 -> registered 登记 (with the five in place 五落实)
// -> rectifying 整改 -> pending_verification 待验收 -> closed 销号; verification may send it back to rectifying.
// Verification (closing, or sending back) is someone else's than the rectifier's: nobody signs off their own work.
import type { Decision } from '../alarms/lifecycle.js';
import type { TicketState } from '../../contracts/records.js';
import type { TicketTransition } from '../../contracts/http.js';

export { TicketState, ticketStates } from '../../contracts/records.js';
export { FiveInPlace, TicketTransition } from '../../contracts/http.js';

/** Which states each state may move to; anything else is refused. */
export const ticketMoves: Record<TicketState, readonly TicketState[]> = {
  reported: ['registered'],
  registered: ['rectifying'],
  rectifying: ['pending_verification'],
  pending_verification: ['closed', 'rectifying'], // verification passes (销号) or is rejected
  closed: [],
};

export function decideTicket(
  ticket: { state: TicketState; rectifiedBy: string | null },
  transition: TicketTransition,
  actor: string,
): Decision<{ state: TicketState; rejected: boolean }> {
  const current = ticket.state;
  if (!ticketMoves[current].includes(transition.to)) {
    const next = ticketMoves[current];
    return { ok: false, status: 409, message: `ticket is ${current}; it can move to ${next.length ? next.join(' or ') : 'nothing (closed)'}, not ${transition.to}` };
  }
  if (current === 'pending_verification' && ticket.rectifiedBy === actor) {
    return { ok: false, status: 403, code: 'verify.own_work', message: `${actor} submitted this rectification and may not verify it: someone else closes or sends it back` };
  }
  if (current === 'pending_verification' && transition.to === 'rectifying' && !transition.note) {
    return { ok: false, status: 409, message: 'note: say why the rectification is rejected' };
  }
  return { ok: true, change: { state: transition.to, rejected: current === 'pending_verification' && transition.to === 'rectifying' } };
}

/** Overdue: past the registered deadline and not yet through verification. */
export function isOverdue(ticket: { state: TicketState; deadline: number | null }, now: number): boolean {
  return ticket.deadline !== null && now > ticket.deadline && (ticket.state === 'registered' || ticket.state === 'rectifying');
}
