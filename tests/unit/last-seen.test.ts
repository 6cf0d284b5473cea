// Last-seen times in memory: a device heard from is online at once, before the 2 s batch writes its time. End to end
// in tests/platform/device-online.test.ts.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LastSeen, withLastSeen } from '../../platform/devices/last-seen.js';
import type { Device } from '../../contracts/records.js';
import type { Store } from '../../platform/store/store.js';

describe('last seen in memory (unit)', () => {
  const device: Device = {
    id: 'sd-1', family: 'smoke_detector', siteId: 's', model: null, building: null, floor: null, zone: null, heartbeatSec: 60, disabled: false,
    createdAt: '2026-01-01T00:00:00.000Z', lastSeenAt: null, online: false, badMessages: 0, lastBadReason: null, lastBadAt: null, throttled: 0, lastThrottledAt: null,
  } as Device;
  const now = Date.parse('2026-06-01T08:00:00Z');

  it('is online from a time heard within 3 heartbeats, not yet written', () => {
    expect(withLastSeen(device, now - 1000, now)).toMatchObject({ online: true, lastSeenAt: new Date(now - 1000).toISOString() });
    expect(withLastSeen(device, now - 181_000, now)).toMatchObject({ online: false });
    expect(withLastSeen(device, undefined, now)).toBe(device);
    // an older time in memory does not move a newer stored one back
    const stored = { ...device, lastSeenAt: new Date(now - 10).toISOString(), online: true };
    expect(withLastSeen(stored, now - 5000, now)).toBe(stored);
  });

  it('answers from the pending batch and from the batch being written, until the write is done', async () => {
    let release!: () => void;
    const writes: Map<string, number>[] = [];
    const store = { touchDevices: (batch: Map<string, number>) => { writes.push(batch); return new Promise<void>((r) => { release = r; }); } } as unknown as Store;
    const seen = new LastSeen(store, pino({ level: 'silent' }));
    seen.mark('a', 100);
    seen.mark('a', 90);
    expect(seen.seen('a')).toBe(100);
    const flushing = seen.flush();
    await new Promise((resolve) => setImmediate(resolve)); // the write starts once the events in hand are stored
    expect(seen.seen('a')).toBe(100); // being written
    seen.mark('a', 120);
    expect(seen.seen('a')).toBe(120);
    release();
    await flushing;
    expect(writes[0]).toEqual(new Map([['a', 100]]));
    expect(seen.seen('a')).toBe(120);
    expect(seen.seen('b')).toBeUndefined();
  });

  it('writes a fleet in statements of 500, each after the events in hand; a failed one is kept for the next flush', async () => {
    const log: string[] = [];
    let fail = 2; // the third statement fails
    const store = {
      touchDevices: async (batch: Map<string, number>) => {
        if (log.filter((l) => l.startsWith('write')).length === fail) { log.push('fail'); throw new Error('database away'); }
        log.push(`write ${batch.size}`);
      },
    } as unknown as Store;
    const seen = new LastSeen(store, pino({ level: 'silent' }), async () => { log.push('yield'); });
    for (let i = 0; i < 1300; i++) seen.mark(`d${i}`, 1000 + i);
    await seen.flush();
    expect(log).toEqual(['yield', 'write 500', 'yield', 'write 500', 'yield', 'fail']);
    // the 300 not written wait for the next flush; the 1,000 written are not written again
    expect(seen.seen('d999')).toBeUndefined();
    expect(seen.seen('d1000')).toBe(2000);
    log.length = 0;
    fail = Infinity;
    await seen.flush();
    expect(log).toEqual(['yield', 'write 300']);
  });
});
