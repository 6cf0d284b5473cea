// What each role may change (what it may see is its scope: auth/scope.ts). Pure.
import type { Role } from '../../contracts/records.js';
import type { TicketState } from '../tickets/lifecycle.js';
import { regionLevelOf } from '../../contracts/scope.js';

/** Operators (control room) answer fire alarms; safety managers may too. */
export const alarmResponders: readonly Role[] = ['admin', 'operator', 'safety_manager'];
/** Logistics fix device faults; safety managers oversee them. */
export const workOrderHandlers: readonly Role[] = ['admin', 'logistics', 'safety_manager'];
/** Asking a transmission device for its state or the duty room for a 查岗 answer: the control room's and the institution's people. */
export const deviceCommanders: readonly Role[] = ['admin', 'operator', 'safety_manager'];
export const ruleEditors: readonly Role[] = ['admin'];
/** The 日周月 checks are the institution's own duty; a bureau's supervision visit is not one of them. */
export const inspectors: readonly Role[] = ['admin', 'safety_manager', 'operator', 'logistics'];
/** The control room's certificates and roster are kept by the institution's safety manager (or an admin). */
export const rosterKeepers: readonly Role[] = ['admin', 'safety_manager'];
/** Operators sign on and off their control room and answer 查岗 there (a safety manager may answer too). */
export const dutyAnswerers: readonly Role[] = ['operator', 'safety_manager'];
/** Bureaus run 查岗 on the control rooms of their region (admins anywhere). */
export const dutyCheckers: readonly Role[] = ['admin', 'bureau'];
/** Training, plans, drills and the on-site fire team are recorded by the institution's safety manager (or an admin). */
export const preparednessKeepers: readonly Role[] = ['admin', 'safety_manager'];
/** The fire team's equipment is checked by the institution's people (not bureaus). */
export const equipmentCheckers: readonly Role[] = ['admin', 'safety_manager', 'operator', 'logistics'];
/** The risk register is the institution's own assessment (三自主: 自主评估风险); bureaus read it. */
export const riskAssessors: readonly Role[] = ['admin', 'safety_manager'];
/** Bureaus supervise hazards: they put one under supervision (挂牌督办), which alerts the institution and the bureaus above. */
export const ticketSupervisors: readonly Role[] = ['admin', 'bureau'];

/**
 * The hazard loop: a safety manager registers (with the five in place), verifies and closes;
 * rectification is done by the safety manager's people or logistics; bureaus supervise, never rectify.
 */
const ticketMovers: Record<TicketState, readonly Role[]> = {
  reported: [],
  registered: ['admin', 'safety_manager'],
  rectifying: ['admin', 'safety_manager', 'logistics'],
  pending_verification: ['admin', 'safety_manager', 'logistics'],
  verified: ['admin', 'safety_manager'],
  closed: ['admin', 'safety_manager'],
};

/** A verified major hazard's closing (销号) is approved, or rejected back to rectifying, by the county bureau (or an admin). */
export const closingApprovers: readonly Role[] = ['admin', 'bureau'];
/** A rectification deadline is extended only with a bureau's approval (or an admin's); the institution asks. */
export const extensionAskers: readonly Role[] = ['admin', 'safety_manager'];
export const extensionApprovers: readonly Role[] = ['admin', 'bureau'];

export function mayMoveTicket(role: Role, from: TicketState, to: TicketState): boolean {
  if (from === 'verified') return closingApprovers.includes(role);
  // sending a ticket back to rectification is a verification decision
  if (from === 'pending_verification' && to === 'rectifying') return role === 'admin' || role === 'safety_manager';
  return ticketMovers[to].includes(role);
}

/** Of the bureaus, the county's approves a major hazard's closing (it is the one that checks on site). */
export function mayApproveClosing(user: { role: Role; regionCode: string | null }): boolean {
  return user.role === 'admin' || (user.role === 'bureau' && user.regionCode !== null && regionLevelOf(user.regionCode) === 'county');
}

/** The institution's 日周月 checks against a checklist (issue 15): its safety managers; bureaus read them. */
export const checkPerformers: readonly Role[] = ['admin', 'safety_manager'];
/** Checklists are the province's: admins edit them (a new version each time). */
export const checkTemplateEditors: readonly Role[] = ['admin'];
