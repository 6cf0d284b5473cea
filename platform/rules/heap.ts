// A binary min-heap of timers ordered by (due, seq), so timers that fall due together pop in the
// order they were set: ticks stay deterministic. The engine never deletes from it: a timer that
// no longer matters is left in place and skipped when it pops (lazy invalidation).

export interface Timer {
  due: number;
  /** Unique and increasing; the record a timer belongs to keeps the seq of its live timer. */
  seq: number;
  kind: 'absence' | 'held' | 'metric';
  deviceId: string;
  /** absence: the rule id; held and metric: the open-item key of the entry. */
  key: string;
}

const before = (a: Timer, b: Timer): boolean => a.due < b.due || (a.due === b.due && a.seq < b.seq);

export class TimerHeap {
  /** Array layout of the heap; serialised as is. */
  readonly items: Timer[];

  constructor(items: Timer[] = []) {
    this.items = items;
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  get size(): number {
    return this.items.length;
  }

  peek(): Timer | undefined {
    return this.items[0];
  }

  push(timer: Timer): void {
    this.items.push(timer);
    this.up(this.items.length - 1);
  }

  pop(): Timer | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top !== undefined && last !== undefined && items.length > 0) {
      items[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const items = this.items;
    const t = items[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (!before(t, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = t;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const t = items[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && before(items[right]!, items[child]!)) child = right;
      if (!before(items[child]!, t)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = t;
  }
}
