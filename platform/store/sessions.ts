// Sign-in sessions and their single-use refresh tokens (stored as hashes only).
import type { SqlExecutor } from './executor.js';
import { when } from './rows.js';

export type RefreshOutcome =
  | { kind: 'ok'; sessionId: string; userId: string }
  | { kind: 'reused'; sessionId: string; userId: string } // a rotated token came back: someone holds a copy
  | { kind: 'invalid' };



export class SessionStore {
  constructor(private readonly db: SqlExecutor) {}

  async open(session: { id: string; userId: string; at: number }, refresh: { hash: string; expiresAt: number }): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('insert into sessions (id, user_id, created_at) values ($1, $2, $3)', [session.id, session.userId, when(session.at)]);
      await tx.query('insert into refresh_tokens (token_hash, session_id, expires_at) values ($1, $2, $3)', [refresh.hash, session.id, when(refresh.expiresAt)]);
    });
  }

  async revoke(sessionId: string, at: number): Promise<void> {
    await this.db.query('update sessions set revoked_at = $2 where id = $1 and revoked_at is null', [sessionId, when(at)]);
  }

  /** Ends every session of a user (a password or role change). */
  async revokeAll(userId: string, at: number): Promise<void> {
    await this.db.query('update sessions set revoked_at = $2 where user_id = $1 and revoked_at is null', [userId, when(at)]);
  }

  /**
   * Spends refresh token `hash` and stores `next` in its place; a token spent before revokes its whole session,
   * unless it was spent less than `graceMs` ago (then it is only refused: two tabs of one browser share the
   * stored pair and may refresh at once; the slower one picks up the pair the faster one stored).
   */
  async rotate(hash: string, next: { hash: string; expiresAt: number }, at: number, graceMs = 0): Promise<RefreshOutcome> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ session_id: string; user_id: string; expires_at: Date; used_at: Date | null; revoked_at: Date | null }>(
        `select r.session_id, s.user_id, r.expires_at, r.used_at, s.revoked_at
           from refresh_tokens r join sessions s on s.id = r.session_id
          where r.token_hash = $1 for update of r`, [hash]);
      const row = rows[0];
      if (!row || row.revoked_at) return { kind: 'invalid' };
      const ids = { sessionId: String(row.session_id), userId: String(row.user_id) };
      if (row.used_at) {
        if (at - new Date(row.used_at).getTime() < graceMs) return { kind: 'invalid' };
        await tx.query('update sessions set revoked_at = $2 where id = $1 and revoked_at is null', [ids.sessionId, when(at)]);
        return { kind: 'reused', ...ids };
      }
      if (new Date(row.expires_at).getTime() <= at) return { kind: 'invalid' };
      await tx.query('update refresh_tokens set used_at = $2 where token_hash = $1', [hash, when(at)]);
      await tx.query('insert into refresh_tokens (token_hash, session_id, expires_at) values ($1, $2, $3)', [next.hash, ids.sessionId, when(next.expiresAt)]);
      return { kind: 'ok', ...ids };
    });
  }
}
