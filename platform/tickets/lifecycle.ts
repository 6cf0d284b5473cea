// The hazard ticket loop (隐患闭环): reported 上报 -> registered 登记 (with the five in place 五落实)
// -> rectifying 整改 -> pending_verification 待验收 -> closed 销号; verification may send it back to rectifying.
// A major hazard (重大事故隐患) takes one more step: the institution's verification makes it `verified`, and the county
// bureau approves the closing (销号) or rejects it back to rectifying with a reason. Nobody signs off their own work.
import type { Decision } from '../alarms/lifecycle.js';
import type { TicketState } from '../../contracts/records.js';
import type { HazardGrade } from '../../contracts/rules.js';
import type { TicketTransition } from '../../contracts/http.js';

export { TicketState, ticketStates } from '../../contracts/records.js';
export { FiveInPlace, TicketTransition } from '../../contracts/http.js';
export { isOverdue, stateDeadline, defaultTicketLimits, type TicketLimits } from './deadlines.js';

/** Which states each state may move to (a general hazard's loop); anything else is refused. */
export const ticketMoves: Record<TicketState, readonly TicketState[]> = {
  reported: ['registered'],
  registered: ['rectifying'],
  rectifying: ['pending_verification'],
  pending_verification: ['closed', 'rectifying'], // verification passes (销号) or is rejected
  verified: [],
  closed: [],
};

/** A major hazard's loop: verified by the institution, then approved (销号) or rejected by the county bureau. */
export const majorTicketMoves: Record<TicketState, readonly TicketState[]> = {
  ...ticketMoves,
  pending_verification: ['verified', 'rectifying'],
  verified: ['closed', 'rectifying'],
};

/** The moves of a ticket of this grade. */
export function movesOf(grade: HazardGrade | undefined): Record<TicketState, readonly TicketState[]> {
  return grade === 'major' ? majorTicketMoves : ticketMoves;
}

export interface TicketFacts {
  state: TicketState;
  rectifiedBy: string | null;
  /** general when not given. */
  grade?: HazardGrade;
  /** Who verified a major hazard's rectification (the institution); they may not approve its closing either. */
  verifiedBy?: string | null;
}

export function decideTicket(ticket: TicketFacts, transition: TicketTransition, actor: string): Decision<{ state: TicketState; rejected: boolean }> {
  const current = ticket.state;
  const moves = movesOf(ticket.grade);
  if (!moves[current].includes(transition.to)) {
    const next = moves[current];
    const major = ticket.grade === 'major' && current === 'pending_verification' && transition.to === 'closed'
      ? ' (a major hazard is verified by the institution, then its closing is approved by the county bureau)' : '';
    return { ok: false, status: 409, message: `ticket is ${current}; it can move to ${next.length ? next.join(' or ') : 'nothing (closed)'}, not ${transition.to}${major}` };
  }
  const signsOff = current === 'pending_verification' || current === 'verified';
  if (signsOff && ticket.rectifiedBy === actor) {
    return { ok: false, status: 403, code: 'verify.own_work', message: `${actor} submitted this rectification and may not verify it: someone else closes or sends it back` };
  }
  if (current === 'verified' && ticket.verifiedBy === actor) {
    return { ok: false, status: 403, code: 'verify.own_work', message: `${actor} verified this rectification and may not approve it: the county bureau closes or sends it back` };
  }
  const rejected = signsOff && transition.to === 'rectifying';
  if (rejected && !transition.note?.trim()) {
    return { ok: false, status: 409, message: 'note: say why the rectification is rejected' };
  }
  if (transition.to === 'registered' && ticket.grade === 'major' && !transition.acceptanceCriteria?.trim()) {
    return { ok: false, status: 400, code: 'ticket.acceptance_criteria', message: 'body.acceptanceCriteria: a major hazard is registered with its acceptance criteria (验收标准)' };
  }
  return { ok: true, change: { state: transition.to, rejected } };
}
