// A storm rehearsed before the gateway opens, and undone. A fresh process meets its first storm cold: PGlite's
// WebAssembly is compiled as it is first used and V8 has not optimised the rules engine yet, so the first 500 alarms
// took ~45 ms to write where later storms take ~22, and the rules 5-13 ms where later ones take ~2. The first alarm
// storm after a restart is the one that matters as much as any: the same path is run once at start-up on made-up
// devices of a made-up institution, its events and alarms written in a transaction that is rolled back and its rules
// run on an engine state of their own, so nothing of it is kept, counted or pushed.
import type { Logger } from 'pino';
import type { AlarmService } from '../alarms/service.js';
import type { Decision } from '../effects/changes.js';
import type { DeviceEntry } from '../registry/sites.js';
import { factsOf, type RuleRunner } from '../rules/runner.js';
import type { EngineInput } from '../rules/types.js';
import type { Store } from '../store/store.js';
import { Site } from '../../contracts/records.js';

const ROUNDS = 4;
const DEVICES = 128;
const PER_ZONE = 8;

/** Thrown to roll the rehearsal's transaction back. */
class Undone extends Error {}

/** Rehearses a storm of DEVICES smoke alarms in zones of PER_ZONE, ROUNDS times; answers how many alarms a round wrote. */
export async function rehearseStorm(deps: { store: Store; rules: RuleRunner; alarms: AlarmService; logger: Logger }): Promise<{ alarms: number; ms: number }> {
  const { store, rules, alarms, logger } = deps;
  const started = performance.now();
  const site = Site.parse({ id: 'rehearsal', name: 'rehearsal', regionCode: '000000' });
  const devices: DeviceEntry[] = Array.from({ length: DEVICES }, (_, i) => ({
    id: `rehearsal-${i}`, family: 'smoke_detector', siteId: site.id, building: 'B', floor: '1', zone: `Z${Math.floor(i / PER_ZONE)}`, heartbeatSec: 300,
  }));
  const byId = new Map(devices.map((d) => [d.id, d]));
  let written = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const at = Date.now();
    const events = devices.map((device) => ({ deviceId: device.id, receivedAt: at, event: { id: `rehearsal-${round}`, ts: at, type: 'smoke.alarm', data: {} } }));
    const inputs: EngineInput[] = devices.flatMap((device, i): EngineInput[] => {
      const facts = factsOf(device);
      return [{ kind: 'register', device: facts, lastSeenAt: at, at }, { kind: 'event', device: facts, event: events[i]!.event, at }];
    });
    const decisions: Decision[] = rules.rehearse(inputs)
      .filter((action) => action.kind === 'alarm.raise' || action.kind === 'alarm.likely_fire')
      .map((action) => ({ action, device: action.cause.deviceId ? byId.get(action.cause.deviceId) ?? null : null, site }));
    try {
      await store.transaction(async (tx) => {
        await store.insertEvents(tx, events);
        written += (await alarms.write(tx, decisions)).alarms.length;
        throw new Undone();
      });
    } catch (err) {
      if (!(err instanceof Undone)) throw err;
    }
  }
  const done = { alarms: written / ROUNDS, ms: Math.round(performance.now() - started) };
  logger.info(done, 'alarm storm rehearsed and undone');
  return done;
}
