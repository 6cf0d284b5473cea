// The control room's records as the dashboard reads them (the contract's), and the ways they are worded.
import type { Certificate, CertificateLevel, DutyCheck, DutySession, OnDuty, Shift } from '../../../../contracts/control-room';
import { tc } from '../../messages/control-room';

export type { Certificate, DutyCheck, DutySession, OnDuty, Shift };

// Restated from the contract (a value import would bring zod, whose eval probe the CSP refuses), held to it by the compiler.
export const certificateLevels = ['junior', 'intermediate', 'senior', 'technician', 'senior_technician'] as const satisfies readonly CertificateLevel[];
export const everyLevel: [Exclude<CertificateLevel, (typeof certificateLevels)[number]>] extends [never] ? true : never = true;

export function certificateText(state: Certificate['state'] | null): string {
  return state ? tc(`cr.cert.${state}`) : tc('cr.cert.none');
}

/** A datetime-local input's value (local time) as ISO-8601; '' when not a time. */
export function localToIso(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/** An ISO time as a datetime-local input's value (local time, minutes). */
export function isoToLocal(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}
