// Training, plans and drills and the fire team as the dashboard reads them (the contract's records).
import type { EquipmentCheck, FireTeam, PreparednessKind, PreparednessRecord, PreparednessStatus, PreparednessTopic } from '../../../../contracts/preparedness';
import { authFetch } from '../../api';

export type { EquipmentCheck, FireTeam, PreparednessKind, PreparednessRecord, PreparednessStatus, PreparednessTopic };

// Restated from the contract (a value import would bring zod, whose eval probe the CSP refuses), held to it by the compiler.
export const preparednessKinds = ['training', 'plan', 'drill'] as const satisfies readonly PreparednessKind[];
export const everyKind: [Exclude<PreparednessKind, (typeof preparednessKinds)[number]>] extends [never] ? true : never = true;

/** What a record of each kind may be about (the platform accepts any topic; these are the ones that make sense). */
export const TOPICS_OF: Record<PreparednessKind, PreparednessTopic[]> = {
  training: ['induction', 'periodic', 'transfer'],
  plan: ['comprehensive', 'special', 'on_site'],
  drill: ['on_site', 'evacuation', 'comprehensive', 'special'],
};

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** Uploads a photo or PDF as the raw body, named. */
export async function uploadAttachment(recordId: string, file: File): Promise<void> {
  await authFetch(`/api/preparedness/${encodeURIComponent(recordId)}/attachments?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { 'Content-Type': file.type || 'application/octet-stream', Accept: 'application/json' },
    body: file,
  });
}

/** An attachment as an object URL (an <img src> or a link cannot send the Authorization header); revoke it when done. */
export async function attachmentUrl(url: string, signal?: AbortSignal): Promise<string> {
  const response = await authFetch(url, { signal });
  return URL.createObjectURL(await response.blob());
}
