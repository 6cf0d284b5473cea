// How much of the devices' data the broker takes a turn (gateway/read-budget.ts): a connection at most `perRead` at a
// time, all of them about `perTurn` a turn, the ones waiting the least busy first, and a quiet connection's data in
// the turn it comes; nothing lost, nothing reordered.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ReadBudget } from '../../gateway/read-budget.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Streams read as aedes reads a connection: on 'readable', `read()` until it answers null. */
function connections(budget: ReadBudget, n: number) {
  const received = Array.from({ length: n }, () => [] as Buffer[]);
  const streams = received.map((chunks) => {
    const stream = new PassThrough();
    budget.meter(stream);
    stream.on('readable', () => {
      for (let chunk = stream.read(); chunk !== null; chunk = stream.read()) chunks.push(chunk);
    });
    return stream;
  });
  const bytes = (i: number) => received[i]!.reduce((sum, c) => sum + c.length, 0);
  return { streams, received, bytes };
}

describe('read budget (unit)', () => {
  it('hands out at most perRead a connection at a time and about perTurn a turn, and everything in the end, in order', async () => {
    const budget = new ReadBudget(1000, 100);
    const { streams, received, bytes } = connections(budget, 2);
    const data = [Buffer.alloc(5000, 'a'), Buffer.alloc(5000, 'b')].map((b, i) => Buffer.from(b.map((_, k) => 65 + ((k + i) % 26))));
    streams.forEach((s, i) => s.write(data[i]));
    const perTurn: number[] = [];
    let total = 0;
    while (total < 10_000) {
      await turn();
      const now = bytes(0) + bytes(1);
      perTurn.push(now - total);
      total = now;
      if (perTurn.length > 100) break;
    }
    expect(received.flat().every((c) => c.length <= 100)).toBe(true);
    // the turn's own budget and the waiting connections' (1,000 each)
    expect(Math.max(...perTurn)).toBeLessThanOrEqual(2000);
    expect(perTurn.length).toBeGreaterThan(5);
    expect(Buffer.concat(received[0]!)).toEqual(data[0]);
    expect(Buffer.concat(received[1]!)).toEqual(data[1]);
  });

  it('reads a quiet connection in the turn its data comes, ahead of those waiting', async () => {
    const budget = new ReadBudget(1000, 100);
    const { streams, bytes } = connections(budget, 3);
    streams[0]!.write(Buffer.alloc(20_000, 1));
    streams[1]!.write(Buffer.alloc(20_000, 2));
    await turn();
    await turn();
    expect(bytes(0) + bytes(1)).toBeLessThan(40_000); // both still waiting
    streams[2]!.write(Buffer.from('smoke.alarm'));
    await turn();
    expect(bytes(2)).toBe(11);
    expect(bytes(0) + bytes(1)).toBeLessThan(40_000);
  });

  it('reads a quiet connection that found the turn spent before the busy ones waiting, the next turn', async () => {
    const budget = new ReadBudget(1000, 100);
    const { streams, bytes } = connections(budget, 41);
    const busy = streams.slice(0, 40);
    const quiet = streams[40]!;
    // the busy connections have been read lately (4,000 bytes each), and then everything was read
    for (let t = 0; t < 40; t++) busy.forEach((s) => s.write(Buffer.alloc(100, 7)));
    for (let t = 0; t < 200 && busy.some((_, i) => bytes(i) < 4000); t++) await turn();
    expect(busy.every((_, i) => bytes(i) === 4000)).toBe(true);
    await turn(); // nothing waits, nothing is refilled
    // now their data comes first and spends the turn's budget: 10 of them are read, 30 wait, and the alarm too
    busy.forEach((s) => s.write(Buffer.alloc(100, 7)));
    quiet.write(Buffer.from('smoke.alarm'));
    await turn();
    expect(bytes(40)).toBe(0);
    expect(busy.filter((_, i) => bytes(i) === 4100)).toHaveLength(10);
    // next turn the alarm goes first; in arrival order it would wait behind the 30 (three turns of 1,000 bytes)
    await turn();
    expect(bytes(40)).toBe(11);
  });

  it('counts the bytes handed out lately as halving every half-life: a connection busy long ago goes before one busy just now', async () => {
    const budget = new ReadBudget(100, 100, 20);
    const { streams, bytes } = connections(budget, 2);
    const [past, recent] = [0, 1];
    const readAll = async (i: number, n: number) => {
      for (let t = 0; t < 500 && bytes(i) < n; t++) await turn();
      expect(bytes(i)).toBe(n);
      await turn(); // nothing waits, nothing is refilled
    };
    streams[past]!.write(Buffer.alloc(4000, 1));
    await readAll(past, 4000);
    await new Promise((resolve) => setTimeout(resolve, 100)); // five half-lives: 4,000 bytes then count as ~125
    streams[recent]!.write(Buffer.alloc(400, 2));
    await readAll(recent, 400);
    // both have more; the recent one comes first and takes the turn's budget, so both wait
    streams[recent]!.write(Buffer.alloc(1000, 2));
    streams[past]!.write(Buffer.alloc(1000, 1));
    await turn();
    expect([bytes(past), bytes(recent)]).toEqual([4000, 500]);
    // the turns after serve the one less busy lately, twice; undecayed (4,100 against 500) or in arrival order the
    // recent one would be served first
    await turn();
    await turn();
    expect([bytes(past), bytes(recent)]).toEqual([4200, 500]);
  });

  it('lets reads of a given size through (the stream starting itself), and a connection with nothing buffered', () => {
    const budget = new ReadBudget(10, 5);
    const { streams } = connections(budget, 1);
    expect(streams[0]!.read(0)).toBeNull();
    expect(streams[0]!.read()).toBeNull();
  });
});
