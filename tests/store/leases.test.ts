// Leases of a cluster's work (platform/store/leases.ts): one holder at a time, renewed by it, taken over once run out.
import { afterAll, describe, expect, it } from 'vitest';
import type { SqlExecutor } from '../../platform/store/executor.js';
import { Store } from '../../platform/store/store.js';
import { bothAdapters } from '../helpers/adapters.js';

describe.each(bothAdapters('leases'))('cluster leases on %s', (_kind, open) => {
  let db: SqlExecutor;
  afterAll(async () => { await db?.close(); });

  it('have one holder: it renews, others are refused until it runs out or gives it up', async () => {
    db = await open();
    const store = new Store(db);
    await store.migrate();
    const { leases } = store;
    expect(await leases.claim('jobs', 'node-a', 60_000)).toBe(true);
    expect(await leases.claim('jobs', 'node-b', 60_000)).toBe(false);
    expect(await leases.claim('jobs', 'node-a', 60_000)).toBe(true); // renewed
    expect(await leases.holder('jobs')).toBe('node-a');
    // another lease is another piece of work
    expect(await leases.claim('site:jh', 'node-b', 60_000)).toBe(true);

    // run out: node-a stopped renewing (a lease of 1 ms, then the database's clock moves on)
    expect(await leases.claim('jobs', 'node-a', 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(await leases.holder('jobs')).toBeNull();
    expect(await leases.claim('jobs', 'node-b', 60_000)).toBe(true);
    expect(await leases.claim('jobs', 'node-a', 60_000)).toBe(false);

    // given up: taken at once
    await leases.release('jobs', 'node-a'); // not its holder: nothing happens
    expect(await leases.holder('jobs')).toBe('node-b');
    await leases.release('jobs', 'node-b');
    expect(await leases.claim('jobs', 'node-c', 60_000)).toBe(true);
  });

  it('are claimed several at once: those free, run out or already held, not those another node holds', async () => {
    const { leases } = new Store(db);
    expect(await leases.claimAll(['rules:1', 'rules:2'], 'node-a', 60_000)).toEqual(new Set(['rules:1', 'rules:2']));
    expect(await leases.claimAll(['rules:2', 'rules:3'], 'node-b', 1)).toEqual(new Set(['rules:3']));
    await new Promise((r) => setTimeout(r, 20));
    // node-a renews its two and takes rules:3, run out; node-b gets nothing
    expect(await leases.claimAll(['rules:1', 'rules:2', 'rules:3'], 'node-a', 60_000)).toEqual(new Set(['rules:1', 'rules:2', 'rules:3']));
    expect(await leases.claimAll(['rules:3', 'rules:4'], 'node-b', 60_000)).toEqual(new Set(['rules:4']));
    expect(await leases.claimAll([], 'node-b', 60_000)).toEqual(new Set());
    expect((await leases.live('rules:')).map((l) => l.node)).toEqual(['node-a', 'node-a', 'node-a', 'node-b']);
  });
});
