// When a batch of device events starts, and when background work may run (EventBatches, with a store that only
// records): a batch takes the events of one turn of the event loop, and of the next while a burst is still read;
// background statements wait for a turn with no batch queued or committing, readings between their slices only for
// the batches. Pure timing, no database.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../contracts/device-api.js';
import type { Effects } from '../../platform/effects/apply.js';
import { EventBatches, GATHER_MIN_NEW, MAX_BATCH } from '../../platform/devices/event-batches.js';
import type { DeviceEntry } from '../../platform/registry/sites.js';
import type { Store } from '../../platform/store/store.js';

const device: DeviceEntry = { id: 'sd-1', family: 'smoke_detector', siteId: 's1', building: null, floor: null, zone: null, heartbeatSec: 60 };
const event = (id: string): DeviceEvent => ({ id, ts: Date.now(), type: 'smoke.alarm', data: {} });
const turn = () => new Promise((resolve) => setImmediate(resolve));
/** Turns of the event loop until `ok` (no clock: these tests are about turns). */
const turnsUntil = async (ok: () => boolean) => { while (!ok()) await turn(); };
const microtasks = async () => { for (let i = 0; i < 20; i++) await Promise.resolve(); };

/** Batches over a store whose transactions are recorded (the events in each) and held until `release`. */
function recording() {
  const batches: string[][] = [];
  let release: () => void = () => undefined;
  let held = Promise.resolve();
  const store = {
    transaction: async <T>(fn: (tx: never) => Promise<T>) => { await held; return fn({} as never); },
    insertEvents: async (_tx: unknown, rows: { event: DeviceEvent }[]) => { batches.push(rows.map((r) => r.event.id)); return rows.map(() => true); },
  } as unknown as Store;
  const effects = { apply: async () => undefined, publish: async () => undefined } as unknown as Effects;
  const events = new EventBatches({ store, effects, decide: async () => [], logger: pino({ level: 'silent' }) });
  return {
    events, batches,
    hold() { held = new Promise((resolve) => { release = resolve; }); },
    release: () => release(),
  };
}

describe('event batches and the event loop', () => {
  it('starts a batch after one turn of the event loop, with every event submitted before it', async () => {
    const { events, batches } = recording();
    const done = Promise.all(['a', 'b', 'c'].map((id) => events.submit(device, event(id), Date.now())));
    await microtasks();
    expect(batches).toEqual([]); // still gathering
    await turn();
    await done;
    expect(batches).toEqual([['a', 'b', 'c']]);
  });

  it('takes one more turn while a burst is still being read, and only one turn for a trickle', async () => {
    const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    /** `first` submitted; `during` read in the batch's first turn, `after` in the turn after it. */
    const run = async (first: string, during: string[], after: string) => {
      const { events, batches } = recording();
      const all: Promise<boolean>[] = [];
      const submit = (list: string[]) => all.push(...list.map((id) => events.submit(device, event(id), Date.now())));
      setImmediate(() => submit(during)); // before the batch's own turn: read in that turn
      submit([first]);
      setImmediate(() => submit([after]));
      await turnsUntil(() => all.length === during.length + 2);
      await Promise.all(all);
      return batches;
    };
    // a storm still arriving: its first turn read GATHER_MIN_NEW or more, so the batch takes the next turn's too
    expect(await run('a0', ids('b', GATHER_MIN_NEW), 'c0')).toEqual([['a0', ...ids('b', GATHER_MIN_NEW), 'c0']]);
    // a trickle: fewer new ones in the turn, and the batch starts at once
    expect(await run('e0', ids('d', GATHER_MIN_NEW - 1), 'f0')).toEqual([['e0', ...ids('d', GATHER_MIN_NEW - 1)], ['f0']]);
  });

  it('commits a burst that never ends, in batches of at most MAX_BATCH, each event once and in order', async () => {
    const { events, batches } = recording();
    const pending: Promise<boolean>[] = [];
    let n = 0;
    const feed = () => {
      for (let i = 0; i < 2 * GATHER_MIN_NEW; i++) pending.push(events.submit(device, event(`e${n++}`), Date.now()));
      if (batches.length < 2) setImmediate(feed);
    };
    feed();
    await turnsUntil(() => batches.length >= 2);
    await Promise.all(pending);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(MAX_BATCH);
    expect(batches.flat()).toEqual(Array.from({ length: n }, (_, i) => `e${i}`));
  });

  it('lets the readings go on at once when no batch is queued or committing, and wait while one is', async () => {
    const { events, hold, release } = recording();
    let settled = false;
    void events.settled().then(() => { settled = true; });
    await microtasks();
    expect(settled).toBe(true); // no turn needed
    hold();
    const stored = events.submit(device, event('y'), Date.now());
    settled = false;
    void events.settled().then(() => { settled = true; });
    for (let i = 0; i < 5; i++) await turn();
    expect(settled).toBe(false);
    release();
    await stored;
    for (let i = 0; i < 2; i++) await turn();
    expect(settled).toBe(true);
  });

  it('lets background statements run only after a turn with no batch queued or committing', async () => {
    const { events, batches, hold, release } = recording();
    let idle = false;
    void events.idle().then(() => { idle = true; });
    await microtasks();
    expect(idle).toBe(false); // a turn first: events read in it go first
    await turn();
    await microtasks();
    expect(idle).toBe(true);

    hold();
    const stored = events.submit(device, event('x'), Date.now());
    let after = false;
    void events.idle().then(() => { after = true; });
    for (let i = 0; i < 5; i++) await turn();
    expect(after).toBe(false); // the batch is committing
    release();
    await stored;
    for (let i = 0; i < 3; i++) await turn(); // the batch ends, then one more turn
    expect(after).toBe(true);
    expect(batches).toEqual([['x']]);
  });
});
