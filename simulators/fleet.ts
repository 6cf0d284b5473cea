// A fleet of simulated devices in one process: paced connection, random incidents, counters.
// This is the entry point for in-process callers such as the platform's demo mode.
import type { Logger } from 'pino';
import type { DeviceCounters, IncidentClass, SimulatedDevice } from './device.js';
import { createDevice } from './families/index.js';
import type { FleetDevice } from '../contracts/fleet-file.js';
import { startTransmissionFleet, type TransmissionFleet } from './gb26875/fleet.js';

export { FleetDevice, FleetFile, parseFleetFile } from '../contracts/fleet-file.js';
export { loadFleetFile } from './fleet-file.js';
export { SimulatedDevice } from './device.js';
export type { CommandResult, DeviceCounters, DeviceOptions, IncidentClass } from './device.js';
export { ChargingStation, createDevice, FirePanel, HazmatCabinet, SmokeDetector } from './families/index.js';
export type { PanelPoint, PortReading } from './families/index.js';
export { scenarioNames, scenarios, runScenario } from './scenarios.js';
export type { ScenarioName, ScenarioOptions, ScenarioReport } from './scenarios.js';

export interface FleetOptions {
  /** Broker URL, e.g. mqtt://127.0.0.1:1883. */
  url: string;
  devices: readonly FleetDevice[];
  /** Random incidents started per minute across the whole fleet (each sends one to three events). Default 1; 0 turns them off. */
  eventRatePerMin?: number;
  /**
   * Fire alarms (false alarms and tests: steam, dust, a test button) per hour across the whole fleet, apart from the
   * other incidents, which then raise none. Unset: alarms are among the random incidents (as many as the family weights give).
   */
  alarmsPerHour?: number;
  logger: Logger;
  /** Connections opened at the same time while the fleet comes up. Default 20. */
  connectConcurrency?: number;
  /** Base reconnect period per device, jittered up to twice as long. Default 3000 ms. */
  reconnectPeriodMs?: number;
  /** Where transmission devices (GB/T 26875.3 over TCP) connect; without it they are left out. */
  gb26875?: { host: string; port: number } | null;
}

export interface FleetStats extends DeviceCounters {
  devices: number;
  connected: number;
  incidents: number;
  uptimeSec: number;
}

export interface Fleet {
  /** The MQTT devices. */
  readonly devices: readonly SimulatedDevice[];
  /** The transmission devices, over GB/T 26875.3 (null when the fleet has none or no GB/T 26875.3 port was given). */
  readonly transmission: TransmissionFleet | null;
  /** Resolves once every device has tried its first connection (failed ones keep retrying). */
  readonly ready: Promise<void>;
  stats(): FleetStats;
  /** Stops incidents, then disconnects every device. Safe to call more than once. */
  stop(): Promise<void>;
}

