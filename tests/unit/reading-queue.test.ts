// Readings sent at most once yield to events (gateway/reading-queue.ts): none is processed while an event waits,
// they go in slices with a turn of the event loop between, past the bound they are shed and counted.
import { describe, expect, it } from 'vitest';
import { ReadingQueue } from '../../gateway/reading-queue.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A gate standing for the event batches: closed while an event waits, `open` lets readings through. */
function eventGate() {
  let release: (() => void) | null = null;
  let waiting: Promise<void> | null = null;
  return {
    close() { waiting = new Promise((resolve) => { release = resolve; }); },
    open() { release?.(); waiting = null; },
    settled: () => waiting ?? Promise.resolve(),
  };
}

describe('reading queue (unit)', () => {
  it('processes nothing while an event waits, then every reading in order', async () => {
    const gate = eventGate();
    const done: number[] = [];
    const queue = new ReadingQueue({ yieldTo: gate.settled, max: 100, slice: 4, failed: () => undefined });
    gate.close();
    for (let i = 0; i < 10; i++) queue.push(async () => { done.push(i); });
    await turn();
    await turn();
    expect(done).toEqual([]);
    expect(queue.waiting).toBe(10);
    gate.open();
    await queue.drained();
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(queue.waiting).toBe(0);
  });

  it('gives the event loop a turn between slices, and asks the events again before each slice', async () => {
    const gate = eventGate();
    const done: number[] = [];
    const queue = new ReadingQueue({ yieldTo: gate.settled, max: 100, slice: 3, failed: () => undefined });
    for (let i = 0; i < 9; i++) queue.push(async () => { done.push(i); });
    await Promise.resolve();
    await Promise.resolve();
    expect(done).toEqual([0, 1, 2]); // the first slice only: the next one waits for a turn
    gate.close(); // an event arrives during that turn
    await turn();
    await turn();
    expect(done).toEqual([0, 1, 2]);
    gate.open();
    await queue.drained();
    expect(done).toHaveLength(9);
  });

  it('sheds and counts readings past the bound, and takes them again once there is room', async () => {
    const gate = eventGate();
    const queue = new ReadingQueue({ yieldTo: gate.settled, max: 5, slice: 10, failed: () => undefined });
    gate.close();
    let processed = 0;
    const taken = Array.from({ length: 8 }, () => queue.push(async () => { processed++; }));
    expect(taken).toEqual([true, true, true, true, true, false, false, false]);
    expect(queue.shed).toBe(3);
    gate.open();
    await queue.drained();
    expect(processed).toBe(5);
    expect(queue.push(async () => { processed++; })).toBe(true);
    await queue.drained();
    expect(processed).toBe(6);
  });

  it('tells of a reading that failed and goes on with the others', async () => {
    const failures: unknown[] = [];
    const done: number[] = [];
    const queue = new ReadingQueue({ yieldTo: async () => undefined, max: 10, slice: 2, failed: (err) => failures.push(err) });
    queue.push(async () => { throw new Error('store away'); });
    for (let i = 0; i < 3; i++) queue.push(async () => { done.push(i); });
    await queue.drained();
    expect(failures).toEqual([new Error('store away')]);
    expect(done).toEqual([0, 1, 2]);
  });
});
