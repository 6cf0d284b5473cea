// From GB/T 26875.3 units to FireNet's device API: a status report becomes the same normalized events an MQTT
// panel sends (fire.alarm, fault, isolation, supervisory, linkage.*, power.*), an analog value a reading. Pure:
// the previous status of each source (kept by the caller, updated only once the events are stored) says which
// bits changed, so a repeated report makes no new events and a cleared bit its clear event.
import { timeToEpoch, type Frame, type FrameTime } from '../../contracts/gb26875/frame.js';
import { componentBits, deviceBits, hasBit, operationBits, systemBits } from '../../contracts/gb26875/status.js';
import type { ObjectOf, Unit } from '../../contracts/gb26875/units.js';
import type { DeviceEvent, MetricName, TelemetryFrame } from '../../contracts/device-api.js';

/** What one source (the device, a system, a component) last reported: its status word. */
export type StatusMemory = ReadonlyMap<string, number>;

export interface Mapped {
  events: DeviceEvent[];
  readings: TelemetryFrame[];
  /** Statuses to remember once the events are stored. */
  statuses: Map<string, number>;
  /** Objects that carry nothing FireNet keeps (versions, configuration, unknown analog types...), for the log. */
  ignored: string[];
}

interface Flag {
  bit: number;
  name: string;
  type: string;
  /** Event sent when the bit goes off; none: the condition has no clear in the device API. */
  clear?: string;
  data?: Record<string, unknown>;
}

const componentFlags: readonly Flag[] = [
  { bit: componentBits.fire, name: 'fire', type: 'fire.alarm', clear: 'fire.clear' },
  { bit: componentBits.fault, name: 'fault', type: 'fault', clear: 'fault.clear', data: { code: 'component_fault' } },
  { bit: componentBits.disabled, name: 'isolation', type: 'isolation', clear: 'isolation.clear' },
  { bit: componentBits.supervisory, name: 'supervisory', type: 'supervisory' },
  { bit: componentBits.started, name: 'start', type: 'linkage.start' },
  { bit: componentBits.feedback, name: 'feedback', type: 'linkage.feedback' },
  { bit: componentBits.powerFault, name: 'power', type: 'fault', clear: 'fault.clear', data: { code: 'component_power_fault' } },
];

const systemFlags: readonly Flag[] = [
  { bit: systemBits.fire, name: 'fire', type: 'fire.alarm', clear: 'fire.clear' },
  { bit: systemBits.fault, name: 'fault', type: 'fault', clear: 'fault.clear', data: { code: 'system_fault' } },
  { bit: systemBits.supervisory, name: 'supervisory', type: 'supervisory' },
  { bit: systemBits.started, name: 'start', type: 'linkage.start' },
  { bit: systemBits.feedback, name: 'feedback', type: 'linkage.feedback' },
  { bit: systemBits.mainPowerFault, name: 'main_power', type: 'power.main_fault' },
  { bit: systemBits.backupPowerFault, name: 'backup_power', type: 'power.backup_fault' },
  { bit: systemBits.busFault, name: 'bus', type: 'fault', clear: 'fault.clear', data: { code: 'bus_fault' } },
  { bit: systemBits.reset, name: 'reset', type: 'panel.reset' },
];

const deviceFlags: readonly Flag[] = [
  { bit: deviceBits.fire, name: 'fire', type: 'fire.alarm', clear: 'fire.clear' },
  { bit: deviceBits.fault, name: 'fault', type: 'fault', clear: 'fault.clear', data: { code: 'device_fault' } },
  { bit: deviceBits.mainPowerFault, name: 'main_power', type: 'power.main_fault' },
  { bit: deviceBits.backupPowerFault, name: 'backup_power', type: 'power.backup_fault' },
  { bit: deviceBits.linkFault, name: 'link', type: 'fault', clear: 'fault.clear', data: { code: 'link_fault' } },
  { bit: deviceBits.lineFault, name: 'line', type: 'fault', clear: 'fault.clear', data: { code: 'monitoring_line_fault' } },
];

/** Analog types FireNet keeps (GB/T 26875.3 table of analog quantities) and the scale of their 16-bit value. */
const analogMetrics: Record<number, { metric: MetricName; scale: number }> = {
  2: { metric: 'level_m', scale: 0.01 },
  3: { metric: 'temperature_c', scale: 0.1 },
  4: { metric: 'pressure_kpa', scale: 100 }, // 0.1 MPa
  5: { metric: 'pressure_kpa', scale: 0.1 },
  6: { metric: 'gas_lel_pct', scale: 0.1 },
  8: { metric: 'voltage_v', scale: 0.1 },
  9: { metric: 'current_a', scale: 0.1 },
};