/** Starts the fleet and returns at once; connections open in the background, `connectConcurrency` at a time. */
export function startFleet(options: FleetOptions): Fleet {
  const { url, logger } = options;
  const rate = options.eventRatePerMin ?? 1;
  const alarmsPerHour = options.alarmsPerHour;
  if (alarmsPerHour !== undefined && (!Number.isFinite(alarmsPerHour) || alarmsPerHour < 0)) throw new Error(`alarmsPerHour must be a number >= 0, got ${alarmsPerHour}`);
  const concurrency = Math.max(1, Math.floor(options.connectConcurrency ?? 20));
  if (!Number.isFinite(rate) || rate < 0) throw new Error(`eventRatePerMin must be a number >= 0, got ${rate}`);

  const log = logger.child({ component: 'simulator' });
  const deviceOptions = { logger: log, ...(options.reconnectPeriodMs ? { reconnectPeriodMs: options.reconnectPeriodMs } : {}) };
  const devices = options.devices.filter((spec) => spec.family !== 'transmission_device').map((spec) => createDevice(spec, deviceOptions));
  const gbSpecs = options.devices.filter((spec) => spec.family === 'transmission_device');
  if (gbSpecs.length && !options.gb26875) log.warn({ devices: gbSpecs.length }, 'transmission devices left out: no GB/T 26875.3 port');
  const transmission = gbSpecs.length && options.gb26875
    ? startTransmissionFleet({ ...options.gb26875, devices: gbSpecs, logger })
    : null;
  const startedAt = Date.now();
  let stopped = false;
  let stopping: Promise<void> | null = null;
  let incidents = 0;
  let incidentTimer: NodeJS.Timeout | undefined;
  let alarmTimer: NodeJS.Timeout | undefined;
  let lastConnected = 0;

  // A small pool of workers, so at most `concurrency` CONNECTs are outstanding at once.
  let next = 0;
  let refused = 0;
  const worker = async (): Promise<void> => {
    while (!stopped && next < devices.length) {
      const device = devices[next++] as SimulatedDevice;
      if (!(await device.connect(url))) refused++;
    }
  };
  log.info({ url, devices: devices.length, concurrency, eventRatePerMin: rate, alarmsPerHour }, 'fleet starting');
  const ready = Promise.all(Array.from({ length: Math.min(concurrency, devices.length) }, worker)).then(() => {
    if (stopped) return;
    const connected = devices.filter((d) => d.connected).length;
    lastConnected = connected;
    const level = refused > 0 ? 'warn' : 'info';
    log[level]({ connected, notConnected: devices.length - connected, ms: Date.now() - startedAt }, 'fleet connected');
  });

  // Incidents arrive as Poisson processes: exponential gaps with mean 60 / rate seconds; alarms on their own when asked.
  const others: IncidentClass = alarmsPerHour === undefined ? 'any' : 'other';
  const schedule = (perMin: number, want: IncidentClass, set: (t: NodeJS.Timeout) => void): void => {
    if (stopped || perMin <= 0 || devices.length === 0) return;
    const delay = (-Math.log(1 - Math.random()) * 60_000) / perMin;
    set(setTimeout(() => {
      startIncident(want);
      schedule(perMin, want, set);
    }, delay));
  };
  const startIncident = (want: IncidentClass): void => {
    for (let tries = 0; tries < 20; tries++) {
      const device = devices[Math.floor(Math.random() * devices.length)] as SimulatedDevice;
      if (device.connected && device.triggerIncident(want)) {
        incidents++;
        return;
      }
    }
  };
  schedule(rate, others, (t) => { incidentTimer = t; });
  if (alarmsPerHour !== undefined) schedule(alarmsPerHour / 60, 'alarm', (t) => { alarmTimer = t; });

  // Devices log network errors at debug; the fleet reports connectivity changes in aggregate.
  const watchTimer = setInterval(() => {
    const connected = devices.filter((d) => d.connected).length;
    if (connected === lastConnected || next < devices.length) return;
    const level = connected < lastConnected ? 'warn' : 'info';
    log[level]({ connected, devices: devices.length, was: lastConnected }, connected < lastConnected ? 'devices went offline' : 'devices back online');
    lastConnected = connected;
  }, 5000);
  watchTimer.unref();

  const stats = (): FleetStats => {
    const totals: DeviceCounters = {
      telemetrySent: 0, telemetryDropped: 0, eventsSent: 0, eventsAcked: 0,
      commandsReceived: 0, commandAcksSent: 0, errors: 0, connects: 0,
    };
    let connected = 0;
    for (const d of devices) {
      if (d.connected) connected++;
      for (const key of Object.keys(totals) as Array<keyof DeviceCounters>) totals[key] += d.counters[key];
    }
    return { devices: devices.length, connected, incidents, uptimeSec: Math.round((Date.now() - startedAt) / 1000), ...totals };
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      stopped = true;
      clearTimeout(incidentTimer);
      clearTimeout(alarmTimer);
      clearInterval(watchTimer);
      await transmission?.stop();
      await Promise.all(devices.map((d) => d.stop()));
      await ready;
      log.info(stats(), 'fleet stopped');
    })();
    return stopping;
  };

  return { devices, transmission, ready, stats, stop };
}
