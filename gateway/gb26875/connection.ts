// One transmission device's TCP connection: frames are read in order and handled one at a time, like a QoS 1
// session: a send-data frame is confirmed only once what it carries is stored; a bad frame is counted, logged and
// kept on the device, and the next one read; the first frame's source address must be a provisioned device.
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { answerTo, commands, encodeFrame, epochToTime, type Frame } from '../../contracts/gb26875/frame.js';
import { FrameReader, type ReadResult } from '../../contracts/gb26875/reader.js';
import { decodeUnit } from '../../contracts/gb26875/units.js';
import { parseEvent, storableText } from '../../contracts/device-api.js';
import { UnstorableMessage, type DeviceDirectory, type DeviceSession, type UplinkSink } from '../../contracts/ports.js';
import { bump } from '../stats.js';
import { dutyAnswer, requestFrame, settle, type SentCommand } from './downlink.js';
import { mapUnit } from './mapping.js';
import type { GbStats } from './stats.js';
import { peerAddress } from '../peer.js';

/** The topic a bad frame is kept under on the device (MQTT devices keep theirs). */
export const GB_TOPIC = 'gb26875';
/** Sources one device remembers the status of (systems and components); the oldest are forgotten past it. */
const MAX_STATUSES = 20_000;

export interface ConnectionDeps {
  directory: DeviceDirectory;
  sink: UplinkSink;
  stats: GbStats;
  logger: Logger;
  /** Statuses each device last reported, by source, kept across its reconnections. */
  statuses(deviceId: string): Map<string, number>;
  /** The device is signed in on this connection (the server closes an older one). */
  bound(connection: GbConnection): void;
  closed(connection: GbConnection): void;
  now?: () => number;
}

export class GbConnection {
  session: DeviceSession | null = null;
  private gbAddress = '';
  /** The centre's address as the device writes it (its frames' destination), used as our source. */
  private centre = '000000000000';
  private version = 0x0101;
  private readonly reader = new FrameReader();
  private queue: ReadResult[] = [];
  private working = false;
  private closing = false;
  private nextSerial = 1;
  private readonly sent = new Map<number, SentCommand>();
  private readonly now: () => number;

