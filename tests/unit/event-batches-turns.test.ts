// When a batch of device events starts, and when background work may run (EventBatches, with a store that only
// records): a batch takes the events of one turn of the event loop; background statements wait for a turn with no
// batch queued or committing, readings between their slices only for the batches. Pure timing, no database.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../contracts/device-api.js';
import type { Effects } from '../../platform/effects/apply.js';
import { EventBatches } from '../../platform/devices/event-batches.js';
import type { DeviceEntry } from '../../platform/registry/sites.js';
import type { Store } from '../../platform/store/store.js';

const device: DeviceEntry = { id: 'sd-1', family: 'smoke_detector', siteId: 's1', building: null, floor: null, zone: null, heartbeatSec: 60 };
const event = (id: string): DeviceEvent => ({ id, ts: Date.now(), type: 'smoke.alarm', data: {} });
const turn = () => new Promise((resolve) => setImmediate(resolve));
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
