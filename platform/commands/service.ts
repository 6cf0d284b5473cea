// Downlink commands (e.g. power_off a charger port): sent over MQTT, tracked until the device acks,
// re-sent after the timeout, and flagged when no answer comes after the last try.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { CommandAck } from '../../contracts/device-api.js';
import type { CommandRecord, CommandStore } from '../store/commands.js';

export interface CommandSender {
  sendCommand(deviceId: string, command: { id: string; type: string } & Record<string, unknown>): Promise<void>;
}

export interface CommandRequest {
  deviceId: string;
  type: string;
  params: Record<string, unknown>;
  ruleId: string | null;
  subject: string | null;
  timeoutSec: number;
  retries: number;
}

export class CommandService {
  /** Pending commands by id, with when the current attempt times out. */
  private readonly pending = new Map<string, { record: CommandRecord; dueAt: number; awaitingAnswer?: boolean }>();

  constructor(
    private readonly store: CommandStore,
    private readonly sender: () => CommandSender | null,
    private readonly onSettled: (c: CommandRecord) => void,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Picks up commands still pending from before a restart: they time out (and are re-sent) from now. */
  async start(): Promise<void> {
    for (const record of await this.store.pending()) this.pending.set(record.id, { record, dueAt: this.now() });
  }

  async send(req: CommandRequest): Promise<CommandRecord> {
    const record = await this.store.create({
      id: randomUUID(), deviceId: req.deviceId, ruleId: req.ruleId, subject: req.subject, type: req.type,
      payload: req.params, maxAttempts: req.retries + 1, timeoutSec: req.timeoutSec,
    }, this.now());
    this.pending.set(record.id, { record, dueAt: 0 });
    await this.attempt(record);
    return record;
  }

  private async attempt(record: CommandRecord): Promise<void> {
    const entry = this.pending.get(record.id);
    if (!entry) return;
    entry.dueAt = this.now() + record.timeoutSec * 1000;
    await this.store.markSent(record.id, this.now());
    try {
      const sender = this.sender();
      if (!sender) throw new Error('gateway not running');
      await sender.sendCommand(record.deviceId, { ...record.payload, id: record.id, type: record.type });
      this.logger.info({ deviceId: record.deviceId, commandId: record.id, type: record.type }, 'command sent');
    } catch (err) {
      this.logger.warn({ err, deviceId: record.deviceId, commandId: record.id }, 'command could not be sent; will retry');
    }
  }

  async ack(deviceId: string, ack: CommandAck, at: number): Promise<CommandRecord | null> {
    const settled = await this.store.ack(deviceId, ack.id, ack.ok, ack.message ?? null, at);
    this.pending.delete(ack.id);
    if (!settled) {
      this.logger.warn({ deviceId, commandId: ack.id }, 'ack for an unknown or settled command');
      return null;
    }
    this.logger.info({ deviceId, commandId: ack.id, ok: ack.ok }, 'command acknowledged');
    this.onSettled(settled);
    return settled;
  }

  /**
   * The device took the command and answers later (a 查岗 the duty room must answer): no more re-sending, and it
   * fails if no answer comes by `answerBy`.
   */
  delivered(deviceId: string, commandId: string, answerBy: number): void {
    const entry = this.pending.get(commandId);
    if (!entry || entry.record.deviceId !== deviceId) return;
    entry.dueAt = answerBy;
    entry.awaitingAnswer = true;
    this.logger.info({ deviceId, commandId, answerBy: new Date(answerBy).toISOString() }, 'command delivered; awaiting its answer');
  }

  async checkTimeouts(): Promise<void> {
    const now = this.now();
    for (const [id, entry] of this.pending) {
      if (entry.dueAt === 0 || now < entry.dueAt) continue;
      const current = await this.store.get(id);
      if (!current || current.state !== 'pending') { this.pending.delete(id); continue; }
      if (current.attempts < current.maxAttempts && !entry.awaitingAnswer) {
        entry.record = current;
        await this.attempt(current);
        continue;
      }
      this.pending.delete(id);
      const failed = await this.store.fail(id, entry.awaitingAnswer ? 'delivered, but not answered in time' : `no acknowledgement after ${current.attempts} attempts`);
      if (failed) {
        this.logger.error({ deviceId: failed.deviceId, commandId: id, type: failed.type }, 'command failed: no acknowledgement');
        this.onSettled(failed);
      }
    }
  }
}
