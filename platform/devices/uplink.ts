// Where validated device messages land: events stored (and alarms raised) before the ack,
// telemetry batched, last-seen batched, bad frames kept on the device.
import type { Logger } from 'pino';
import type { DeviceSession, UplinkSink } from '../../gateway/ports.js';
import { alarmRaiseFor } from '../alarms/raise.js';
import type { Alarm } from '../schemas.js';
import type { Directory } from '../registry/sites.js';
import type { Store } from '../store/store.js';
import type { TelemetryWriter } from '../telemetry/writer.js';
import type { LastSeen } from './last-seen.js';

export interface UplinkDeps {
  store: Store;
  directory: Directory;
  telemetry: TelemetryWriter;
  lastSeen: LastSeen;
  onAlarm(alarm: Alarm): void;
  logger: Logger;
}

export function createUplinkSink(deps: UplinkDeps): UplinkSink & { stats: { events: number; duplicates: number; alarms: number } } {
  const { store, directory, telemetry, lastSeen, logger } = deps;
  const stats = { events: 0, duplicates: 0, alarms: 0 };

  async function event(session: DeviceSession, event: Parameters<UplinkSink['event']>[1], receivedAt: number): Promise<void> {
    lastSeen.mark(session.id, receivedAt);
    const [device, site] = await Promise.all([directory.device(session.id), directory.site(session.siteId)]);
    if (!device || !site) throw new Error(`device ${session.id} or its site is no longer registered`);
    const raise = alarmRaiseFor(device, site, event);
    const recorded = await store.recordEvent(session.id, event, receivedAt, raise);
    if (recorded.duplicate) {
      stats.duplicates++;
      logger.debug({ deviceId: session.id, eventId: event.id }, 'duplicate event (redelivery) ignored');
      return;
    }
    stats.events++;
    if (recorded.alarm) {
      stats.alarms++;
      logger.info({ deviceId: session.id, siteId: site.id, alarmId: recorded.alarm.id, type: event.type, count: recorded.alarm.count }, 'fire alarm');
      deps.onAlarm(recorded.alarm);
    }
  }

  return {
    stats,
    event,
    async telemetry(session, frame, receivedAt, durable) {
      lastSeen.mark(session.id, receivedAt);
      await telemetry.add({ deviceId: session.id, ts: frame.ts ?? receivedAt, port: frame.port ?? null, metrics: frame.metrics }, durable);
    },
    async commandAck(session, ack, receivedAt) {
      lastSeen.mark(session.id, receivedAt);
      logger.info({ deviceId: session.id, commandId: ack.id, ok: ack.ok }, 'command acknowledged by device');
    },
    async badMessage(deviceId, topic, reason, size, receivedAt) {
      await store.recordBadMessage(deviceId, topic, reason.slice(0, 500), size, receivedAt);
    },
  };
}
