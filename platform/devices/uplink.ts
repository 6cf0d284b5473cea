// Where validated device messages land: an event is stored and run through the rules in one
// transaction before it is acknowledged; telemetry is batched; bad frames are kept on the device.
import type { Logger } from 'pino';
import { UnstorableMessage, type UplinkSink } from '../../gateway/ports.js';
import type { CommandService } from '../commands/service.js';
import type { Directory } from '../registry/sites.js';
import type { RuleRunner } from '../rules/runner.js';
import { isDataError } from '../store/errors.js';
import type { Store } from '../store/store.js';
import { readingTime } from '../telemetry/timestamp.js';
import type { TelemetryWriter } from '../telemetry/writer.js';
import type { LastSeen } from './last-seen.js';
import type { ThrottledCounts } from './throttled.js';

export interface UplinkDeps {
  store: Store;
  directory: Directory;
  telemetry: TelemetryWriter;
  lastSeen: LastSeen;
  throttled: ThrottledCounts;
  rules: RuleRunner;
  commands: CommandService;
  /** How far back a device's own timestamp is believed (the raw telemetry window). */
  rawWindowMs: number;
  logger: Logger;
}

export function createUplinkSink(deps: UplinkDeps): UplinkSink & { stats: { events: number; duplicates: number; alarms: number } } {
  const { store, directory, telemetry, lastSeen, rules, logger } = deps;
  const stats = { events: 0, duplicates: 0, alarms: 0 };

  const deviceOf = async (id: string) => {
    const device = await directory.device(id);
    if (!device) throw new Error(`device ${id} is no longer registered`);
    return device;
  };

  /** Runs `fn`; an error the same message would always cause becomes UnstorableMessage (counted and acknowledged). */
  const storing = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (!isDataError(err)) throw err;
      logger.warn({ err }, 'a device message passed validation but could not be stored');
      throw new UnstorableMessage(err instanceof Error ? err.message : String(err));
    }
  };

  return {
    stats,
    async event(session, event, receivedAt) {
      lastSeen.mark(session.id, receivedAt);
      const device = await deviceOf(session.id);
      const changes = await storing(() => store.transaction(async (tx) =>
        (await store.insertEvent(tx, session.id, event, receivedAt)) ? rules.onEvent(tx, device, event, receivedAt) : null));
      if (!changes) {
        stats.duplicates++;
        logger.debug({ deviceId: session.id, eventId: event.id }, 'duplicate event (redelivery) ignored');
        return;
      }
      stats.events++;
      for (const alarm of changes.alarms) {
        stats.alarms++;
        logger.info({ deviceId: session.id, siteId: alarm.siteId, alarmId: alarm.id, ruleId: alarm.ruleId, count: alarm.count }, 'fire alarm');
      }
      void rules.publish(changes);
    },
    async telemetry(session, frame, receivedAt, durable) {
      lastSeen.mark(session.id, receivedAt);
      const device = await deviceOf(session.id);
      const site = await directory.site(device.siteId);
      const stored = telemetry.add({
        deviceId: device.id, family: device.family, siteId: device.siteId, regionCode: site?.regionCode ?? '',
        port: frame.port ?? null, ts: readingTime(frame.ts, receivedAt, deps.rawWindowMs), metrics: frame.metrics as Record<string, number | boolean>,
      }, durable);
      rules.onTelemetry(device, frame.metrics, frame.port ?? null, receivedAt)
        .catch((err: unknown) => logger.error({ err, deviceId: session.id }, 'rules failed on a reading'));
      await storing(() => stored);
    },
    async commandAck(session, ack, receivedAt) {
      lastSeen.mark(session.id, receivedAt);
      await storing(() => deps.commands.ack(session.id, ack, receivedAt));
      await rules.onSeen(await deviceOf(session.id), receivedAt);
    },
    async badMessage(deviceId, topic, reason, size, receivedAt) {
      await store.recordBadMessage(deviceId, topic, reason.slice(0, 500), size, receivedAt);
    },
    throttled(deviceId, receivedAt) {
      deps.throttled.add(deviceId, receivedAt);
    },
  };
}
