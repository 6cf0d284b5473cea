// POST /api/devices/import: the CSV goes up as the raw body; the answer is either a CSV of id,secret to save,
// or a 400 listing each bad row (in the error's body).
import { ApiError, authFetch } from '../../api';
import type { ImportProblem } from '../../../../contracts/device-import';

export type ImportAnswer =
  | { ok: true; csv: Blob; fileName: string; devices: number }
  | { ok: false; rows: ImportProblem[] };

export async function importDevices(file: Blob): Promise<ImportAnswer> {
  let response: Response;
  try {
    response = await authFetch('/api/devices/import', {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv', Accept: 'text/csv, application/json' },
      body: file,
    });
  } catch (error) {
    const rows = error instanceof ApiError && error.status === 400 ? (error.body as { rows?: unknown } | null)?.rows : undefined;
    if (error instanceof ApiError && Array.isArray(rows)) return { ok: false, rows: rows.filter(isProblem) };
    throw error;
  }
  const text = await response.text();
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? 'firenet-device-secrets.csv';
  // The header line is "id,secret"; every other non-empty line is one device.
  const devices = text.split(/\r?\n/).filter((line) => line.trim() !== '').length - 1;
  return { ok: true, csv: new Blob([text], { type: 'text/csv;charset=utf-8' }), fileName, devices: Math.max(0, devices) };
}

function isProblem(value: unknown): value is ImportProblem {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Record<string, unknown>;
  return typeof row.line === 'number' && typeof row.code === 'string' && typeof row.message === 'string'
    && typeof row.params === 'object' && row.params !== null && (row.field === null || typeof row.field === 'string');
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
