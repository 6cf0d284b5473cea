// The dashboard's live lists (dashboard/src/liveList.ts): a snapshot with the pushes that arrived while it was read
// replayed on top. Pure, so tested here directly.
import { describe, expect, it } from 'vitest';
import { useLiveList } from '../../dashboard/src/liveList.js';

interface Rec { id: string; v: number }

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A list keyed by id that keeps the newest version of each record, and what it was told. */
function harness() {
  const shown = new Map<string, number>();
  const log: string[] = [];
  const fetches: ReturnType<typeof deferred<Rec[]>>[] = [];
  const list = useLiveList<Rec, Rec[]>({
    fetch: () => {
      const d = deferred<Rec[]>();
      fetches.push(d);
      return d.promise;
    },
    take: (snapshot) => {
      shown.clear();
      for (const r of snapshot) shown.set(r.id, r.v);
      log.push('take');
    },
    apply: (r, live) => {
      if ((shown.get(r.id) ?? -1) < r.v) shown.set(r.id, r.v);
      log.push(`${live ? 'live' : 'quiet'} ${r.id}@${r.v}`);
    },
    failed: () => log.push('failed'),
  });
  return { shown, log, fetches, list };
}

describe('a live list', () => {
  it('replays on top of the snapshot the pushes that arrived while it was read, so an older snapshot does not undo them', async () => {
    const { shown, log, fetches, list } = harness();
    const done = list.refresh();
    list.receive({ id: 'a', v: 2 });
    fetches[0]!.resolve([{ id: 'a', v: 1 }, { id: 'b', v: 1 }]);
    await expect(done).resolves.toBe(true);
    expect(Object.fromEntries(shown)).toEqual({ a: 2, b: 1 });
    expect(log).toEqual(['live a@2', 'take', 'quiet a@2']);
  });

  it('applies the answer to one of our own steps quietly, and replays it too', async () => {
    const { log, fetches, list } = harness();
    const done = list.refresh();
    list.receive({ id: 'a', v: 3 }, false);
    fetches[0]!.resolve([]);
    await done;
    expect(log).toEqual(['quiet a@3', 'take', 'quiet a@3']);
  });

  it('does not replay a push that came after the snapshot was in place', async () => {
    const { log, fetches, list } = harness();
    const done = list.refresh();
    fetches[0]!.resolve([]);
    await done;
    list.receive({ id: 'a', v: 1 });
    expect(log).toEqual(['take', 'live a@1']);
  });

  it('drops a snapshot a newer refresh superseded, and one that arrives after stop()', async () => {
    const { log, fetches, list } = harness();
    const first = list.refresh();
    const second = list.refresh();
    fetches[0]!.resolve([{ id: 'old', v: 1 }]);
    await expect(first).resolves.toBe(false);
    fetches[1]!.resolve([{ id: 'new', v: 1 }]);
    await expect(second).resolves.toBe(true);
    const third = list.refresh();
    list.stop();
    fetches[2]!.resolve([{ id: 'late', v: 1 }]);
    await expect(third).resolves.toBe(false);
    expect(log).toEqual(['take']);
  });

  it('says when the snapshot could not be read, and keeps no push for a replay that will not come', async () => {
    const { log, fetches, list } = harness();
    const done = list.refresh();
    fetches[0]!.reject(new Error('offline'));
    await expect(done).resolves.toBe(false);
    list.receive({ id: 'a', v: 1 });
    const again = list.refresh();
    fetches[1]!.resolve([]);
    await again;
    expect(log).toEqual(['failed', 'live a@1', 'take']);
  });
});
