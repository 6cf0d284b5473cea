// Readings sent at most once (QoS 0) yield to events. Decoding, validating and running the rules over ten
// thousand readings a second takes much of the one thread FireNet has; done as they arrive, it would run
// between a fire alarm's arrival and its commit. So such readings wait here, and are processed in slices,
// each slice only once no event waits to be stored (`yieldTo`) and with a turn of the event loop between
// slices, so events read meanwhile go first. Past `max` waiting, readings are shed and counted.
export interface ReadingQueueOptions {
  /** Resolves once no event waits to be stored. */
  yieldTo(): Promise<void>;
  /** Readings waiting past which new ones are shed. */
  max: number;
  /** Readings processed together between two turns of the event loop. */
  slice: number;
  /** A reading whose processing failed (the store is away): it is gone, as QoS 0 allows, but told. */
  failed(err: unknown): void;
}

export class ReadingQueue {
  private items: (() => Promise<void>)[] = [];
  private head = 0;
  private running = false;
  /** Readings dropped because `max` were waiting. */
  shed = 0;

  constructor(private readonly opts: ReadingQueueOptions) {}

  get waiting(): number {
    return this.items.length - this.head;
  }

  /** Queues one reading's processing; false (and counted) if too many wait. */
  push(process: () => Promise<void>): boolean {
    if (this.waiting >= this.opts.max) {
      this.shed++;
      return false;
    }
    this.items.push(process);
    if (!this.running) void this.run();
    return true;
  }

  /** Resolves once every reading queued so far has been processed. */
  async drained(): Promise<void> {
    while (this.running) await new Promise((resolve) => setImmediate(resolve));
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting > 0) {
        await this.opts.yieldTo();
        const end = Math.min(this.items.length, this.head + this.opts.slice);
        const slice = this.items.slice(this.head, end);
        this.head = end;
        if (this.head === this.items.length) [this.items, this.head] = [[], 0];
        else if (this.head > 4096) [this.items, this.head] = [this.items.slice(this.head), 0];
        await Promise.all(slice.map((process) => process().catch((err: unknown) => this.opts.failed(err))));
        if (this.waiting > 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
    }
  }
}
