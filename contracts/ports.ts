// What the gateway needs from the platform: who a device is, and where its messages go.
import type { CommandAck, DeviceEvent, DeviceFamily, TelemetryFrame } from './device-api.js';

export interface DeviceSession {
  id: string;
  family: DeviceFamily;
  siteId: string;
}

export type AuthResult = { ok: true; device: DeviceSession } | { ok: false; reason: 'unknown_device' | 'bad_secret' | 'disabled' | 'client_id_mismatch' };

export interface DeviceDirectory {
  authenticate(deviceId: string, secret: string): Promise<AuthResult>;
  /** A transmission device by its GB/T 26875.3 address (12 hex digits, most significant first): it has no secret. */
  byGbAddress(gbAddress: string): Promise<{ ok: true; device: DeviceSession } | { ok: false; reason: 'unknown_address' | 'disabled' }>;
}

export interface UplinkSink {
  /** Resolves once the event is durably stored; only then is it acknowledged. */
  event(device: DeviceSession, event: DeviceEvent, receivedAt: number): Promise<void>;
  /** Resolves once the frame is stored when `durable` (QoS 1); at once otherwise. */
  telemetry(device: DeviceSession, frame: TelemetryFrame, receivedAt: number, durable: boolean): Promise<void>;
  commandAck(device: DeviceSession, ack: CommandAck, receivedAt: number): Promise<void>;
  /** A message that carries nothing but keeps the device online (a GB/T 26875.3 heartbeat). */
  heartbeat(device: DeviceSession, receivedAt: number): Promise<void>;
  /** The device took the command and its answer comes later (a 查岗 reached the duty room): it fails if none by `answerBy`. */
  commandDelivered(device: DeviceSession, commandId: string, answerBy: number): Promise<void>;
  /** A frame that was not processed: counted and kept on the device. */
  badMessage(deviceId: string, topic: string, reason: string, size: number, receivedAt: number): Promise<void>;
  /** A message dropped because the device was over its rate: counted on the device (batched by the platform). */
  throttled(deviceId: string, receivedAt: number): void;
  /** Resolves once no event waits to be stored: readings sent at most once wait for it (events go first). */
  eventsSettled(): Promise<void>;
}

/**
 * Thrown by a sink for a message that passed validation but that the store still cannot keep (a data error, not an
 * outage): the gateway counts it as a bad message and acknowledges it, so the device moves on instead of
 * redelivering it for ever. Any other error is an outage: no acknowledgement, the device redelivers.
 */
export class UnstorableMessage extends Error {}
