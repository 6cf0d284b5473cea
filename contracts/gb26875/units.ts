// GB/T 26875.3 application data units: type (1 byte), object count (1 byte), the objects. Upstream (device →
// centre) types 1-8 describe a building fire-protection system and its components, 21-28 the transmission device
// itself; downstream (centre → device) types 61-91 ask for them. Pure decode and encode of every object layout.
import { decodeGb18030Field, encodeGb18030 } from './text.js';
import { readTime, writeTime, type FrameTime } from './frame.js';

export const unitTypes = {
  systemStatus: 1, componentStatus: 2, analogValue: 3, systemOperation: 4, systemVersion: 5, systemConfig: 6,
  componentConfig: 7, systemTime: 8,
  deviceStatus: 21, deviceOperation: 24, deviceVersion: 25, deviceConfig: 26, deviceTime: 28,
  readDeviceStatus: 81, readDeviceOperation: 84, readDeviceVersion: 85, readDeviceConfig: 86, readDeviceTime: 88,
  initDevice: 89, syncClock: 90, dutyCheck: 91,
} as const;

/** Bytes of a component description (GB18030, NUL-padded). */
export const DESCRIPTION_BYTES = 31;

interface SystemRef { systemType: number; systemAddress: number }
interface ComponentRef extends SystemRef { componentType: number; componentAddress: number }

export type UnitObject =
  | ({ type: 1; status: number; time: FrameTime } & SystemRef)
  | ({ type: 2; status: number; description: string; time: FrameTime } & ComponentRef)
  | ({ type: 3; analogType: number; value: number; time: FrameTime } & ComponentRef)
  | ({ type: 4; operation: number; operator: number; time: FrameTime } & SystemRef)
  | ({ type: 5; major: number; minor: number } & SystemRef)
  | ({ type: 6; config: string } & SystemRef)
  | ({ type: 7; description: string } & ComponentRef)
  | ({ type: 8; time: FrameTime } & SystemRef)
  | { type: 21; status: number; time: FrameTime }
  | { type: 24; operation: number; operator: number; time: FrameTime }
  | { type: 25; major: number; minor: number }
  | { type: 26; config: string }
  | { type: 28; time: FrameTime }
  | { type: 81 | 84 | 85 | 86 | 88 | 89 }
  | { type: 90; time: FrameTime }
  | { type: 91; timeoutMin: number };

export type UnitType = UnitObject['type'];
export type ObjectOf<T extends UnitType> = Extract<UnitObject, { type: T }>;

export interface Unit {
  type: UnitType;
  objects: UnitObject[];
}

/** Fixed object sizes; 6 and 26 carry their own length. */
const sizes: Record<number, number> = {
  1: 10, 2: 46, 3: 16, 4: 10, 5: 4, 7: 38, 8: 8, 21: 7, 24: 8, 25: 2, 28: 6, 81: 1, 84: 1, 85: 1, 86: 1, 88: 1, 89: 1, 90: 6, 91: 1,
};

export type UnitParse = { ok: true; unit: Unit } | { ok: false; reason: string };

const u32 = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);

// no closures on this path: one call per object, and nothing allocated but the object itself
const sysOf = (b: Uint8Array, at: number): SystemRef => ({ systemType: b[at]!, systemAddress: b[at + 1]! });
const compOf = (b: Uint8Array, at: number): ComponentRef => ({ systemType: b[at]!, systemAddress: b[at + 1]!, componentType: b[at + 2]!, componentAddress: u32(b, at + 3) });

function readObject(type: number, b: Uint8Array, at: number): { object: UnitObject; size: number } | null {
  switch (type) {
    case 1: return { object: { type, ...sysOf(b, at), status: u16(b, at + 2), time: readTime(b, at + 4) }, size: 10 };
    case 2: return { object: { type, ...compOf(b, at), status: u16(b, at + 7), description: decodeGb18030Field(b.subarray(at + 9, at + 40)), time: readTime(b, at + 40) }, size: 46 };
    case 3: return { object: { type, ...compOf(b, at), analogType: b[at + 7]!, value: (u16(b, at + 8) << 16) >> 16, time: readTime(b, at + 10) }, size: 16 };
    case 4: return { object: { type, ...sysOf(b, at), operation: b[at + 2]!, operator: b[at + 3]!, time: readTime(b, at + 4) }, size: 10 };
    case 5: return { object: { type, ...sysOf(b, at), major: b[at + 2]!, minor: b[at + 3]! }, size: 4 };
    case 6: {
      const length = b[at + 2];
      if (length === undefined || at + 3 + length > b.length) return null;
      return { object: { type, ...sysOf(b, at), config: decodeGb18030Field(b.subarray(at + 3, at + 3 + length)) }, size: 3 + length };
    }
    case 7: return { object: { type, ...compOf(b, at), description: decodeGb18030Field(b.subarray(at + 7, at + 38)) }, size: 38 };
    case 8: return { object: { type, ...sysOf(b, at), time: readTime(b, at + 2) }, size: 8 };
    case 21: return { object: { type, status: b[at]!, time: readTime(b, at + 1) }, size: 7 };
    case 24: return { object: { type, operation: b[at]!, operator: b[at + 1]!, time: readTime(b, at + 2) }, size: 8 };
    case 25: return { object: { type, major: b[at]!, minor: b[at + 1]! }, size: 2 };
    case 26: {
      const length = b[at];
      if (length === undefined || at + 1 + length > b.length) return null;
      return { object: { type, config: decodeGb18030Field(b.subarray(at + 1, at + 1 + length)) }, size: 1 + length };
    }
    case 28: return { object: { type, time: readTime(b, at) }, size: 6 };
    case 81: case 84: case 85: case 86: case 88: case 89: return { object: { type }, size: 1 };
    case 90: return { object: { type, time: readTime(b, at) }, size: 6 };
    case 91: return { object: { type, timeoutMin: b[at]! }, size: 1 };
    default: return null;
  }
}

