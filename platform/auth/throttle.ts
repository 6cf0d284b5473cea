// Failed sign-ins. Guessing is slowed without letting anyone lock an account: `max` failures within `windowMs`
// for a username from one client address lock that pair (429) until the oldest ages out; failures from every
// address together only hold the failed answers back, longer as they add up (capped), so the right password
// from a known-good address still signs in at once. A successful sign-in clears its pair.

export interface FailureDelay {
  /** The hold-back of the first failure past `max`; each one after doubles it. */
  baseMs: number;
  capMs: number;
}

/** Timestamps of recent failures per key, the least recently failed forgotten first past `maxKeys`. */
class RecentFailures {
  private readonly byKey = new Map<string, number[]>();

  constructor(private readonly windowMs: number, private readonly maxKeys: number, private readonly maxPerKey: number) {}

  get size(): number {
    return this.byKey.size;
  }

  recent(key: string, now: number): number[] {
    return (this.byKey.get(key) ?? []).filter((at) => at > now - this.windowMs);
  }

  /** Adds a failure; returns the recent ones, this one included. */
  add(key: string, now: number): number[] {
    const recent = [...this.recent(key, now), now].slice(-this.maxPerKey);
    this.byKey.delete(key); // re-insert so the map's order is least recently failed first
    this.byKey.set(key, recent);
    if (this.byKey.size > this.maxKeys) this.byKey.delete(this.byKey.keys().next().value!);
    return recent;
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}

export class LoginThrottle {
  private readonly pairs: RecentFailures;
  private readonly usernames: RecentFailures;

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    /** Pairs, and usernames, remembered at most (guessed names and spoofed addresses must not grow memory). */
    maxTracked = 10_000,
    private readonly delay: FailureDelay = { baseMs: 250, capMs: 4000 },
  ) {
    this.pairs = new RecentFailures(windowMs, maxTracked, max);
    // past this many, the hold-back is at its cap: older failures need not be kept
    const toCap = max + Math.ceil(Math.log2(Math.max(1, delay.capMs / delay.baseMs))) + 1;
    this.usernames = new RecentFailures(windowMs, maxTracked, toCap);
  }

  /** Milliseconds until `address` may try `username` again; 0 when it may try now. */
  lockedFor(username: string, address: string, now = Date.now()): number {
    const recent = this.pairs.recent(pairKey(username, address), now);
    return recent.length >= this.max ? recent[0]! + this.windowMs - now : 0;
  }

  /** Records a failed sign-in; returns how long to hold its answer back. */
  fail(username: string, address: string, now = Date.now()): number {
    this.pairs.add(pairKey(username, address), now);
    const past = this.usernames.add(username, now).length - this.max;
    return past <= 0 ? 0 : Math.min(this.delay.capMs, this.delay.baseMs * 2 ** (past - 1));
  }

  reset(username: string, address: string): void {
    this.pairs.delete(pairKey(username, address));
  }

  /** How many pairs and usernames are remembered (bounded by `maxTracked` each). */
  tracked(): number {
    return Math.max(this.pairs.size, this.usernames.size);
  }
}

function pairKey(username: string, address: string): string {
  return `${address}\n${username}`;
}
