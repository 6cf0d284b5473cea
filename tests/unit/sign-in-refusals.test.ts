// Refused device sign-ins are answered later and later per client id and address, and per address; pure, fake clock.
import { describe, expect, it } from 'vitest';
import { SignInRefusals } from '../../gateway/refusals.js';

describe('refused device sign-ins', () => {
  it('answers the first few refusals of a client id at once, then later and later up to 5 s, and forgets after a minute', () => {
    let now = 0;
    const refusals = new SignInRefusals(() => now);
    const waits = Array.from({ length: 12 }, () => refusals.refuse('sd-1', '10.0.0.7'));
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(waits.slice(5, 8)).toEqual([100, 200, 400]);
    expect(waits.at(-1)).toBe(5000);
    // the same id from another address, and another id from this address, are not held back by it
    expect(refusals.refuse('sd-1', '10.0.0.8')).toBe(0);
    expect(refusals.refuse('sd-2', '10.0.0.7')).toBe(0);
    now += 61_000;
    expect(refusals.refuse('sd-1', '10.0.0.7')).toBe(0);
  });

  it('holds back an address that is refused for many different ids (a scan)', () => {
    const refusals = new SignInRefusals(() => 0);
    const waits = Array.from({ length: 80 }, (_, i) => refusals.refuse(`sd-${i}`, '10.0.0.9'));
    expect(waits.slice(0, 50).every((w) => w === 0)).toBe(true);
    expect(waits.at(-1)).toBeGreaterThan(0);
  });
});
