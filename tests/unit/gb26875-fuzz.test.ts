// Property-based fuzzing of the GB/T 26875.3 edge without a network: mutated and random frames, cut into random
// reads, fed to a real GbConnection over a fake socket. The handler never throws, the reader never holds more than
// one frame's worth of bytes, and no frame that does not decode cleanly is ever confirmed.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { pino } from 'pino';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commands, decodeFrame, encodeFrame, MAX_FRAME_BYTES, type Frame } from '../../contracts/gb26875/frame.js';
import { FrameReader } from '../../contracts/gb26875/reader.js';
import { encodeUnit, type Unit } from '../../contracts/gb26875/units.js';
import type { DeviceDirectory, UplinkSink } from '../../contracts/ports.js';
import { GbConnection } from '../../gateway/gb26875/connection.js';
import { newGbStats } from '../../gateway/gb26875/stats.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const DEVICE = '000000000379';
const CENTRE = '000000015B38';
const t0 = { second: 2, minute: 58, hour: 9, day: 26, month: 9, year: 2026 };

/** A socket as GbConnection uses it: data in, writes recorded. */
class FakeSocket extends EventEmitter {
  written: Uint8Array[] = [];
  destroyed = false;
  remoteAddress = '127.0.0.1';
  writableLength = 0;
  write(bytes: Uint8Array): boolean { this.written.push(bytes); return true; }
  destroy(): void { if (!this.destroyed) { this.destroyed = true; this.emit('close'); } }
  pause(): void {}
  resume(): void {}
}

function harness() {
  const socket = new FakeSocket();
  const stored: string[] = [];
  const directory: DeviceDirectory = {
    authenticate: async () => ({ ok: false, reason: 'unknown_device' }),
    byGbAddress: async (a) => (a === DEVICE ? { ok: true, device: { id: 'td-1', family: 'transmission_device', siteId: 's' } } : { ok: false, reason: 'unknown_address' }),
  };
  const sink: UplinkSink = {
    event: async (_d, e) => { stored.push(e.id); },
    telemetry: async () => undefined,
    commandAck: async () => undefined,
    heartbeat: async () => undefined,
    commandDelivered: async () => undefined,
    badMessage: async () => undefined,
    throttled: () => undefined,
    eventsSettled: async () => undefined,
  };
  const memory = new Map<string, number>();
  const stats = newGbStats();
  new GbConnection(socket as unknown as Socket, {
    directory, sink, stats, logger: pino({ level: 'silent' }), statuses: () => memory, bound: () => undefined, closed: () => undefined,
  });
  return { socket, stored, stats };
}

const time = fc.record({ second: fc.integer({ min: 0, max: 59 }), minute: fc.integer({ min: 0, max: 59 }), hour: fc.integer({ min: 0, max: 23 }), day: fc.integer({ min: 1, max: 28 }), month: fc.integer({ min: 1, max: 12 }), year: fc.integer({ min: 2000, max: 2099 }) });
const unit: fc.Arbitrary<Unit | null> = fc.oneof(
  fc.constant(null),
  fc.record({ status: fc.integer({ min: 0, max: 0xffff }), address: fc.integer({ min: 0, max: 0xffffffff }), description: fc.constantFrom('', '住院楼3层', 'B1 配电室', 'x'.repeat(40)), time })
    .map(({ status, address, description, time: t }): Unit => ({ type: 2, objects: [{ type: 2, systemType: 1, systemAddress: 1, componentType: 40, componentAddress: address, status, description, time: t }] })),
  fc.record({ status: fc.integer({ min: 0, max: 0xffff }), time }).map(({ status, time: t }): Unit => ({ type: 1, objects: [{ type: 1, systemType: 1, systemAddress: 2, status, time: t }] })),
  fc.record({ status: fc.integer({ min: 0, max: 0x7f }), time }).map(({ status, time: t }): Unit => ({ type: 21, objects: [{ type: 21, status, time: t }] })),
  fc.integer({ min: -32768, max: 32767 }).map((value): Unit => ({ type: 3, objects: [{ type: 3, systemType: 11, systemAddress: 1, componentType: 85, componentAddress: 1, analogType: 5, value, time: t0 }] })),
);

/** A frame from the device, then perhaps damaged: a byte changed, cut short, or garbage around it. */
const damage = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), keep: fc.nat() }),
  fc.record({ kind: fc.constant('noise' as const), before: fc.uint8Array({ maxLength: 40 }) }),
  fc.record({ kind: fc.constant('length' as const), length: fc.integer({ min: 0, max: 0xffff }) }),
);

/** Garbage before the frame, and the frame's own bytes (damaged or not). */
function build(serial: number, u: Unit | null, d: typeof damage extends fc.Arbitrary<infer T> ? T : never): { noise: Uint8Array; bytes: Uint8Array } {
  const none = new Uint8Array(0);
  const bytes = damaged(serial, u, d);
  return d.kind === 'noise' ? { noise: d.before, bytes } : { noise: none, bytes };
}

