// Device secrets: 128 random bits each, so a memory-hard hash buys nothing against guessing and costs every sign-in
// (scrypt took ~28 ms a CONNECT: a reconnect storm of 10,000 devices waited minutes). They are kept as an
// HMAC-SHA-256 under a server key instead: one microsecond to check, and a stolen table alone verifies nothing.
// Hashes from before (scrypt) still verify, and are replaced by the new form at the device's next good sign-in.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { verifySecret } from '../auth/hash.js';

const PREFIX = 'hmac-sha256$';

export type SecretCheck = { ok: false } | { ok: true; /** The stored hash in the current form, when it was not. */ upgraded: string | null };

export class DeviceSecrets {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('the device secret key must hold at least 32 bytes');
  }

  /** A new device secret and the hash to store: the secret is shown once and never kept. */
  issue(): { secret: string; hash: string } {
    const secret = randomBytes(16).toString('base64url');
    return { secret, hash: this.hash(secret) };
  }

  hash(secret: string): string {
    return PREFIX + this.mac(secret).toString('base64url');
  }

  async check(secret: string, stored: string): Promise<SecretCheck> {
    if (stored.startsWith(PREFIX)) {
      const expected = Buffer.from(stored.slice(PREFIX.length), 'base64url');
      const actual = this.mac(secret);
      return expected.length === actual.length && timingSafeEqual(expected, actual) ? { ok: true, upgraded: null } : { ok: false };
    }
    return (await verifySecret(secret, stored)) ? { ok: true, upgraded: this.hash(secret) } : { ok: false };
  }

  private mac(secret: string): Buffer {
    return createHmac('sha256', this.key).update(secret, 'utf8').digest();
  }
}
