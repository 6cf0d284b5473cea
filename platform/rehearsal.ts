// A storm rehearsed before the gateway opens, and undone. A fresh process meets its first storm cold: V8 has not
// compiled, let alone optimised, the code an event walks through (the MQTT parser, aedes, the gateway, ingest, the
// uplink, the batches, the rules, the owners), and PGlite's WebAssembly is compiled as it is first used. Measured on a
// fresh process against a second storm in it, the first one's 500 alarms took 20-40 ms longer to reach the screen:
// the reading of the storm twice as long, the rules, the owners and the statements' preparation three times. Worse,
// a running FireNet hears readings sent at most once (QoS 0) all day long, so V8 optimises the parser's and aedes'
// publish path for them alone; the first storm's QoS 1 alarms, with a message id and a PUBACK to write, then threw
// that code away (16 functions deoptimised, "wrong map") and had it compiled again on V8's worker thread, which took
// the second core from the load while the storm was being read. The first alarm storm after a restart matters as much
// as any, so the same path is run at start-up on made-up detectors of a made-up institution, from their sockets on:
// they sign in over loopback TCP to a gateway of the rehearsal's own and publish their alarms at QoS 1.
//
// The rehearsal is wired here as app.ts wires the real path, from the same code (V8 keeps what it learns about a
// function with the function, shared by every instance): its frames go through a gateway (listening on 127.0.0.1, on
// a port of the system's choosing, for the rehearsal's devices only, and closed before the real one opens) into an
// uplink of their own, its events are batched, decided and applied by instances of their own, and what it keeps is
// nothing: its transactions are rolled back, its rules run on an empty engine of their own, its pushes have no
// socket to go to, its commands and notifications are dropped, its log is silent.
import { randomBytes } from 'node:crypto';
import { connect, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { startGateway } from '../gateway/broker.js';
import type { RateLimit } from '../gateway/throttle.js';
import type { DeviceDirectory } from '../contracts/ports.js';
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
/** The longest the rehearsal's devices wait for an answer (a CONNACK, a PUBACK) before the rehearsal fails. */
const ANSWER_MS = 30_000;

export interface RehearsalDeps {
  store: Store;
  regions: RegionRegistry;
  /** Handed to the rehearsal's owners as their type asks; nothing of the rehearsal reaches it. */
  commands: CommandService;
  telemetry: TelemetryWriter;
  throttled: ThrottledCounts;
  maxPayloadBytes: number;
  /** The real gateway's limits, so the rehearsal's takes the same branches. */
  gateway: { maxPacketBytes: number; rateLimit: RateLimit; connectTimeoutMs: number };
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

/**
 * Rehearses a storm of DEVICES smoke alarms in zones of PER_ZONE, ROUNDS times; answers how many alarms a round wrote,
 * how many PUBACKs the devices had back, and the port the rehearsal's gateway listened on (closed by then).
 */
export async function rehearseStorm(deps: RehearsalDeps): Promise<{ alarms: number; acked: number; port: number; ms: number }> {
  const { store, regions, commands } = deps;
  const started = performance.now();
  const quiet = deps.logger.child({ rehearsal: true }, { level: 'silent' });
  const site = Site.parse({ id: 'rehearsal', name: '演练', regionCode: '220281' });
  const devices: DeviceEntry[] = Array.from({ length: DEVICES }, (_, i) => ({
    id: `rehearsal-${i}`, family: 'smoke_detector', siteId: site.id, building: '演练楼', floor: '1', zone: `Z${Math.floor(i / PER_ZONE)}`, heartbeatSec: 300,
  }));
  const byId = new Map(devices.map((d) => [d.id, d]));
  const directory = new RehearsalDirectory(store, site, byId);

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
  const secret = randomBytes(16).toString('hex');
  const signIn: DeviceDirectory = {
    authenticate: async (id, given) => {
      const device = byId.get(id);
      return device && given === secret ? { ok: true, device: { id: device.id, family: device.family, siteId: device.siteId } } : { ok: false, reason: 'unknown_device' };
    },
    byGbAddress: async () => ({ ok: false, reason: 'unknown_address' }),
  };
  const gateway = await startGateway({
    host: '127.0.0.1', mqttPort: 0, wsPort: 0, maxPayloadBytes: deps.maxPayloadBytes, ...deps.gateway, pendingPerAddress: DEVICES,
    directory: signIn, sink, logger: quiet,
  });
  let acked = 0;
  const detectors: MqttClient[] = [];
  try {
    // mqtt.js, as the demo fleet signs in
    await answeredAll('CONNACK', devices.map((device) => {
      const client = connect({
        host: '127.0.0.1', port: gateway.mqttPort, protocolVersion: 4, clientId: device.id, username: device.id, password: secret,
        clean: true, keepalive: 0, reconnectPeriod: 0, connectTimeout: ANSWER_MS,
      });
      detectors.push(client);
      return signedIn(client);
    }));
    for (let round = 0; round < ROUNDS; round++) {
      const at = Date.now();
      const payload = JSON.stringify({ id: `rehearsal-${round}`, ts: at, type: 'smoke.alarm', data: { smoke_db_m: 0.42 } });
      await answeredAll('PUBACK', detectors.map(async (detector) => {
        await detector.publishAsync(deviceTopic(detector.options.clientId!, 'events'), payload, { qos: 1 });
        acked++;
      }));
    }
  } finally {
    for (const detector of detectors) detector.end(true);
    await gateway.close(0);
  }
  const done = { alarms: written / ROUNDS, acked, port: gateway.mqttPort, ms: Math.round(performance.now() - started) };
  deps.logger.info(done, 'alarm storm rehearsed and undone');
  return done;
}

/** Resolves on the device's CONNACK; rejects on a refused one or a closed connection. */
function signedIn(client: MqttClient): Promise<void> {
  const fail = (reason: string) => new Error(`rehearsal device ${client.options.clientId}: ${reason}`);
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve());
    client.on('error', (err) => reject(fail(err.message)));
    client.once('close', () => reject(fail('connection closed')));
  });
}

/** Waits for every answer; fails when one fails, or when they have not all come within ANSWER_MS. */
async function answeredAll(what: string, answers: Promise<unknown>[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`rehearsal: not every ${what} came within ${ANSWER_MS} ms`)), ANSWER_MS);
  });
  try {
    await Promise.race([Promise.all(answers), late]);
  } finally {
    clearTimeout(timer);
  }
}
