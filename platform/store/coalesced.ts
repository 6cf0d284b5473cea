// Lookups by key asked for within a millisecond, answered together by one query: a reconnect storm's thousands
// of sign-ins read their devices in a few statements, not in one each. (One turn of the event loop is not enough:
// aedes defers each CONNECT's sign-in by a turn of its own, so the sign-ins of a storm arrive one turn apart.)
/** How long the first lookup waits for others to join it. */
const WINDOW_MS = 1;

interface Waiter<V> { resolve(value: V | null): void; reject(err: unknown): void }

export class Coalesced<K, V> {
  private waiting = new Map<K, Waiter<V>[]>();
  /** Queries made (the tests count them). */
  loads = 0;

  constructor(
    /** Finds the keys' values; a key it leaves out is answered null. */
    private readonly loadMany: (keys: K[]) => Promise<ReadonlyMap<K, V>>,
    /** Keys per query at most. */
    private readonly max = 1000,
  ) {}

  get(key: K): Promise<V | null> {
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(key);
      if (waiters) { waiters.push({ resolve, reject }); return; }
      if (this.waiting.size === 0) setTimeout(() => void this.flush(), WINDOW_MS);
      this.waiting.set(key, [{ resolve, reject }]);
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = new Map();
    const keys = [...batch.keys()];
    for (let i = 0; i < keys.length; i += this.max) {
      const chunk = keys.slice(i, i + this.max);
      this.loads++;
      try {
        const found = await this.loadMany(chunk);
        for (const key of chunk) for (const w of batch.get(key)!) w.resolve(found.get(key) ?? null);
      } catch (err) {
        for (const key of chunk) for (const w of batch.get(key)!) w.reject(err);
      }
    }
  }
}
