// Access tokens: HMAC-SHA256 signed, short-lived, carrying the user id, the session id and an expiry.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  sub: string;
  sid: string; // the session: revoking it refuses the token before it expires
  exp: number; // epoch seconds
}

export class TokenSigner {
  constructor(private readonly secret: string, private readonly ttlSec: number) {}

  sign(userId: string, sessionId: string, now = Date.now()): { token: string; expiresAt: string } {
    const claims: TokenClaims = { sub: userId, sid: sessionId, exp: Math.floor(now / 1000) + this.ttlSec };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { token: `${body}.${this.mac(body)}`, expiresAt: new Date(claims.exp * 1000).toISOString() };
  }

  /** The claims of a valid, unexpired token; null otherwise. */
  verify(token: string, now = Date.now()): TokenClaims | null {
    const [body, mac] = token.split('.');
    if (!body || !mac) return null;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as TokenClaims;
      if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || typeof claims.exp !== 'number') return null;
      return claims.exp * 1000 > now ? claims : null;
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
