// Named scenarios: scripted incidents played on a running fleet (or on given devices),
// for demos and for checking FireNet's alarm, power-cut and hazard paths end to end.
import { setTimeout as sleep } from 'node:timers/promises';
import { pino, type Logger } from 'pino';
import type { SimulatedDevice } from './device.js';
import { ChargingStation, FirePanel, HazmatCabinet, SmokeDetector } from './families/index.js';

export const scenarioNames = ['ward-fire', 'charger-overheat', 'cabinet-left-open'] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export interface ScenarioOptions {
  logger?: Logger;
  /** Aborting ends the scenario early (e.g. the fleet is stopping); devices are left as they are. */
  signal?: AbortSignal;
  siteId?: string;
  zone?: string;
  deviceId?: string;
}

export interface WardFireOptions extends ScenarioOptions {
  /** Detectors that go into alarm. Default 4. */
  detectors?: number;
  /** All alarms are raised within this many seconds. Default 8. */
  spreadSec?: number;
  /** The fire is put out and the detectors clear after this long. Default 180. */
  holdSec?: number;
}

export interface ChargerOverheatOptions extends ScenarioOptions {
  port?: number;
  /** Time for the port to climb past 65 °C. Default 40. */
  secondsToOvertemp?: number;
  /** If no power_off arrives this long after charger.overtemp, the station's own thermal fuse trips. Default 120. */
  waitForPowerOffSec?: number;
}

export interface CabinetLeftOpenOptions extends ScenarioOptions {
  /** VOC climb while the door stays open. Default 3 ppm/min. */
  vocRisePpmPerMin?: number;
  /** Seconds of faster telemetry so the rise is visible at once. Default 120. */
  watchSec?: number;
}

export interface ScenarioReport {
  scenario: ScenarioName;
  siteId: string;
  devices: string[];
  /** True when the signal ended the scenario before its script finished. */
  aborted: boolean;
  detail: Record<string, unknown>;
}

/** A running fleet (simulators/fleet.ts) or some of its devices. */
type Target = { readonly devices: readonly SimulatedDevice[]; stats(): unknown } | readonly SimulatedDevice[];

const quiet = pino({ enabled: false });
const devicesOf = (target: Target): readonly SimulatedDevice[] => ('stats' in target ? target.devices : target);
const round1 = (n: number): number => Math.round(n * 10) / 10;
const isAbort = (err: unknown): boolean => (err as Error | null)?.name === 'AbortError';

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** Connected devices of one class that no scenario is driving, narrowed by the options. */
function candidates<T extends SimulatedDevice>(target: Target, kind: abstract new (...args: never[]) => T, o: ScenarioOptions): T[] {
  return devicesOf(target).filter((d): d is T =>
    d instanceof kind && d.connected && !d.scenarioActive
    && (!o.deviceId || d.id === o.deviceId) && (!o.siteId || d.siteId === o.siteId) && (!o.zone || d.zone === o.zone));
}

function describeFilter(o: ScenarioOptions): string {
  const parts = [o.deviceId && `device ${o.deviceId}`, o.siteId && `site ${o.siteId}`, o.zone && `zone ${o.zone}`].filter(Boolean);
  return parts.length ? ` matching ${parts.join(', ')}` : '';
}

/** Several smoke detectors in one zone of one site go into alarm within seconds; the site's panel follows. */
export async function wardFire(target: Target, options: WardFireOptions = {}): Promise<ScenarioReport> {
  const log = (options.logger ?? quiet).child({ scenario: 'ward-fire' });
  const { signal } = options;
  const count = options.detectors ?? 4;
  const spreadMs = (options.spreadSec ?? 8) * 1000;

  // The ward with the most idle detectors burns.
  const wards = new Map<string, SmokeDetector[]>();
  for (const d of candidates(target, SmokeDetector, options)) {
    const key = `${d.siteId}\u0000${d.zone ?? ''}`;
    wards.set(key, [...(wards.get(key) ?? []), d]);
  }
  const ward = [...wards.values()].sort((a, b) => b.length - a.length)[0];
  if (!ward) throw new Error(`ward-fire needs a connected smoke detector${describeFilter(options)}`);
  const detectors = shuffle([...ward]).slice(0, count);
  const first = detectors[0] as SmokeDetector;
  const siteId = first.siteId;
  const zone = first.zone ?? '3F 内科病区';
  const panel = candidates(target, FirePanel, { siteId })[0];

  const involved: SimulatedDevice[] = panel ? [...detectors, panel] : detectors;
  for (const d of involved) d.scenarioActive = true;
  log.info({ siteId, zone, detectors: detectors.map((d) => d.id), panel: panel?.id }, 'ward fire starts');

  const offsets = detectors.map((_, i) => (i === 0 ? 0 : Math.random() * spreadMs)).sort((a, b) => a - b);
  let aborted = false;
  try {
    let elapsed = 0;
    for (const [i, detector] of detectors.entries()) {
      const offset = offsets[i] as number;
      await sleep(offset - elapsed, undefined, { signal });
      elapsed = offset;
      detector.raiseSmokeAlarm(0.15 + 0.05 * i); // later detectors see denser smoke
      log.info({ deviceId: detector.id, atMs: Math.round(offset) }, 'smoke.alarm raised');
      if (i === 0 && panel) panel.fireAlarm({ loop: 1, point: 1 + Math.floor(Math.random() * 120), zone });
    }
    await sleep((options.holdSec ?? 180) * 1000, undefined, { signal });
    for (const d of detectors) d.clearSmoke();
    panel?.reset();
    log.info({ siteId, zone }, 'ward fire out: detectors clear, panel reset');
  } catch (err) {
    if (!isAbort(err)) throw err;
    aborted = true;
  } finally {
    for (const d of involved) d.scenarioActive = false;
  }
  return { scenario: 'ward-fire', siteId, devices: involved.map((d) => d.id), aborted, detail: { zone, alarms: detectors.length } };
}

