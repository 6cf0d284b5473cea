// Every state of a hazard has its deadline (and is overdue past it): an unregistered hazard must be registered in
// time (24 h for a major one by default, 72 h for a general one), a registered one rectified by its five-in-place
// deadline, a rectification verified by the institution and a major hazard's closing approved by the county bureau
// within their limits. The deadline is fixed when the ticket enters the state. Pure: the clock is the caller's.
import type { TicketState } from '../../contracts/records.js';
import type { HazardGrade } from '../../contracts/rules.js';

const HOUR = 3_600_000;

export interface TicketLimits {
  /** Hours to register a reported major hazard with its five in place and acceptance criteria. */
  registerMajorHours: number;
  /** Hours to register a reported general hazard. */
  registerGeneralHours: number;
  /** Hours for the institution to verify a rectification submitted to it (待验收). */
  verifyHours: number;
  /** Hours for the county bureau to approve or reject a verified major hazard's closing. */
  approveHours: number;
}

export const defaultTicketLimits: TicketLimits = { registerMajorHours: 24, registerGeneralHours: 72, verifyHours: 72, approveHours: 72 };

/**
 * The deadline of `state` for a ticket entering it at `at` (ms); null: none (closed). Registered and rectifying keep the
 * rectification deadline of the five in place (`rectificationDeadline`, moved only by an approved extension).
 */
export function stateDeadline(state: TicketState, ticket: { grade: HazardGrade; rectificationDeadline: number | null }, at: number, limits: TicketLimits): number | null {
  switch (state) {
    case 'reported':
      return at + (ticket.grade === 'major' ? limits.registerMajorHours : limits.registerGeneralHours) * HOUR;
    case 'registered':
    case 'rectifying':
      return ticket.rectificationDeadline;
    case 'pending_verification':
      return at + limits.verifyHours * HOUR;
    case 'verified':
      return at + limits.approveHours * HOUR;
    case 'closed':
      return null;
  }
}

/** Overdue: past the deadline of the state it is in. */
export function isOverdue(ticket: { stateDeadline: number | null }, now: number): boolean {
  return ticket.stateDeadline !== null && now > ticket.stateDeadline;
}
