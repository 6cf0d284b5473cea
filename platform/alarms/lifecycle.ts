// The fire alarm lifecycle (control room): new -> acknowledged -> confirmed (fire / false alarm / test) -> closed.
// Pure: the current alarm and a request in, the change (or a refusal) out.
import type { AlarmChange, AlarmOutcome, AlarmStatus, DeadlineFlag } from '../../contracts/records.js';

export { AlarmOutcome, alarmOutcomes } from '../../contracts/records.js';
export type { AlarmChange, AlarmStatus, DeadlineFlag };

export type AlarmAction =
  | { kind: 'ack' }
  | { kind: 'confirm'; outcome: AlarmOutcome }
  | { kind: 'close' };

/**
 * A refusal is 409 (the record is not in a state for the step) or 403 (this person may not take it: see the ticket
 * and work-order lifecycles), with a stable code when the status's own is not enough.
 */
export type Decision<T> = { ok: true; change: T } | { ok: false; status: 400 | 403 | 409; message: string; code?: string };

const refuse = (message: string): { ok: false; status: 409; message: string } => ({ ok: false, status: 409, message });

/** Acknowledging an acknowledged alarm is refused (someone else already has it); confirming skips ack when needed. */
export function decideAlarm(current: AlarmStatus, action: AlarmAction): Decision<AlarmChange> {
  switch (action.kind) {
    case 'ack':
      return current === 'new' ? { ok: true, change: { status: 'acknowledged', stamp: 'acknowledged' } } : refuse(`alarm is ${current}; only a new alarm can be acknowledged`);
    case 'confirm':
      return current === 'new' || current === 'acknowledged'
        ? { ok: true, change: { status: 'confirmed', outcome: action.outcome, stamp: 'confirmed' } }
        : refuse(`alarm is ${current}; only a new or acknowledged alarm can be confirmed`);
    case 'close':
      return current === 'confirmed' ? { ok: true, change: { status: 'closed', stamp: 'closed' } } : refuse(`alarm is ${current}; confirm it (fire / false_alarm / test) before closing`);
  }
}

/** Response deadlines per institution; WS 308-2019 sets 1 / 3 / 5 minutes for medical institutions. */
export interface ResponsePolicy {
  ackSec: number;
  confirmSec: number;
  escalateSec: number;
}

export const DEFAULT_RESPONSE_POLICY: ResponsePolicy = { ackSec: 60, confirmSec: 180, escalateSec: 300 };

export interface AlarmClock {
  status: AlarmStatus;
  raisedAt: number;
  ackOverdueAt: number | null;
  confirmOverdueAt: number | null;
  escalatedAt: number | null;
}

/** The deadline flags an open alarm newly earns at `now` (each is set once). */
export function dueFlags(alarm: AlarmClock, policy: ResponsePolicy, now: number): DeadlineFlag[] {
  const age = (now - alarm.raisedAt) / 1000;
  const flags: DeadlineFlag[] = [];
  if (alarm.status === 'new' && alarm.ackOverdueAt === null && age >= policy.ackSec) flags.push('ack_overdue');
  const unconfirmed = alarm.status === 'new' || alarm.status === 'acknowledged';
  if (unconfirmed && alarm.confirmOverdueAt === null && age >= policy.confirmSec) flags.push('confirm_overdue');
  if (unconfirmed && alarm.escalatedAt === null && age >= policy.escalateSec) flags.push('escalated');
  return flags;
}
