// Lookups asked for within a millisecond are answered by one query each chunk, each with its own value.
import { describe, expect, it } from 'vitest';
import { Coalesced } from '../../platform/store/coalesced.js';

describe('coalesced lookups', () => {
  it('answers the keys asked for together with one load, each its own value or null, the same key once', async () => {
    const loads: string[][] = [];
    const lookup = new Coalesced<string, number>(async (keys) => {
      loads.push(keys);
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.length]));
    });
    const answers = await Promise.all(['a', 'bb', 'missing', 'a', 'ccc'].map((k) => lookup.get(k)));
    expect(answers).toEqual([1, 2, null, 1, 3]);
    expect(loads).toEqual([['a', 'bb', 'missing', 'ccc']]);
    // a later lookup is a load of its own
    expect(await lookup.get('dddd')).toBe(4);
    expect(loads).toHaveLength(2);
  });

  it('splits many keys into loads of at most `max` keys, and a failed load rejects only its own keys', async () => {
    const lookup = new Coalesced<number, number>(async (keys) => {
      if (keys.includes(5)) throw new Error('the database is gone');
      return new Map(keys.map((k) => [k, k * 10]));
    }, 4);
    const settled = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => lookup.get(i)));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : 'failed'))).toEqual([0, 10, 20, 30, 'failed', 'failed', 'failed', 'failed', 80, 90]);
    expect(lookup.loads).toBe(3);
  });
});
