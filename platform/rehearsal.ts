// A storm rehearsed before the gateway opens, and undone. A fresh process meets its first storm cold: V8 has not
// compiled, let alone optimised, the code an event walks through (ingest, the uplink, the batches, the rules, the
// owners), and PGlite's WebAssembly is compiled as it is first used. Measured on a fresh process against a second
// storm in it, the first one's 500 alarms took 20-40 ms longer to reach the screen: the reading of the storm twice as
// long, the rules, the owners and the statements' preparation three times. The first alarm storm after a restart
// matters as much as any, so the same path is run at start-up on made-up detectors of a made-up institution.
//
// The rehearsal is wired here as app.ts wires the real path, from the same code (V8 keeps what it learns about a
// function with the function, shared by every instance): its frames go through an `ingest` of their own into an
// uplink of their own, its events are batched, decided and applied by instances of their own, and what it keeps is
// nothing: its transactions are rolled back, its rules run on an empty engine of their own, its pushes have no
// socket to go to, its commands and notifications are dropped, its log is silent.
import type { Logger } from 'pino';
import { createIngest } from '../gateway/ingest.js';
import { newGatewayStats } from '../gateway/stats.js';
import type { DeviceSession } from '../contracts/ports.js';
import { Site } from '../contracts/records.js';
import { deviceTopic } from '../contracts/topics.js';
import { AlarmService } from './alarms/service.js';
import type { CommandService } from './commands/service.js';
import { RuleInputs } from './cluster/rule-inputs.js';
import { EventBatches } from './devices/event-batches.js';
import { LastSeen } from './devices/last-seen.js';
import type { ThrottledCounts } from './devices/throttled.js';
import { createUplinkSink } from './devices/uplink.js';
import { Effects } from './effects/apply.js';
import { Notifier } from './notify/notifier.js';
import { createPublisher } from './realtime/publisher.js';
import type { RegionRegistry } from './registry/regions.js';
import { Directory, type DeviceEntry } from './registry/sites.js';
import { RuleRunner } from './rules/runner.js';
import type { Queryable } from './store/executor.js';
import type { Store } from './store/store.js';
import type { TelemetryWriter } from './telemetry/writer.js';
import { TicketService } from './tickets/service.js';
import { WorkOrderService } from './workorders/service.js';

const ROUNDS = 4;
const DEVICES = 256;
const PER_ZONE = 8;

export interface RehearsalDeps {
  store: Store;
  regions: RegionRegistry;
  /** Handed to the rehearsal's owners as their type asks; nothing of the rehearsal reaches it. */
  commands: CommandService;
  telemetry: TelemetryWriter;
  throttled: ThrottledCounts;
  maxPayloadBytes: number;
  rawWindowMs: number;
  logger: Logger;
}

/** Thrown to roll a rehearsal's transaction back. */
class Undone extends Error {}

/** The made-up institution and its detectors, as the directory answers them; any other id is looked up as usual. */
class RehearsalDirectory extends Directory {
  constructor(store: Store, private readonly place: Site, private readonly detectors: ReadonlyMap<string, DeviceEntry>) {
    super(store);
  }

  override site(id: string, q?: Queryable): Promise<Site | null> {
    return id === this.place.id ? Promise.resolve(this.place) : super.site(id, q);
  }

  override cachedSite(id: string): Site | null {
    return id === this.place.id ? this.place : super.cachedSite(id);
  }

  override device(id: string, q?: Queryable): Promise<DeviceEntry | null> {
    const detector = this.detectors.get(id);
    return detector ? Promise.resolve(detector) : super.device(id, q);
  }
}

/** Rehearses a storm of DEVICES smoke alarms in zones of PER_ZONE, ROUNDS times; answers how many alarms a round wrote. */
export async function rehearseStorm(deps: RehearsalDeps): Promise<{ alarms: number; ms: number }> {
  const { store, regions, commands } = deps;
  const started = performance.now();
  const quiet = deps.logger.child({ rehearsal: true }, { level: 'silent' });
  const site = Site.parse({ id: 'rehearsal', name: '演练', regionCode: '220281' });
  const devices: DeviceEntry[] = Array.from({ length: DEVICES }, (_, i) => ({
    id: `rehearsal-${i}`, family: 'smoke_detector', siteId: site.id, building: '演练楼', floor: '1', zone: `Z${Math.floor(i / PER_ZONE)}`, heartbeatSec: 300,
  }));
  const directory = new RehearsalDirectory(store, site, new Map(devices.map((d) => [d.id, d])));

  const publisher = createPublisher(regions, () => null);
  const notifier = new Notifier(publisher, quiet);
  const rules = new RuleRunner({ store, directory, logger: quiet, fresh: true });
  await rules.reloadRules(false);
  await rules.hold([0]);
  for (const device of devices) await rules.register(device);
  let written = 0;
  const alarms = new AlarmService({ store, directory, publisher, notifier, logger: quiet, onFalseAlarm: async () => undefined });
  const effects = new Effects({
    store, directory, alarms, commands, notifier, logger: quiet,
    workorders: new WorkOrderService({ store, publisher, logger: quiet }),
    tickets: new TicketService({ store, directory, publisher, notifier, regions, logger: quiet }),
  });
  const events = new EventBatches({
    store: {
      insertEvents: (tx, stored) => store.insertEvents(tx, stored),
      // the batch is written and read back as ever, then rolled back
      async transaction(fn) {
        let result: Awaited<ReturnType<typeof fn>> | undefined;
        try {
          await store.transaction(async (tx) => {
            result = await fn(tx);
            throw new Undone();
          });
        } catch (err) {
          if (!(err instanceof Undone)) throw err;
        }
        return result!;
      },
    },
    decide: (device, event, at, tx) => rules.onEvent(device, event, at, tx),
    effects: {
      apply: (tx, actions, changes, known) => effects.apply(tx, actions, changes, known),
      // pushed to no socket; commands and notifications dropped
      publish: (changes) => {
        written += changes.alarms.size;
        changes.after.length = 0;
        return effects.publish(changes);
      },
    },
    logger: quiet,
  });
  const inputs = new RuleInputs({ rules, events, effects, directory, logger: quiet });
  const sink = createUplinkSink({
    store, directory, telemetry: deps.telemetry, lastSeen: new LastSeen(store, quiet), throttled: deps.throttled, events, inputs, commands,
    rawWindowMs: deps.rawWindowMs, logger: quiet,
  });
  const ingest = createIngest({ sink, stats: newGatewayStats(), logger: quiet, maxPayloadBytes: deps.maxPayloadBytes });

  for (let round = 0; round < ROUNDS; round++) {
    const at = Date.now();
    await Promise.all(devices.map((device) => {
      const session: DeviceSession = { id: device.id, family: device.family, siteId: device.siteId };
      const payload = Buffer.from(JSON.stringify({ id: `rehearsal-${round}`, ts: at, type: 'smoke.alarm', data: { smoke_db_m: 0.42 } }));
      return ingest(session, { topic: deviceTopic(device.id, 'events'), channel: 'events', payload, qos: 1, receivedAt: at });
    }));
  }
  const done = { alarms: written / ROUNDS, ms: Math.round(performance.now() - started) };
  deps.logger.info(done, 'alarm storm rehearsed and undone');
  return done;
}
