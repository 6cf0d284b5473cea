// Downlink commands and their acknowledgements: pending until the device acks, retried, then failed.
import type { CommandRecord } from '../../contracts/records.js';
import type { Queryable } from './executor.js';
import { iso, isoOrNull, textOrNull, when, type Row } from './rows.js';

export type { CommandRecord };

function toCommand(r: Row): CommandRecord {
  return {
    id: String(r.id), deviceId: String(r.device_id), ruleId: textOrNull(r.rule_id), subject: textOrNull(r.subject),
    type: String(r.type), payload: (r.payload as Record<string, unknown>) ?? {}, state: r.state as CommandRecord['state'],
    attempts: Number(r.attempts), maxAttempts: Number(r.max_attempts), timeoutSec: Number(r.timeout_sec),
    createdAt: iso(r.created_at), sentAt: isoOrNull(r.sent_at), ackedAt: isoOrNull(r.acked_at),
    ok: r.ok == null ? null : Boolean(r.ok), message: textOrNull(r.message), answerBy: isoOrNull(r.answer_by),
  };
}

export class CommandStore {
  constructor(private readonly db: Queryable) {}

  async create(c: Pick<CommandRecord, 'id' | 'deviceId' | 'ruleId' | 'subject' | 'type' | 'payload' | 'maxAttempts' | 'timeoutSec'>, at: number): Promise<CommandRecord> {
    const rows = await this.db.query(
      `insert into commands (id, device_id, rule_id, subject, type, payload, state, attempts, max_attempts, timeout_sec, created_at)
       values ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $8, $9) returning *`,
      [c.id, c.deviceId, c.ruleId, c.subject, c.type, JSON.stringify(c.payload), c.maxAttempts, c.timeoutSec, when(at)]);
    return toCommand(rows[0]!);
  }

  /**
   * Counts an attempt about to be sent: false when the command is no longer pending, or another attempt was counted
   * since `attempts` was read (whoever counts it sends it: a command is never sent twice for one attempt).
   */
  async markSent(id: string, attempts: number, at: number): Promise<boolean> {
    const rows = await this.db.query(
      `update commands set attempts = attempts + 1, sent_at = $3 where id = $1 and state = 'pending' and attempts = $2 returning id`, [id, attempts, when(at)]);
    return rows.length === 1;
  }

  /** The device took the command and answers later (a 查岗): no more attempts, and it fails unless answered by `answerBy`. */
  async markDelivered(deviceId: string, id: string, answerBy: number): Promise<void> {
    await this.db.query(`update commands set answer_by = $3 where id = $1 and device_id = $2 and state = 'pending'`, [id, deviceId, when(answerBy)]);
  }

  /** The device's answer; only the first ack of a pending command counts. */
  async ack(deviceId: string, id: string, ok: boolean, message: string | null, at: number): Promise<CommandRecord | null> {
    const rows = await this.db.query(
      `update commands set state = $3, ok = $4, message = $5, acked_at = $6 where id = $1 and device_id = $2 and state = 'pending' returning *`,
      [id, deviceId, ok ? 'acked' : 'rejected', ok, message, when(at)]);
    return rows[0] ? toCommand(rows[0]) : null;
  }

  async fail(id: string, message: string): Promise<CommandRecord | null> {
    const rows = await this.db.query(`update commands set state = 'failed', message = $2 where id = $1 and state = 'pending' returning *`, [id, message]);
    return rows[0] ? toCommand(rows[0]) : null;
  }

  async pending(): Promise<CommandRecord[]> {
    return (await this.db.query(`select * from commands where state = 'pending' order by created_at`)).map(toCommand);
  }

  async get(id: string): Promise<CommandRecord | null> {
    const rows = await this.db.query('select * from commands where id = $1', [id]);
    return rows[0] ? toCommand(rows[0]) : null;
  }

  async listForDevice(deviceId: string, limit = 50): Promise<CommandRecord[]> {
    return (await this.db.query('select * from commands where device_id = $1 order by created_at desc limit $2', [deviceId, limit])).map(toCommand);
  }
}
