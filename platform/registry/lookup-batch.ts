// Lookups by id made together. Ids asked for in the same turn of the event loop, or while the previous lookup is
// running, go into one statement: after a restart thousands of devices send their first message within a second,
// and a statement each (2,500 in the alarm storm bench's warm-up) kept the database busy for seconds, with a fire
// alarm waiting behind them.
export class LookupBatch<T> {
  /** The ids gathering for the next lookup, and what it will find. */
  private next: { ids: Set<string>; found: Promise<Map<string, T>> } | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly lookUp: (ids: string[]) => Promise<Map<string, T>>) {}

  /** What the next lookup finds for `id` (null: nothing). */
  async load(id: string): Promise<T | null> {
    if (!this.next) {
      const ids = new Set<string>();
      const found = this.running
        .then(() => new Promise((resolve) => setImmediate(resolve)))
        .then(() => {
          this.next = null;
          return this.lookUp([...ids]);
        });
      this.next = { ids, found };
      this.running = found.catch(() => undefined);
    }
    this.next.ids.add(id);
    return (await this.next.found).get(id) ?? null;
  }
}
