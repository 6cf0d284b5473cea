// The control room's rules as pure decisions: a certificate's state, what makes a shift acceptable, when a control
// room is staffed, whether a 查岗 can still be answered. Days are China time (YYYY-MM-DD), compared as text.
import type { CertificateState, DutyCheckState } from '../../contracts/control-room.js';

/** A certificate warns this many days before it expires. */
export const EXPIRY_WARNING_DAYS = 30;
/** Certified operators a shift needs (GB 25506: two on duty in the control room around the clock). */
export const OPERATORS_ON_DUTY = 2;

const DAY_MS = 86_400_000;
/** The day `days` after `day`. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function certificateState(expiresOn: string, today: string): CertificateState {
  if (expiresOn < today) return 'expired';
  return expiresOn <= addDays(today, EXPIRY_WARNING_DAYS) ? 'expiring' : 'valid';
}

export interface ShiftProblem { field: string; message: string; code: string; params?: Record<string, string | number> }

/**
 * What is wrong with a shift: its times, an operator who is not an operator of the control room, fewer than two
 * operators certified through the shift's last day. Empty: it can go on the roster.
 */
export function shiftProblems(
  shift: { startsAt: number; endsAt: number; operators: readonly string[]; lastDay: string },
  operatorsOfSite: ReadonlySet<string>,
  certificates: ReadonlyMap<string, { expiresOn: string }>,
): ShiftProblem[] {
  const problems: ShiftProblem[] = [];
  if (shift.endsAt <= shift.startsAt) problems.push({ field: 'endsAt', message: 'must be after startsAt', code: 'shift.ends_before_start' });
  if (shift.endsAt - shift.startsAt > DAY_MS) problems.push({ field: 'endsAt', message: 'a shift lasts at most 24 hours', code: 'shift.too_long' });
  const strangers = shift.operators.filter((u) => !operatorsOfSite.has(u));
  if (strangers.length) problems.push({ field: 'operators', message: `not operators of this control room: ${strangers.join(', ')}`, code: 'shift.not_operators', params: { usernames: strangers.join(', ') } });
  if (new Set(shift.operators).size !== shift.operators.length) problems.push({ field: 'operators', message: 'an operator is listed twice', code: 'shift.operator_twice' });
  const certified = new Set(shift.operators.filter((u) => (certificates.get(u)?.expiresOn ?? '') >= shift.lastDay));
  if (certified.size < OPERATORS_ON_DUTY) {
    problems.push({ field: 'operators', message: `needs ${OPERATORS_ON_DUTY} operators with a certificate valid to ${shift.lastDay}; ${certified.size} listed`, code: 'shift.too_few_certified', params: { needed: OPERATORS_ON_DUTY, certified: certified.size } });
  }
  return problems;
}

/** Two or more signed-on operators whose certificate has not expired. */
export function isStaffed(signedOn: readonly { certificate: CertificateState | null }[]): boolean {
  return signedOn.filter((o) => o.certificate !== null && o.certificate !== 'expired').length >= OPERATORS_ON_DUTY;
}

/** Whether a 查岗 can be answered now: only while waiting and not past its time (a late answer is a missed check). */
export function answerDecision(state: DutyCheckState, answerBy: number, now: number): { ok: true } | { ok: false; code: string; message: string } {
  if (state === 'answered') return { ok: false, code: 'duty_check.answered', message: 'this duty check is answered already' };
  if (state === 'missed' || now > answerBy) return { ok: false, code: 'duty_check.missed', message: 'this duty check was not answered in time' };
  return { ok: true };
}