  constructor(readonly socket: Socket, private readonly deps: ConnectionDeps) {
    this.now = deps.now ?? Date.now;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => { this.closing = true; deps.closed(this); });
    socket.on('error', (err) => deps.logger.debug({ deviceId: this.session?.id, err: err.message }, 'transmission device connection error'));
  }

  get deviceId(): string | undefined {
    return this.session?.id;
  }

  private onData(chunk: Buffer): void {
    try {
      const skippedBefore = this.reader.skipped;
      this.queue.push(...this.reader.push(chunk));
      this.deps.stats.skippedBytes += this.reader.skipped - skippedBefore;
      if (!this.working) void this.drain();
    } catch (err) {
      // the codec is pure and bounded; should it still throw, this connection ends, never the gateway
      this.deps.logger.error({ err, deviceId: this.session?.id }, 'GB/T 26875.3 reader failed; connection closed');
      this.socket.destroy();
    }
  }

  /** Handles frames one at a time, in order: the device's next frame waits for this one's confirm. */
  private async drain(): Promise<void> {
    this.working = true;
    try {
      while (!this.closing) {
        const next = this.queue.shift();
        if (!next) break;
        // the socket is not read while a frame is being stored: TCP pushes back on a device that will not wait
        if (this.queue.length > 16) this.socket.pause();
        await (next.kind === 'frame' ? this.onFrame(next.frame, next.size) : this.onBad(next.problem, next.size));
      }
    } catch (err) {
      this.deps.logger.error({ err, deviceId: this.session?.id }, 'transmission device frame handling failed; connection closed');
      this.socket.destroy();
    } finally {
      this.working = false;
      if (!this.closing) this.socket.resume();
    }
  }

  private async onBad(problem: string, size: number, detail?: string): Promise<void> {
    bump(this.deps.stats.badFrames, problem);
    const reason = storableText(detail ? `${problem}: ${detail}` : problem);
    this.deps.logger.warn({ deviceId: this.session?.id, siteId: this.session?.siteId, remote: peerAddress(this.socket), size, reason }, 'bad GB/T 26875.3 frame');
    if (this.session) await this.deps.sink.badMessage(this.session.id, GB_TOPIC, reason, size, this.now());
  }

  private refuse(reason: string, gbAddress: string): void {
    bump(this.deps.stats.connectsRefused, reason);
    this.deps.logger.warn({ gbAddress, deviceId: this.session?.id, remote: peerAddress(this.socket), reason }, 'transmission device refused; connection closed');
    this.closing = true;
    this.socket.destroy();
  }

  private async signIn(frame: Frame): Promise<boolean> {
    if (this.session) {
      if (frame.source === this.gbAddress) return true;
      this.refuse('address_mismatch', frame.source);
      return false;
    }
    let found;
    try {
      found = await this.deps.directory.byGbAddress(frame.source);
    } catch (err) {
      this.deps.logger.warn({ err: err instanceof Error ? err.message : String(err), gbAddress: frame.source }, 'transmission device sign-in failed: directory unavailable');
      this.refuse('directory_unavailable', frame.source);
      return false;
    }
    if (!found.ok || found.device.family !== 'transmission_device') {
      this.refuse(found.ok ? 'not_a_transmission_device' : found.reason, frame.source);
      return false;
    }
    this.session = found.device;
    this.gbAddress = frame.source;
    this.deps.stats.connectsAccepted++;
    this.deps.logger.info({ deviceId: found.device.id, siteId: found.device.siteId, gbAddress: frame.source }, 'transmission device connected');
    this.deps.bound(this);
    return true;
  }

  private async onFrame(frame: Frame, size: number): Promise<void> {
    this.deps.stats.framesIn++;
    if (!(await this.signIn(frame))) return;
    const session = this.session!;
    this.centre = frame.destination;
    this.version = frame.version;
    const receivedAt = this.now();
    switch (frame.command) {
      case commands.send: return this.onSend(session, frame, size, receivedAt);
      case commands.confirm: case commands.response: case commands.deny: {
        await this.deps.sink.heartbeat(session, receivedAt);
        return this.onAnswer(session, frame, receivedAt);
      }
      default:
        // the device asking the centre something (a control or request): not served
        await this.deps.sink.heartbeat(session, receivedAt);
        return this.reply(frame, commands.deny);
    }
  }

  private async onSend(session: DeviceSession, frame: Frame, size: number, receivedAt: number): Promise<void> {
    if (frame.data.length === 0) {
      this.deps.stats.heartbeats++;
      await this.deps.sink.heartbeat(session, receivedAt);
      return this.reply(frame, commands.confirm);
    }
    const unit = decodeUnit(frame.data);
    if (!unit.ok) {
      await this.onBad('bad_unit', size, unit.reason);
      return this.reply(frame, commands.deny);
    }
    const memory = this.deps.statuses(session.id);
    const mapped = mapUnit(frame, unit.unit, memory, receivedAt);
    const answer = dutyAnswer(unit.unit.objects);
    try {
      const stored: Promise<void>[] = [];
      for (const candidate of mapped.events) {
        const event = parseEvent(session.family, candidate);
        if (!event.ok) { await this.onBad('bad_unit', size, `${candidate.type}: ${event.reason}`); continue; }
        stored.push(this.deps.sink.event(session, event.value, receivedAt));
      }
      for (const reading of mapped.readings) stored.push(this.deps.sink.telemetry(session, reading, receivedAt, true));
      if (mapped.events.length === 0 && mapped.readings.length === 0) stored.push(this.deps.sink.heartbeat(session, receivedAt));
      if (answer) stored.push(this.answerDutyCheck(session, frame, answer, receivedAt));
      await Promise.all(stored);
    } catch (err) {
      if (!(err instanceof UnstorableMessage)) {
        // an outage: no confirm, so the device sends the frame again (and its deterministic event ids store it once)
        this.deps.stats.storeFailures++;
        this.deps.logger.error({ err, deviceId: session.id, serial: frame.serial }, 'could not store a transmission device frame; not confirmed, the device resends it');
        return;
      }
      await this.onBad('unstorable', size, err.message);
    }
    this.deps.stats.events += mapped.events.length;
    this.deps.stats.readings += mapped.readings.length;
    for (const [key, status] of mapped.statuses) {
      memory.delete(key); // re-inserted last: the map's order is least recently reported first
      memory.set(key, status);
      if (memory.size > MAX_STATUSES) memory.delete(memory.keys().next().value!);
    }
    if (mapped.ignored.length) this.deps.logger.debug({ deviceId: session.id, ignored: mapped.ignored }, 'transmission device objects not kept');
    return this.reply(frame, commands.confirm);
  }

  /** A 查岗 answer settles the duty check it answers: by serial, else the oldest one waiting on this device. */
  private async answerDutyCheck(session: DeviceSession, frame: Frame, message: string, receivedAt: number): Promise<void> {
    const bySerial = this.sent.get(frame.serial);
    const sent = bySerial?.type === 'duty_check' ? bySerial : [...this.sent.values()].find((s) => s.type === 'duty_check');
    if (!sent) {
      this.deps.logger.info({ deviceId: session.id }, 'a 查岗 answer with no duty check waiting');
      return;
    }
    this.sent.delete(sent.serial);
    this.deps.stats.answers++;
    await this.deps.sink.commandAck(session, { id: sent.commandId, ok: true, message }, receivedAt);
  }

  private async onAnswer(session: DeviceSession, frame: Frame, receivedAt: number): Promise<void> {
    const sent = this.sent.get(frame.serial);
    if (!sent) {
      this.deps.logger.debug({ deviceId: session.id, serial: frame.serial, command: frame.command }, 'an answer to nothing FireNet sent');
      return;
    }
    const outcome = settle(sent, frame, receivedAt);
    if (outcome.kind === 'answered') {
      this.sent.delete(sent.serial);
      this.deps.stats.answers++;
      await this.deps.sink.commandAck(session, { id: sent.commandId, ok: outcome.ok, message: outcome.message.slice(0, 256) }, receivedAt);
    } else if (outcome.kind === 'delivered') {
      await this.deps.sink.commandDelivered(session, sent.commandId, outcome.answerByMs);
    }
  }

  private reply(frame: Frame, command: typeof commands.confirm | typeof commands.deny): void {
    if (this.closing) return;
    this.socket.write(encodeFrame(answerTo(frame, command, epochToTime(this.now()))));
    if (command === commands.confirm) this.deps.stats.confirms++;
    else this.deps.stats.denies++;
  }

  /** Sends (or sends again, with the same serial) a command to the device. */
  send(commandId: string, type: SentCommand['type'], timeoutMin: number): void {
    let sent = [...this.sent.values()].find((s) => s.commandId === commandId);
    if (!sent) {
      sent = { commandId, type, serial: this.nextSerial, timeoutMin };
      this.nextSerial = this.nextSerial >= 0xffff ? 1 : this.nextSerial + 1;
      this.sent.set(sent.serial, sent);
      // a device that never answers must not grow this for ever
      if (this.sent.size > 256) this.sent.delete(this.sent.keys().next().value!);
    }
    this.socket.write(encodeFrame(requestFrame(sent, this.centre, this.gbAddress, this.version, this.now())));
    this.deps.stats.commandsSent++;
  }

  close(): void {
    this.closing = true;
    this.socket.destroy();
  }
}
