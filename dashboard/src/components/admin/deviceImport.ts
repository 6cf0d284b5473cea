// POST /api/devices/import: the CSV goes up as the raw body; the answer is either a CSV of id,secret to save,
// or a 400 listing each bad row. The shared fetch helpers keep only an error's message, so this reads the
// answer itself, with the session's token (renewed through api() when the server refuses it).
import { api, ApiError } from '../../api';
import { session } from '../../session';

export interface ImportRowError {
  line: number;
  field: string | null;
  message: string;
}

export type ImportAnswer =
  | { ok: true; csv: Blob; fileName: string; devices: number }
  | { ok: false; message: string; rows: ImportRowError[] };

export async function importDevices(file: Blob): Promise<ImportAnswer> {
  let response = await post(file);
  if (response.status === 401) {
    // A 401 is checked before anything is imported, so sending again is safe. api() renews the session's
    // token, or signs the tab out when the session has ended (and then throws).
    await api('/api/auth/me');
    response = await post(file);
  }
  if (response.status === 201) {
    const text = await response.text();
    const disposition = response.headers.get('content-disposition') ?? '';
    const fileName = /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? 'firenet-device-secrets.csv';
    // The header line is "id,secret"; every other non-empty line is one device.
    const devices = text.split(/\r?\n/).filter((line) => line.trim() !== '').length - 1;
    return { ok: true, csv: new Blob([text], { type: 'text/csv;charset=utf-8' }), fileName, devices: Math.max(0, devices) };
  }
  const body = (await response.json().catch(() => null)) as { message?: unknown; rows?: unknown } | null;
  const message = typeof body?.message === 'string' ? body.message : '';
  if (response.status === 400 && Array.isArray(body?.rows)) return { ok: false, message, rows: body.rows.filter(isRowError) };
  throw new ApiError(response.status, message);
}

async function post(file: Blob): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'text/csv', Accept: 'text/csv, application/json' };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  try {
    return await fetch('/api/devices/import', { method: 'POST', headers, body: file });
  } catch {
    throw new ApiError(0, '');
  }
}

function isRowError(value: unknown): value is ImportRowError {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Record<string, unknown>;
  return typeof row.line === 'number' && typeof row.message === 'string' && (row.field === null || typeof row.field === 'string');
}

/** Saves a file the page already holds (the browser's download). */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
