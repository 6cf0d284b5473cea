// The demo's transmission devices (用传), each with its fire-alarm panel, over real TCP: they sign in with a
// heartbeat, beat every heartbeatSec, report the hydrant system's water pressure every few minutes, and reconnect
// when the link drops, as real ones do.
import type { Logger } from 'pino';
import type { FleetDevice } from '../../contracts/fleet-file.js';
import { TransmissionDevice } from './device.js';

export interface TransmissionFleetOptions {
  host: string;
  port: number;
  devices: readonly FleetDevice[];
  logger: Logger;
  /** How long the simulated duty rooms take to answer a 查岗. Default 20 s. */
  dutyAnswerMs?: number;
}

export interface TransmissionFleet {
  readonly devices: readonly TransmissionDevice[];
  connected(): number;
  stop(): Promise<void>;
}

const PRESSURE_EVERY_MS = 5 * 60_000;
const RECONNECT_MS = 3000;
/** Water pressure of a hydrant main, kPa, as GB/T 26875.3 analog type 5 (0.1 kPa). */
const pressure = () => Math.round((320 + Math.random() * 60) * 10);

export function startTransmissionFleet(options: TransmissionFleetOptions): TransmissionFleet {
  const log = options.logger.child({ component: 'simulator-gb26875' });
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => { timers.delete(t); fn(); }, ms);
    t.unref();
    timers.add(t);
  };
  const specs = options.devices.filter((d): d is FleetDevice & { gbAddress: string } => Boolean(d.gbAddress));
  const devices = specs.map((spec) => new TransmissionDevice({
    host: options.host, port: options.port, gbAddress: spec.gbAddress, dutyAnswerMs: options.dutyAnswerMs ?? 20_000,
    panels: [{ systemType: 1, systemAddress: 1 }, { systemType: 11, systemAddress: 2 }],
  }));

  const run = (device: TransmissionDevice, spec: FleetDevice) => {
    if (stopped) return;
    const retry = () => { if (!stopped) later(RECONNECT_MS * (1 + Math.random()), () => run(device, spec)); };
    device.connect().then(async () => {
      void device.closed.then(retry);
      // closed (FireNet stopping, say) before the first heartbeat is confirmed: the retry above reconnects
      if (!(await device.heartbeat().then(() => true, () => false))) return;
      const beat = () => later(spec.heartbeatSec * 1000, () => {
        if (stopped || !device.connected) return;
        device.heartbeat().then(beat, () => undefined);
      });
      beat();
      const report = () => later(PRESSURE_EVERY_MS * (0.5 + Math.random()), () => {
        if (stopped || !device.connected) return;
        device.analog(5, pressure(), 1, device.panels[1]).then(report, () => undefined);
      });
      report();
    }, (err: unknown) => {
      log.debug({ deviceId: spec.id, err: (err as Error).message }, 'transmission device could not connect');
      retry();
    });
  };
  specs.forEach((spec, i) => later(Math.random() * Math.min(10_000, specs.length * 50) + i, () => run(devices[i]!, spec)));
  log.info({ host: options.host, port: options.port, devices: devices.length }, 'transmission devices starting');

  return {
    devices,
    connected: () => devices.filter((d) => d.connected).length,
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const d of devices) d.destroy();
    },
  };
}