/** A frame's application data as a unit; the object count must fill the data exactly. */
export function decodeUnit(data: Uint8Array): UnitParse {
  if (data.length < 2) return { ok: false, reason: `application data of ${data.length} bytes: type and object count expected` };
  const type = data[0]!;
  const count = data[1]!;
  const fixed = sizes[type];
  if (fixed === undefined && type !== 6 && type !== 26) return { ok: false, reason: `unknown application data type ${type}` };
  if (count === 0) return { ok: false, reason: `type ${type}: no objects` };
  if (fixed !== undefined && data.length !== 2 + count * fixed) {
    return { ok: false, reason: `type ${type}: ${count} object(s) of ${fixed} bytes need ${2 + count * fixed} bytes, the data has ${data.length}` };
  }
  const objects: UnitObject[] = [];
  let at = 2;
  for (let i = 0; i < count; i++) {
    const read = at < data.length ? readObject(type, data, at) : null;
    if (!read) return { ok: false, reason: `type ${type}: object ${i + 1} of ${count} is cut short` };
    objects.push(read.object);
    at += read.size;
  }
  if (at !== data.length) return { ok: false, reason: `type ${type}: ${data.length - at} bytes after the last object` };
  return { ok: true, unit: { type: type as UnitType, objects } };
}

function writeObject(o: UnitObject): number[] {
  const time = (t: FrameTime) => { const b = new Uint8Array(6); writeTime(t, b, 0); return [...b]; };
  const sys = (s: SystemRef) => [s.systemType, s.systemAddress];
  const comp = (c: ComponentRef) => [...sys(c), c.componentType, c.componentAddress & 0xff, (c.componentAddress >>> 8) & 0xff, (c.componentAddress >>> 16) & 0xff, c.componentAddress >>> 24];
  const text = (s: string, size: number) => { const b = new Uint8Array(size); b.set(encodeGb18030(s).subarray(0, size)); return [...b]; };
  const u16le = (n: number) => [n & 0xff, (n >> 8) & 0xff];
  switch (o.type) {
    case 1: return [...sys(o), ...u16le(o.status), ...time(o.time)];
    case 2: return [...comp(o), ...u16le(o.status), ...text(o.description, DESCRIPTION_BYTES), ...time(o.time)];
    case 3: return [...comp(o), o.analogType, ...u16le(o.value & 0xffff), ...time(o.time)];
    case 4: return [...sys(o), o.operation, o.operator, ...time(o.time)];
    case 5: return [...sys(o), o.major, o.minor];
    case 6: { const c = encodeGb18030(o.config).subarray(0, 255); return [...sys(o), c.length, ...c]; }
    case 7: return [...comp(o), ...text(o.description, DESCRIPTION_BYTES)];
    case 8: return [...sys(o), ...time(o.time)];
    case 21: return [o.status, ...time(o.time)];
    case 24: return [o.operation, o.operator, ...time(o.time)];
    case 25: return [o.major, o.minor];
    case 26: { const c = encodeGb18030(o.config).subarray(0, 255); return [c.length, ...c]; }
    case 28: case 90: return time(o.time);
    case 91: return [o.timeoutMin];
    default: return [0];
  }
}

/** A unit's bytes: every object must be of the unit's type. */
export function encodeUnit(unit: Unit): Uint8Array {
  if (unit.objects.length === 0 || unit.objects.length > 255) throw new RangeError(`a unit holds 1 to 255 objects, not ${unit.objects.length}`);
  const bytes = [unit.type, unit.objects.length];
  for (const o of unit.objects) {
    if (o.type !== unit.type) throw new TypeError(`an object of type ${o.type} in a unit of type ${unit.type}`);
    bytes.push(...writeObject(o));
  }
  return Uint8Array.from(bytes);
}
