// Hazard tickets as the API sends them (GET /api/tickets, /api/tickets/:id), and the calls that are not JSON
// (photos go up as the raw image and come back as bytes that need the session's token).
import { ApiError } from '../../api';
import { session, signOut } from '../../session';
import { tt } from '../../messages/tickets';
// The records are typed by the server's own zod schemas (type-only: nothing of the server is bundled).
import type { FiveInPlace, TicketState } from '../../../../platform/tickets/lifecycle';
import type { HazardGrade } from '../../../../platform/rules/schema';
import type { Ticket, TicketEvent } from '../../../../platform/schemas';

export type { FiveInPlace, HazardGrade, Ticket, TicketEvent, TicketState };

export const ticketStates = ['reported', 'registered', 'rectifying', 'pending_verification', 'closed'] as const;

export type TicketDetail = Ticket & { events: TicketEvent[] };

export function isTicket(value: unknown): value is Ticket {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Record<string, unknown>;
  return typeof t.id === 'string' && typeof t.state === 'string' && typeof t.title === 'string' && typeof t.siteId === 'string' && typeof t.level === 'string';
}

export function stateLabel(state: string): string {
  return (ticketStates as readonly string[]).includes(state) ? tt(`tk.state.${state as TicketState}`) : state;
}

export function gradeLabel(grade: string): string {
  return grade === 'major' || grade === 'general' ? tt(`tk.grade.${grade}`) : grade;
}

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** fetch with the session's token; a failure becomes an ApiError carrying the server's message. */
export async function authFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const token = session.token;
  const headers = new Headers(init.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, '');
  }
  if (response.status === 401 && token !== null && session.token === token) signOut('expired');
  if (!response.ok) {
    let message = '';
    try {
      const body = (await response.json()) as { message?: unknown };
      if (typeof body.message === 'string') message = body.message;
    } catch {
      /* no JSON body */
    }
    throw new ApiError(response.status, message);
  }
  return response;
}

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
