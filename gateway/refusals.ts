// Refused sign-ins, per client id with its address and per address: each refusal past a few in a minute is answered
// later and later (up to MAX_DELAY_MS), so guessing or a misconfigured fleet hammering the gateway is slowed down.
// Only refusals wait: a device with the right secret signs in at once, whoever else is guessing its id.

const WINDOW_MS = 60_000;
const FREE_PER_KEY = 5;
const FREE_PER_ADDRESS = 50;
const BASE_DELAY_MS = 100;
const MAX_DELAY_MS = 5_000;
const MAX_TRACKED = 50_000;

export class SignInRefusals {
  private readonly recent = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a refusal and tells how long to hold its CONNACK back (0: answer now). */
  refuse(clientId: string, address: string): number {
    const pair = this.note(`${address}\u0000${clientId}`);
    const all = this.note(address);
    const over = Math.max(pair - FREE_PER_KEY, Math.floor((all - FREE_PER_ADDRESS) / 10), 0);
    return over === 0 ? 0 : Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(over - 1, 10));
  }

  /** Refusals of `key` within the window, this one included. */
  private note(key: string): number {
    const now = this.now();
    const times = (this.recent.get(key) ?? []).filter((at) => at > now - WINDOW_MS);
    times.push(now);
    this.recent.delete(key); // re-inserted last: the map's order is least recently refused first
    this.recent.set(key, times);
    if (this.recent.size > MAX_TRACKED) this.recent.delete(this.recent.keys().next().value!);
    return times.length;
  }
}
