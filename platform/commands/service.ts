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

/**
 * Commands are tracked in the database, not in one process: `checkTimeouts` (one node of a cluster runs it, the
 * jobs' holder) re-sends those unanswered past their timeout and fails those out of attempts, wherever they were
 * sent from, and after a restart.
 */
export class CommandService {
  constructor(
    private readonly store: CommandStore,
    private readonly sender: () => CommandSender | null,
    private readonly onSettled: (c: CommandRecord) => void,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async send(req: CommandRequest): Promise<CommandRecord> {
    const record = await this.store.create({
      id: randomUUID(), deviceId: req.deviceId, ruleId: req.ruleId, subject: req.subject, type: req.type,
      payload: req.params, maxAttempts: req.retries + 1, timeoutSec: req.timeoutSec,
    }, this.now());
    await this.attempt(record);
    // as it stands after its first attempt (sent, or already answered)
    return (await this.store.get(record.id)) ?? record;
  }

  private async attempt(record: CommandRecord): Promise<void> {
    if (!(await this.store.markSent(record.id, record.attempts, this.now()))) return;
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
  async delivered(deviceId: string, commandId: string, answerBy: number): Promise<void> {
    await this.store.markDelivered(deviceId, commandId, answerBy);
    this.logger.info({ deviceId, commandId, answerBy: new Date(answerBy).toISOString() }, 'command delivered; awaiting its answer');
  }

  async checkTimeouts(): Promise<void> {
    const now = this.now();
    for (const c of await this.store.pending()) {
      const due = c.answerBy ? Date.parse(c.answerBy) : c.sentAt ? Date.parse(c.sentAt) + c.timeoutSec * 1000 : 0;
      if (now < due) continue;
      if (c.attempts < c.maxAttempts && !c.answerBy) {
        await this.attempt(c);
        continue;
      }
      const failed = await this.store.fail(c.id, c.answerBy ? 'delivered, but not answered in time' : `no acknowledgement after ${c.attempts} attempts`);
      if (failed) {
        this.logger.error({ deviceId: failed.deviceId, commandId: c.id, type: failed.type }, 'command failed: no acknowledgement');
        this.onSettled(failed);
      }
    }
  }
}
