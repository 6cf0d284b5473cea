// Where validated device messages land: events are stored and run through the rules in group-committed batches
// before they are acknowledged; telemetry is batched apart; bad frames are kept on the device.
import type { Logger } from 'pino';
import { UnstorableMessage, type UplinkSink } from '../../contracts/ports.js';
import type { CommandService } from '../commands/service.js';
import type { Directory } from '../registry/sites.js';
import type { RuleInputs } from '../cluster/rule-inputs.js';
import { isDataError } from '../store/errors.js';
import type { Store } from '../store/store.js';
import { readingTime } from '../telemetry/timestamp.js';
import type { TelemetryWriter } from '../telemetry/writer.js';
import type { EventBatches } from './event-batches.js';
import type { LastSeen } from './last-seen.js';
import type { ThrottledCounts } from './throttled.js';

export interface UplinkDeps {
  store: Store;
  directory: Directory;
  telemetry: TelemetryWriter;
  lastSeen: LastSeen;
  throttled: ThrottledCounts;
  events: EventBatches;
  /** The rules' inputs: decided here, or where the site's rules run in a cluster. */
  inputs: RuleInputs;
  commands: CommandService;
  /** How far back a device's own timestamp is believed (the raw telemetry window). */
  rawWindowMs: number;
  logger: Logger;
}

export function createUplinkSink(deps: UplinkDeps): UplinkSink & { stats: { events: number; duplicates: number } } {
  const { store, directory, telemetry, lastSeen, inputs, logger } = deps;
  const stats = { events: 0, duplicates: 0 };

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
      const stored = await storing(() => inputs.event(device, event, receivedAt));
      if (stored) {
        stats.events++;
      } else {
        stats.duplicates++;
        logger.debug({ deviceId: session.id, eventId: event.id }, 'duplicate event (redelivery) ignored');
      }
    },
    async telemetry(session, frame, receivedAt, durable) {
      lastSeen.mark(session.id, receivedAt);
      const device = await deviceOf(session.id);
      const site = await directory.site(device.siteId);
      const stored = telemetry.add({
        deviceId: device.id, family: device.family, siteId: device.siteId, regionCode: site?.regionCode ?? '',
        port: frame.port ?? null, ts: readingTime(frame.ts, receivedAt, deps.rawWindowMs), metrics: frame.metrics as Record<string, number | boolean>,
      }, durable);
      inputs.telemetry(device, frame.metrics as Record<string, number | boolean>, frame.port ?? null, receivedAt);
      await storing(() => stored);
    },
    async commandAck(session, ack, receivedAt) {
      lastSeen.mark(session.id, receivedAt);
      await storing(() => deps.commands.ack(session.id, ack, receivedAt));
      await inputs.seen(await deviceOf(session.id), receivedAt);
    },
    async heartbeat(session, receivedAt) {
      lastSeen.mark(session.id, receivedAt);
      await inputs.seen(await deviceOf(session.id), receivedAt);
    },
    async commandDelivered(session, commandId, answerBy) {
      await deps.commands.delivered(session.id, commandId, answerBy);
    },
    async badMessage(deviceId, topic, reason, size, receivedAt) {
      await store.recordBadMessage(deviceId, topic, reason.slice(0, 500), size, receivedAt);
    },
    throttled(deviceId, receivedAt) {
      deps.throttled.add(deviceId, receivedAt);
    },
    eventsSettled: () => deps.events.settled(),
  };
}