/** The loop and point a 4-byte component address names: the high and low 16 bits (the usual panel numbering). */
export function loopPoint(address: number): { loop: number; point: number } {
  return { loop: address >>> 16, point: address & 0xffff };
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0');
const timeKey = (t: FrameTime) => [t.year - 2000, t.month, t.day, t.hour, t.minute, t.second].map(hex2).join('');

/**
 * A deterministic event id: the same frame sent again (same source, serial and time) makes the same ids, so the
 * store keeps it once.
 */
export function eventId(frame: Pick<Frame, 'source' | 'serial' | 'time'>, objectIndex: number, what: string): string {
  return `${frame.source}-${frame.serial}-${timeKey(frame.time)}-${objectIndex}-${what}`;
}

/** Events for the bits that changed between `prev` (undefined: never heard) and `next`. */
function changes(flags: readonly Flag[], prev: number | undefined, next: number): { flag: Flag; on: boolean }[] {
  const out: { flag: Flag; on: boolean }[] = [];
  // a first report with no condition set is a restoration: its clears go out; otherwise only what is set
  const restoring = prev === undefined && flags.every((f) => !hasBit(next, f.bit));
  for (const flag of flags) {
    const now = hasBit(next, flag.bit);
    const was = prev === undefined ? !now && restoring : hasBit(prev, flag.bit);
    if (now && !was) out.push({ flag, on: true });
    else if (!now && was && flag.clear) out.push({ flag, on: false });
  }
  return out;
}

export function mapUnit(frame: Frame, unit: Unit, memory: StatusMemory, receivedAt: number): Mapped {
  const out: Mapped = { events: [], readings: [], statuses: new Map(), ignored: [] };
  const at = (t: FrameTime) => timeToEpoch(t) ?? receivedAt;

  const report = (key: string, flags: readonly Flag[], status: number, index: number, ts: number, where: Record<string, unknown>) => {
    const prev = out.statuses.get(key) ?? memory.get(key);
    for (const { flag, on } of changes(flags, prev, status)) {
      const type = on ? flag.type : flag.clear!;
      out.events.push({ id: eventId(frame, index, `${flag.name}${on ? '' : '-clear'}`), ts, type, data: { ...where, ...flag.data } });
    }
    out.statuses.set(key, status);
  };

  unit.objects.forEach((o, index) => {
    switch (o.type) {
      case 1: return report(`s:${o.systemType}:${o.systemAddress}`, systemFlags, o.status, index, at(o.time),
        { system: o.systemAddress, systemType: o.systemType, loop: 0, point: 0 });
      case 2: {
        const where = { system: o.systemAddress, systemType: o.systemType, ...loopPoint(o.componentAddress), component: String(o.componentType),
          componentType: o.componentType, address: o.componentAddress, ...(o.description ? { zone: o.description.slice(0, 128) } : {}) };
        return report(`c:${o.systemAddress}:${o.componentAddress}`, componentFlags, o.status, index, at(o.time), where);
      }
      case 21: return report('d', deviceFlags, o.status, index, at(o.time), { loop: 0, point: 0 });
      case 3: {
        const analog = analogMetrics[o.analogType];
        if (!analog) return void out.ignored.push(`analog type ${o.analogType}`);
        const value = Math.round(o.value * analog.scale * 1000) / 1000;
        return void out.readings.push({ ts: at(o.time), port: o.systemAddress, metrics: { [analog.metric]: value } });
      }
      case 4: {
        if (hasBit(o.operation, operationBits.reset)) {
          out.events.push({ id: eventId(frame, index, 'reset'), ts: at(o.time), type: 'panel.reset', data: { system: o.systemAddress, systemType: o.systemType } });
        }
        return;
      }
      default: return void out.ignored.push(`type ${o.type}`);
    }
  });
  return out;
}

/** A response's content in a line, kept as the command's answer. */
export function describeAnswer(unit: Unit): string {
  return unit.objects.map((o) => {
    switch (o.type) {
      case 21: return `status 0x${hex2(o.status)}: ${describeDeviceStatus(o)}`;
      case 25: return `software version ${o.major}.${o.minor}`;
      case 28: return `device time ${formatTime(o.time)}`;
      case 26: return `configuration ${o.config}`;
      case 24: return `operation 0x${hex2(o.operation)} by operator ${o.operator} at ${formatTime(o.time)}`;
      default: return `type ${o.type}`;
    }
  }).join('; ').slice(0, 256);
}

function describeDeviceStatus(o: ObjectOf<21>): string {
  const on = Object.entries(deviceBits).filter(([, bit]) => bit > 0 && hasBit(o.status, bit)).map(([name]) => name);
  return on.length ? on.join(', ') : hasBit(o.status, deviceBits.normal) ? 'normal' : 'test';
}

export function formatTime(t: FrameTime): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.year}-${p(t.month)}-${p(t.day)} ${p(t.hour)}:${p(t.minute)}:${p(t.second)}`;
}
