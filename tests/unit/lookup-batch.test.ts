// Lookups by id made together (platform/registry/lookup-batch.ts): one statement for the ids of a turn, the ids asked
// for while it runs in the next one, nothing found as null, a failure told to the callers of its lookup only.
import { describe, expect, it } from 'vitest';
import { LookupBatch } from '../../platform/registry/lookup-batch.js';

function recording(fail?: (ids: string[]) => boolean) {
  const calls: string[][] = [];
  let release: () => void = () => undefined;
  let hold: Promise<void> | null = null;
  const batch = new LookupBatch<string>(async (ids) => {
    calls.push(ids);
    if (hold) await hold;
    if (fail?.(ids)) throw new Error('database away');
    return new Map(ids.filter((id) => !id.startsWith('unknown')).map((id) => [id, `device ${id}`]));
  });
  const holdNext = () => { hold = new Promise((resolve) => { release = () => { hold = null; resolve(); }; }); };
  return { batch, calls, holdNext, release: () => release() };
}

describe('lookup batch (unit)', () => {
  it('looks up the ids asked for in one turn with one call, and answers each its own', async () => {
    const { batch, calls } = recording();
    const found = await Promise.all(['a', 'b', 'unknown-1', 'a'].map((id) => batch.load(id)));
    expect(found).toEqual(['device a', 'device b', null, 'device a']);
    expect(calls).toEqual([['a', 'b', 'unknown-1']]);
  });

  it('gathers the ids asked for while a lookup runs into the next one', async () => {
    const { batch, calls, holdNext, release } = recording();
    holdNext();
    const first = batch.load('a');
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual([['a']]);
    const later = ['b', 'c', 'd'].map((id) => batch.load(id));
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(1); // b, c and d wait for a's lookup
    release();
    expect(await first).toBe('device a');
    expect(await Promise.all(later)).toEqual(['device b', 'device c', 'device d']);
    expect(calls).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('fails the callers of a failed lookup only; the next lookup goes ahead', async () => {
    const { batch, calls } = recording((ids) => ids.includes('x'));
    await expect(Promise.all([batch.load('x'), batch.load('y')])).rejects.toThrow('database away');
    expect(await batch.load('z')).toBe('device z');
    expect(calls).toEqual([['x', 'y'], ['z']]);
  });
});