/** One charger port heats past 65 °C over ~40 s (charger.overtemp); after power_off it cools down. */
export async function chargerOverheat(target: Target, options: ChargerOverheatOptions = {}): Promise<ScenarioReport> {
  const log = (options.logger ?? quiet).child({ scenario: 'charger-overheat' });
  const { signal } = options;
  const station = shuffle(candidates(target, ChargingStation, options))[0];
  if (!station) throw new Error(`charger-overheat needs a connected charging station${describeFilter(options)}`);
  const port = options.port ?? station.busiestPort();
  if (!Number.isInteger(port) || port < 1 || port > station.portCount) {
    throw new Error(`charger-overheat: station ${station.id} has ports 1-${station.portCount}, not ${port}`);
  }
  const waitMs = (options.waitForPowerOffSec ?? 120) * 1000;

  station.scenarioActive = true;
  station.startThermalRunaway(port, options.secondsToOvertemp ?? 40);
  log.info({ deviceId: station.id, siteId: station.siteId, port }, 'charger port overheating');
  const started = Date.now();
  let overtempAt: number | null = null;
  let powerOffAt: number | null = null;
  let fuse = false;
  let peakC = 0;
  let aborted = false;
  try {
    // A station in trouble reports every few seconds, whatever its heartbeat.
    for (let tick = 0; ; tick++) {
      await sleep(1000, undefined, { signal });
      const r = station.reading(port); // also lets the station raise charger.overtemp itself
      peakC = Math.max(peakC, r.temperatureC);
      if (overtempAt === null && r.temperatureC >= 65) {
        overtempAt = Date.now();
        log.info({ deviceId: station.id, port, temperatureC: round1(r.temperatureC), afterSec: Math.round((overtempAt - started) / 1000) }, 'charger.overtemp raised, waiting for power_off');
      }
      if (r.powered && overtempAt !== null && Date.now() - overtempAt > waitMs) {
        log.warn({ deviceId: station.id, port, waitedSec: waitMs / 1000 }, 'no power_off received; the station thermal fuse trips');
        station.cutPower(port, 'thermal_fuse');
        fuse = true;
      }
      if (!r.powered && powerOffAt === null) {
        powerOffAt = Date.now();
        log.info({ deviceId: station.id, port, temperatureC: round1(r.temperatureC) }, 'port powered off, cooling');
      }
      if (tick % 4 === 3) station.sendPortTelemetry(port);
      if (powerOffAt !== null && (r.temperatureC < 45 || Date.now() - powerOffAt > 180_000)) {
        station.sendPortTelemetry(port);
        log.info({ deviceId: station.id, port, temperatureC: round1(r.temperatureC) }, 'port cooled down');
        break;
      }
    }
  } catch (err) {
    if (!isAbort(err)) throw err;
    aborted = true;
  } finally {
    station.scenarioActive = false;
  }
  const secs = (t: number | null): number | null => (t === null ? null : Math.round((t - started) / 1000));
  return {
    scenario: 'charger-overheat', siteId: station.siteId, devices: [station.id], aborted,
    detail: { port, overtempAfterSec: secs(overtempAt), powerOffAfterSec: secs(powerOffAt), thermalFuse: fuse, peakC: round1(peakC) },
  };
}

/** A hazmat cabinet is opened with a single badge (not 双人) and left open while VOC rises. */
export async function cabinetLeftOpen(target: Target, options: CabinetLeftOpenOptions = {}): Promise<ScenarioReport> {
  const log = (options.logger ?? quiet).child({ scenario: 'cabinet-left-open' });
  const { signal } = options;
  const cabinet = shuffle(candidates(target, HazmatCabinet, options).filter((c) => !c.isDoorOpen))[0];
  if (!cabinet) throw new Error(`cabinet-left-open needs a connected hazmat cabinet with its door closed${describeFilter(options)}`);
  const ratePerMin = options.vocRisePpmPerMin ?? 3;
  const badge = cabinet.oneBadge();

  // The cabinet stays "driven" after the script ends, so no random incident closes the door.
  cabinet.scenarioActive = true;
  cabinet.openDoor([badge]);
  cabinet.startVocRise(ratePerMin / 60);
  const vocStart = cabinet.voc;
  log.info({ deviceId: cabinet.id, siteId: cabinet.siteId, badge }, 'cabinet opened with one badge and left open');
  let aborted = false;
  try {
    const until = Date.now() + (options.watchSec ?? 120) * 1000;
    while (Date.now() < until) {
      await sleep(10_000, undefined, { signal });
      cabinet.sendTelemetry();
    }
    log.info({ deviceId: cabinet.id, vocPpm: Math.round(cabinet.voc * 100) / 100 }, 'cabinet still open, VOC rising');
  } catch (err) {
    if (!isAbort(err)) throw err;
    aborted = true;
  }
  return {
    scenario: 'cabinet-left-open', siteId: cabinet.siteId, devices: [cabinet.id], aborted,
    detail: { badges: [badge], vocStartPpm: Math.round(vocStart * 100) / 100, vocNowPpm: Math.round(cabinet.voc * 100) / 100 },
  };
}

export const scenarios: Record<ScenarioName, (target: Target, options?: ScenarioOptions) => Promise<ScenarioReport>> = {
  'ward-fire': wardFire,
  'charger-overheat': chargerOverheat,
  'cabinet-left-open': cabinetLeftOpen,
};

export function runScenario(name: ScenarioName, target: Target, options?: ScenarioOptions): Promise<ScenarioReport> {
  return scenarios[name](target, options);
}
