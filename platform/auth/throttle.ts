// Failed sign-ins per username: after `max` failures within `windowMs` the name is locked until the
// oldest of them ages out, whatever address the guesses come from. A successful sign-in clears it.
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly max: number, private readonly windowMs: number, private readonly maxTracked = 10_000) {}

  /** Milliseconds until `username` may try again; 0 when it may try now. */
  lockedFor(username: string, now = Date.now()): number {
    const recent = this.recent(username, now);
    return recent.length >= this.max ? recent[0]! + this.windowMs - now : 0;
  }

  fail(username: string, now = Date.now()): void {
    const recent = this.recent(username, now);
    recent.push(now);
    this.failures.delete(username); // re-insert so the map's order is least recently failed first
    this.failures.set(username, recent);
    // Guessed usernames must not grow the map without bound: forget the stalest.
    if (this.failures.size > this.maxTracked) this.failures.delete(this.failures.keys().next().value!);
  }

  reset(username: string): void {
    this.failures.delete(username);
  }

  private recent(username: string, now: number): number[] {
    return (this.failures.get(username) ?? []).filter((at) => at > now - this.windowMs);
  }
}
