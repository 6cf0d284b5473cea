// Memory-hard hashing (scrypt) for people's passwords (and device secrets stored before they moved to
// devices/secrets.ts, still verified until their device's next sign-in); only hashes are stored.
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface HashCost { N: number; r: number; p: number }

/** People choose weak passwords: full cost. */
export const PASSWORD_COST: HashCost = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LEN = 32;

function derive(secret: string, salt: Buffer, cost: HashCost): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEY_LEN, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$N$r$p$salt$key`, base64url. */
export async function hashSecret(secret: string, cost: HashCost = PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [algo, n, r, p, salt, key] = stored.split('$');
  if (algo !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(secret, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * For random bearer secrets of 256 bits (refresh tokens, API tokens): brute force is hopeless, so a plain
 * SHA-256 makes the stored copy useless without costing each request a memory-hard hash.
 */
export function hashRandomToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