function damaged(serial: number, u: Unit | null, d: typeof damage extends fc.Arbitrary<infer T> ? T : never): Uint8Array {
  const frame: Frame = { serial, version: 0x0101, time: t0, source: DEVICE, destination: CENTRE, command: commands.send, data: u ? encodeUnit(u) : new Uint8Array(0) };
  const bytes = encodeFrame(frame);
  switch (d.kind) {
    case 'none': return bytes;
    case 'flip': { const b = bytes.slice(); const at = 4 + (d.at % (b.length - 4)); b[at] ^= d.xor; return b; } // the serial stays: it names the frame
    case 'cut': return bytes.subarray(0, d.keep % bytes.length);
    case 'noise': return bytes;
    case 'length': { const b = bytes.slice(); b[24] = d.length & 0xff; b[25] = d.length >> 8; return b; }
  }
}

/** Cuts a byte stream into reads at the given points. */
function reads(stream: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, stream.length]) { if (p > from) out.push(stream.subarray(from, p)); from = Math.max(from, p); }
  return out;
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('GB/T 26875.3 fuzzing', () => {
  it('mutated frames in random reads: nothing thrown, only clean frames confirmed, the heartbeat before them always', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.tuple(unit, damage), { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 10 }),
      async (items, cuts) => {
        const { socket } = harness();
        // serials 1..n in order; a frame is clean if exactly its bytes decode on their own (a sign-in frame first)
        const heartbeat = build(1000, null, { kind: 'none' }).bytes;
        const parts = items.map(([u, d], i) => build(i + 1, u, d));
        const isClean = (b: Uint8Array) => b.length >= 30 && b[0] === 0x40 && b[1] === 0x40 && b.length === 30 + (b[24]! | (b[25]! << 8)) && decodeFrame(b).ok;
        const clean = new Set(parts.flatMap((p, i) => (isClean(p.bytes) ? [i + 1] : [])));
        const stream = Uint8Array.from([...heartbeat, ...parts.flatMap((p) => [...p.noise, ...p.bytes])]);
        for (const chunk of reads(stream, cuts)) {
          expect(() => socket.emit('data', Buffer.from(chunk))).not.toThrow();
          await settle();
        }
        for (let i = 0; i < 20; i++) await settle();
        const confirmed = socket.written.map((w) => decodeFrame(w)).flatMap((r) => (r.ok && r.frame.command === commands.confirm ? [r.frame.serial] : []));
        for (const serial of confirmed) {
          if (serial === 1000) continue;
          // a damaged frame's bytes may hide a clean frame of another serial only if that frame is itself clean
          expect(clean.has(serial)).toBe(true);
        }
        // every clean frame that was not swallowed by a damaged one before it is confirmed: at least the heartbeat
        expect(confirmed).toContain(1000);
      },
    ), { numRuns: Math.ceil(RUNS / 2), seed: SEED });
  });

  it('random bytes: the reader never throws and never holds a frame\'s worth', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 8 }), fc.boolean(), (chunks, markers) => {
      const reader = new FrameReader();
      for (const chunk of chunks) {
        // sprinkle start markers so the reader starts (and abandons) frames
        const c = markers ? chunk.map((b, i) => (i % 97 === 0 ? 0x40 : b)) : chunk;
        const out = reader.push(c);
        expect(reader.buffered).toBeLessThan(MAX_FRAME_BYTES);
        for (const r of out) expect(r.size).toBeLessThanOrEqual(MAX_FRAME_BYTES);
      }
    }), { numRuns: RUNS * 2, seed: SEED });
  });

  it('random bytes to a connection: nothing thrown, nothing confirmed', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 1, maxLength: 1500 }), { maxLength: 6 }), async (chunks) => {
      const { socket } = harness();
      for (const chunk of chunks) {
        expect(() => socket.emit('data', Buffer.from(chunk))).not.toThrow();
        await settle();
      }
      const confirms = socket.written.map((w) => decodeFrame(w)).filter((r) => r.ok && r.frame.command === commands.confirm);
      expect(confirms).toEqual([]);
    }), { numRuns: RUNS, seed: SEED });
  });

  it('a resent frame makes the same event ids', async () => {
    const { socket, stored } = harness();
    const frame = damaged(7, { type: 2, objects: [{ type: 2, systemType: 1, systemAddress: 1, componentType: 40, componentAddress: 5, status: 0x0003, description: '门诊楼', time: t0 }] }, { kind: 'none' });
    socket.emit('data', Buffer.from(frame));
    for (let i = 0; i < 10; i++) await settle();
    const first = [...stored];
    // the same frame after a restart (nothing remembered): the same ids, which the store keeps once
    const again = harness();
    again.socket.emit('data', Buffer.from(frame));
    for (let i = 0; i < 10; i++) await settle();
    expect(first).toEqual(['000000000379-7-1a091a093a02-0-fire']);
    expect(again.stored).toEqual(first);
  });
});
