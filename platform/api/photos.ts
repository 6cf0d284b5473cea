// Uploaded photos (and attachments) are trusted by their bytes, never by the declared type, and sent back inline as
// their own type only, never as a page.
import type { FastifyReply } from 'fastify';
import { HttpError } from '../errors.js';

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

export function sniffImage(bytes: Buffer): 'image/jpeg' | 'image/png' | 'image/webp' | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/** A PDF (an emergency plan, a drill's evaluation report), by its bytes. */
export function isPdf(bytes: Buffer): boolean {
  return bytes.length >= 5 && bytes.toString('latin1', 0, 5) === '%PDF-';
}

/** An uploaded photo's bytes and type (by the bytes); a 415 naming the body when it is not a JPEG, PNG or WebP image. */
export function uploadedPhoto(body: unknown): { bytes: Buffer; type: 'image/jpeg' | 'image/png' | 'image/webp' } {
  if (!Buffer.isBuffer(body)) throw new HttpError(415, 'body: send the photo as image/jpeg, image/png or image/webp');
  const type = sniffImage(body);
  if (!type) throw new HttpError(415, 'body: not a JPEG, PNG or WebP image');
  return { bytes: body, type };
}

/** Sends a stored photo or attachment inline, as its own type only: no sniffing, no script, cached privately. */
export function sendStored(reply: FastifyReply, file: { contentType: string; bytes: Buffer; name?: string }): FastifyReply {
  return reply
    .header('content-type', file.contentType)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'")
    .header('content-disposition', file.name ? `inline; filename*=UTF-8''${encodeURIComponent(file.name)}` : 'inline')
    .header('cache-control', 'private, max-age=3600')
    .send(file.bytes);
}
