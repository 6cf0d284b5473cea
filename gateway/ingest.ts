// Uplink ingest: decode, validate for the device's family, hand to the platform.
// A bad frame is counted, logged and kept on the device; it never stops the broker.
import type { Logger } from 'pino';
import { decodeJson } from './codecs/json.js';
import { parseCommandAck, parseEvent, parseTelemetry, storableText, type Parsed } from '../contracts/device-api.js';
import { UnstorableMessage, type DeviceSession, type UplinkSink } from '../contracts/ports.js';
import { bump, type GatewayStats } from './stats.js';
import type { Channel } from '../contracts/topics.js';

export interface UplinkFrame {
  topic: string;
  channel: Channel;
  payload: Buffer;
  qos: number;
  /** When it arrived, if it was processed later (now otherwise). */
  receivedAt?: number;
}

export type Ingest = (device: DeviceSession, frame: UplinkFrame) => Promise<void>;

export function createIngest(deps: { sink: UplinkSink; stats: GatewayStats; logger: Logger; maxPayloadBytes: number; now?: () => number }): Ingest {
  const { sink, stats, logger, maxPayloadBytes } = deps;
  const now = deps.now ?? Date.now;

  async function rejectFrame(device: DeviceSession, frame: UplinkFrame, problem: string): Promise<void> {
    const reason = storableText(problem);
    stats.badMessages++;
    logger.warn({ deviceId: device.id, siteId: device.siteId, topic: frame.topic, size: frame.payload.length, reason }, 'bad device message');
    await sink.badMessage(device.id, frame.topic, reason, frame.payload.length, now());
  }

  return async function ingest(device, frame) {
    const receivedAt = frame.receivedAt ?? now();
    bump(stats.messagesIn, `${device.family}/${frame.channel}`);
    const decoded = decodeJson(frame.payload, maxPayloadBytes);
    if (!decoded.ok) return rejectFrame(device, frame, decoded.reason);

    const handle = async <T>(parsed: Parsed<T>, accept: (value: T) => Promise<void>) => {
      if (!parsed.ok) return rejectFrame(device, frame, parsed.reason);
      try {
        await accept(parsed.value);
      } catch (err) {
        if (!(err instanceof UnstorableMessage)) throw err;
        await rejectFrame(device, frame, `could not be stored: ${err.message}`);
      }
    };

    switch (frame.channel) {
      case 'events':
        return handle(parseEvent(device.family, decoded.value), (event) => sink.event(device, event, receivedAt));
      case 'telemetry':
        return handle(parseTelemetry(decoded.value), (t) => sink.telemetry(device, t, receivedAt, frame.qos > 0));
      case 'commands/ack':
        return handle(parseCommandAck(decoded.value), (ack) => sink.commandAck(device, ack, receivedAt));
      default:
        return rejectFrame(device, frame, `channel ${frame.channel} is not an uplink`);
    }
  };
}
