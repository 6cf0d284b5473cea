// Hazard tickets as the API sends them (GET /api/tickets, /api/tickets/:id), and the calls that are not JSON
// (photos go up as the raw image and come back as bytes that need the session's token).
import { authFetch } from '../../api';
import { lang } from '../../i18n';
import { tt } from '../../messages/tickets';
// The records are typed by the server's own zod schemas (type-only: nothing of the server is bundled).
import type { FiveInPlace } from '../../../../contracts/http';
import type { TicketState } from '../../../../contracts/records';
import type { HazardGrade } from '../../../../contracts/rules';
import type { Ticket, TicketEvent } from '../../../../contracts/records';

export type { FiveInPlace, HazardGrade, Ticket, TicketEvent, TicketState };

export const ticketStates = ['reported', 'registered', 'rectifying', 'pending_verification', 'verified', 'closed'] as const satisfies readonly TicketState[];
/** A general hazard's loop leaves `verified` out: the county bureau's approval is a major hazard's step. */
export const generalTicketStates = ticketStates.filter((s) => s !== 'verified');

export type TicketDetail = Ticket & { events: TicketEvent[] };

export function isTicket(value: unknown): value is Ticket {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Record<string, unknown>;
  return typeof t.id === 'string' && typeof t.state === 'string' && typeof t.title === 'string' && typeof t.siteId === 'string' && typeof t.level === 'string';
}

/**
 * A ticket's title in the viewer's language: a rule's ticket carries the rule's English title for an English viewer;
 * what a person wrote (titleEn null) shows as written.
 */
export function ticketTitle(t: { title: string; titleEn?: string | null }): string {
  return lang.value === 'en' && t.titleEn ? t.titleEn : t.title;
}

/** A ticket's description the same way (a rule's ticket: the rule's name). */
export function ticketDescription(t: { description: string; descriptionEn?: string | null }): string {
  return lang.value === 'en' && t.descriptionEn ? t.descriptionEn : t.description;
}

export function stateLabel(state: string): string {
  return (ticketStates as readonly string[]).includes(state) ? tt(`tk.state.${state as TicketState}`) : state;
}

export function gradeLabel(grade: string): string {
  return grade === 'major' || grade === 'general' ? tt(`tk.grade.${grade}`) : grade;
}

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

// The report's CSV download takes it from here too.

/** Sends the file as the raw body with its own image type (the server checks the bytes). */
export async function uploadPhoto(ticketId: string, file: Blob): Promise<{ id: string; url: string }> {
  const response = await authFetch(`/api/tickets/${encodeURIComponent(ticketId)}/photos`, {
    method: 'POST',
    headers: { 'Content-Type': file.type || 'application/octet-stream', Accept: 'application/json' },
    body: file,
  });
  return (await response.json()) as { id: string; url: string };
}

/** A photo as an object URL (an <img src> cannot send the Authorization header); revoke it when done. */
export async function photoUrl(url: string, signal?: AbortSignal): Promise<string> {
  const response = await authFetch(url, { signal });
  return URL.createObjectURL(await response.blob());
}

/** datetime-local input value (local time, no zone) -> ISO-8601 with the browser's offset. */
export function localInputToIso(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const two = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 19);
  return `${local}${sign}${two(offset / 60)}:${two(offset % 60)}`;
}

/** An ISO instant as a datetime-local input value, `days` from now by default. */
export function isoToLocalInput(iso?: string, days = 7): string {
  const date = iso ? new Date(iso) : new Date(Date.now() + days * 86_400_000);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}
