// GB/T 26875.3 codec (pure): the vectors as given, round trips, units of every upstream type, and the
// streaming reader (split reads, several frames in one read, noise, bad checksum, wrong end, oversize length).
import { describe, expect, it } from 'vitest';
import { answerTo, checksum, commands, decodeFrame, encodeFrame, epochToTime, MAX_FRAME_BYTES, timeToEpoch, type Frame } from '../../contracts/gb26875/frame.js';
import { FrameReader, type ReadResult } from '../../contracts/gb26875/reader.js';
import { decodeUnit, encodeUnit, type Unit } from '../../contracts/gb26875/units.js';
import { encodeGb18030 } from '../../contracts/gb26875/text.js';

const hex = (s: string) => Uint8Array.from(s.trim().split(/\s+/).map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0').toUpperCase()).join(' ');

// The vectors: device 79 03 00 00 00 00, centre 38 5B 01 00 00 00, 2012-09-26 09:58.
const vectors = {
  mainPowerFault: '40 40 01 00 01 01 20 3A 09 1A 09 0C 79 03 00 00 00 00 38 5B 01 00 00 00 09 00 02 15 01 08 02 3A 09 1A 09 0C 42 23 23',
  confirm: '40 40 01 00 01 01 23 3A 09 1A 09 0C 38 5B 01 00 00 00 79 03 00 00 00 00 00 00 03 AB 23 23',
  version: '40 40 01 00 01 01 20 3A 09 1A 09 0C 79 03 00 00 00 00 38 5B 01 00 00 00 04 00 02 19 01 01 01 C7 23 23',
  readStatus: '40 40 01 00 01 01 20 3A 09 1A 09 0C 38 5B 01 00 00 00 79 03 00 00 00 00 03 00 04 51 01 00 FE 23 23',
  dutyCheck: '40 40 01 00 01 01 20 3A 09 1A 09 0C 38 5B 01 00 00 00 79 03 00 00 00 00 03 00 01 5B 01 0A 0F 23 23',
} as const;

const DEVICE = '000000000379';
const CENTRE = '000000015B38';

function decoded(v: string): Frame {
  const r = decodeFrame(hex(v));
  if (!r.ok) throw new Error(`vector does not decode: ${r.problem}`);
  return r.frame;
}

describe('the issue\'s vectors', () => {
  it('device main power fault (type 21, status 0x08): header, addresses, unit', () => {
    const f = decoded(vectors.mainPowerFault);
    expect(f).toMatchObject({ serial: 1, version: 0x0101, source: DEVICE, destination: CENTRE, command: commands.send });
    expect(f.time).toEqual({ second: 32, minute: 58, hour: 9, day: 26, month: 9, year: 2012 });
    expect(decodeUnit(f.data)).toEqual({ ok: true, unit: { type: 21, objects: [{ type: 21, status: 0x08, time: { second: 2, minute: 58, hour: 9, day: 26, month: 9, year: 2012 } }] } });
    expect(toHex(encodeFrame(f))).toBe(vectors.mainPowerFault);
  });

  it('the centre\'s confirm of it: same serial and version, addresses swapped, the centre\'s clock, no data', () => {
    const f = decoded(vectors.mainPowerFault);
    // the vector is stamped 09:58:35 (23 3A ...), 3 s after the frame it confirms (20 3A ...)
    const centreClock = { ...f.time, second: 35 };
    expect(toHex(encodeFrame(answerTo(f, commands.confirm, centreClock)))).toBe(vectors.confirm);
    const c = decoded(vectors.confirm);
    expect(c).toMatchObject({ serial: 1, version: 0x0101, source: CENTRE, destination: DEVICE, command: commands.confirm, data: new Uint8Array(0) });
    expect(toHex(encodeFrame(c))).toBe(vectors.confirm);
  });

  it('software version 1.1 (type 25)', () => {
    const f = decoded(vectors.version);
    expect(decodeUnit(f.data)).toEqual({ ok: true, unit: { type: 25, objects: [{ type: 25, major: 1, minor: 1 }] } });
    expect(toHex(encodeFrame(f))).toBe(vectors.version);
  });

  it('read device status, centre to device (request, type 81)', () => {
    const f = decoded(vectors.readStatus);
    expect(f).toMatchObject({ source: CENTRE, destination: DEVICE, command: commands.request });
    expect(decodeUnit(f.data)).toEqual({ ok: true, unit: { type: 81, objects: [{ type: 81 }] } });
    expect(toHex(encodeFrame({ ...f, data: encodeUnit({ type: 81, objects: [{ type: 81 }] }) }))).toBe(vectors.readStatus);
  });

  it('查岗 with a 10-minute timeout (control, type 91)', () => {
    const f = decoded(vectors.dutyCheck);
    expect(f.command).toBe(commands.control);
    expect(decodeUnit(f.data)).toEqual({ ok: true, unit: { type: 91, objects: [{ type: 91, timeoutMin: 10 }] } });
    expect(toHex(encodeFrame({ ...f, data: encodeUnit({ type: 91, objects: [{ type: 91, timeoutMin: 10 }] }) }))).toBe(vectors.dutyCheck);
  });

  it('each vector\'s checksum is the sum of bytes 3 to 27 and the data, mod 256', () => {
    for (const v of Object.values(vectors)) {
      const b = hex(v);
      expect(b.length).toBe(30 + (b[24]! | (b[25]! << 8)));
      expect(checksum(b, 2, b.length - 3)).toBe(b[b.length - 3]);
    }
  });
});

const t0 = { second: 2, minute: 58, hour: 9, day: 26, month: 9, year: 2012 };
const frameOf = (unit: Unit | null, serial = 7): Frame => ({
  serial, version: 0x0101, time: t0, source: DEVICE, destination: CENTRE, command: commands.send, data: unit ? encodeUnit(unit) : new Uint8Array(0),
});

describe('units', () => {
  it('a component fire alarm with a GB18030 description round-trips', () => {
    const unit: Unit = { type: 2, objects: [{ type: 2, systemType: 1, systemAddress: 1, componentType: 42, componentAddress: 0x0002_0017, status: 0x0003, description: '住院楼3层东区护士站', time: t0 }] };
    const bytes = encodeUnit(unit);
    expect(bytes.length).toBe(2 + 46);
    // 住 is D7 A1 in GB18030
    expect(toHex(bytes.subarray(11, 13))).toBe('D7 A1');
    expect(decodeUnit(bytes)).toEqual({ ok: true, unit });
  });

  it('a description is cut at its first NUL, whatever follows', () => {
    const unit: Unit = { type: 2, objects: [{ type: 2, systemType: 1, systemAddress: 1, componentType: 40, componentAddress: 5, status: 0x0003, description: '门诊楼', time: t0 }] };
    const bytes = encodeUnit(unit);
    bytes.set(encodeGb18030('垃圾XYZ'), 11 + 8); // after 门诊楼 (6 bytes) and its NUL
    const r = decodeUnit(bytes);
    expect(r.ok && r.unit.objects[0]).toMatchObject({ description: '门诊楼' });
  });

  it('an analog value keeps its sign', () => {
    const unit: Unit = { type: 3, objects: [{ type: 3, systemType: 11, systemAddress: 2, componentType: 85, componentAddress: 9, analogType: 3, value: -125, time: t0 }] };
    expect(decodeUnit(encodeUnit(unit))).toEqual({ ok: true, unit });
  });

  it('a multi-object unit: every object in order', () => {
    const objects = [1, 2, 3].map((n) => ({ type: 1 as const, systemType: 1, systemAddress: n, status: 0x0001 | (n === 2 ? 0x0400 : 0), time: t0 }));
    expect(decodeUnit(encodeUnit({ type: 1, objects }))).toEqual({ ok: true, unit: { type: 1, objects } });
  });

  it.each<[string, Unit]>([
    ['system operation', { type: 4, objects: [{ type: 4, systemType: 1, systemAddress: 1, operation: 1, operator: 3, time: t0 }] }],
    ['system version', { type: 5, objects: [{ type: 5, systemType: 1, systemAddress: 1, major: 2, minor: 7 }] }],
    ['system configuration', { type: 6, objects: [{ type: 6, systemType: 1, systemAddress: 1, config: 'JB-QB-5000 2回路' }] }],
    ['component configuration', { type: 7, objects: [{ type: 7, systemType: 1, systemAddress: 1, componentType: 23, componentAddress: 258, description: '一层大厅手报' }] }],
    ['system time', { type: 8, objects: [{ type: 8, systemType: 1, systemAddress: 1, time: t0 }] }],
    ['device operation (查岗 answer)', { type: 24, objects: [{ type: 24, operation: 0x20, operator: 1, time: t0 }] }],
    ['device configuration', { type: 26, objects: [{ type: 26, config: 'UITD-01' }] }],
    ['device time', { type: 28, objects: [{ type: 28, time: t0 }] }],
    ['clock sync', { type: 90, objects: [{ type: 90, time: t0 }] }],
  ])('%s round-trips', (_name, unit) => {
    expect(decodeUnit(encodeUnit(unit))).toEqual({ ok: true, unit });
  });

  it.each<[string, string, RegExp]>([
    ['an unknown type', '63 01 00', /unknown application data type 99/],
    ['a count that does not fill the data', '15 02 08 02 3A 09 1A 09 0C', /need 16 bytes/],
    ['no objects', '15 00', /no objects/],
    ['a configuration longer than the data', '1A 01 09 41 42', /cut short/],
    ['one byte', '15', /type and object count/],
  ])('refuses %s', (_name, data, reason) => {
    const r = decodeUnit(hex(data));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(reason);
  });
});

describe('time', () => {
  it('the device clock is China time', () => {
    expect(timeToEpoch(t0)).toBe(Date.UTC(2012, 8, 26, 1, 58, 2));
    expect(epochToTime(Date.UTC(2012, 8, 26, 1, 58, 2))).toEqual(t0);
  });
  it('an impossible date is no time', () => {
    expect(timeToEpoch({ ...t0, month: 13 })).toBeNull();
    expect(timeToEpoch({ ...t0, day: 31, month: 2 })).toBeNull();
    expect(timeToEpoch({ ...t0, second: 60 })).toBeNull();
  });
});

const frames = (results: ReadResult[]) => results.filter((r) => r.kind === 'frame').map((r) => r.kind === 'frame' && r.frame);
const bads = (results: ReadResult[]) => results.filter((r) => r.kind === 'bad').map((r) => r.kind === 'bad' && r.problem);

describe('the streaming reader', () => {
  const a = hex(vectors.mainPowerFault);
  const b = hex(vectors.version);

  it('a frame split over three reads', () => {
    const reader = new FrameReader();
    expect(reader.push(a.subarray(0, 5))).toEqual([]);
    expect(reader.push(a.subarray(5, 30))).toEqual([]);
    const out = reader.push(a.subarray(30));
    expect(frames(out)).toEqual([decoded(vectors.mainPowerFault)]);
    expect(reader.buffered).toBe(0);
  });

  it('two frames in one read, and the start of a third kept for the next', () => {
    const reader = new FrameReader();
    const out = reader.push(Uint8Array.from([...a, ...b, 0x40]));
    expect(frames(out)).toEqual([decoded(vectors.mainPowerFault), decoded(vectors.version)]);
    expect(reader.buffered).toBe(1);
    expect(frames(reader.push(b.subarray(1)))).toEqual([decoded(vectors.version)]);
  });

  it('bytes before a start marker are skipped and counted', () => {
    const reader = new FrameReader();
    const out = reader.push(Uint8Array.from([0x00, 0x40, 0x23, 0xff, ...a]));
    expect(frames(out)).toHaveLength(1);
    expect(bads(out)).toEqual([]);
    expect(reader.skipped).toBe(4);
  });

  it('a bad checksum is reported and the next frame still read', () => {
    const bad = a.slice();
    bad[bad.length - 3] ^= 0x01;
    const out = new FrameReader().push(Uint8Array.from([...bad, ...b]));
    expect(bads(out)).toEqual(['bad_checksum']);
    expect(frames(out)).toEqual([decoded(vectors.version)]);
  });

  it('a wrong end marker is reported and the next frame still read', () => {
    const bad = a.slice();
    bad[bad.length - 1] = 0x24;
    const out = new FrameReader().push(Uint8Array.from([...bad, ...b]));
    expect(bads(out)).toEqual(['bad_end']);
    expect(frames(out)).toEqual([decoded(vectors.version)]);
  });

  it('an oversize length is refused at once, never waited for', () => {
    const bad = a.slice();
    bad[24] = 0x01; bad[25] = 0x04; // 1025
    const reader = new FrameReader();
    const out = reader.push(bad.subarray(0, 27));
    expect(bads(out)).toEqual(['bad_length']);
    expect(frames(reader.push(b))).toEqual([decoded(vectors.version)]);
  });

  it('a lookalike private protocol framed with @@ … ## is refused, never decoded', () => {
    // "@@" + an ASCII body + "##": a length that does not put "##" where it belongs, or a checksum that does not add up
    const lookalike = new TextEncoder().encode('@@{"cmd":"heartbeat","sn":"A1B2C3D4E5F6G7H8","ver":"1.0"}##');
    const out = new FrameReader().push(Uint8Array.from([...lookalike, ...b]));
    expect(frames(out)).toEqual([decoded(vectors.version)]);
    expect(bads(out).length).toBeGreaterThan(0);
  });

  it('never holds more than one frame\'s worth of unread bytes', () => {
    const reader = new FrameReader();
    for (let i = 0; i < 200; i++) {
      reader.push(Uint8Array.from({ length: 700 }, (_, j) => (j % 3 === 0 ? 0x40 : (i * j) & 0xff)));
      expect(reader.buffered).toBeLessThan(MAX_FRAME_BYTES);
    }
  });

  it('a heartbeat (send data with no data) reads as a frame', () => {
    const hb = encodeFrame(frameOf(null));
    expect(hb.length).toBe(30);
    expect(frames(new FrameReader().push(hb))).toEqual([frameOf(null)]);
  });
});
