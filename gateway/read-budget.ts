// How much of the devices' data the broker takes in one turn of the event loop. aedes reads a connection's whole
// buffer and handles every message in it before the event loop turns again, and one turn reads every socket that has
// data: under 400,000 readings from 2,000 devices at once one turn took 13 s, and neither a fire alarm nor the health
// check was read meanwhile. Metered, aedes is handed at most `perRead` bytes of a connection at a time and about
// `perTurn` bytes a turn across all of them. A connection with more waits its turn (its data stays in its socket's
// buffer, then the kernel's, which slows the device down in TCP). The connections waiting are served the least busy
// first: the one that was handed the fewest bytes lately (decaying by half every `halfLifeMs`). So a detector silent
// until its alarm is read at the latest one turn after its data comes, however many busy connections wait, where in
// arrival order it had waited behind a thousand charging stations' readings (for 0.3-0.8 s in the alarm storm bench).
import type { Readable } from 'node:stream';

/** The bytes a connection was handed lately: `bytes` as of `at`, halving every half-life since. */
interface Recent { bytes: number; at: number }

export class ReadBudget {
  /** Bytes left this turn for connections that are not waiting. */
  private left: number;
  /** Connections with data left over. */
  private waiting = new Set<Readable>();
  private recent = new WeakMap<Readable, Recent>();
  private refilling = false;

  constructor(
    private readonly perTurn: number,
    private readonly perRead: number,
    private readonly halfLifeMs = 1000,
  ) {
    this.left = perTurn;
  }

  /** Meters what `stream.read()` hands out (aedes reads a connection with `read(null)` on 'readable'). */
  meter(stream: Readable): void {
    const read = stream.read.bind(stream);
    stream.read = (size?: number) => {
      // a read of a given size is the stream's own business (read(0) starts the socket reading)
      if (size !== undefined && size !== null) return read(size);
      const buffered = stream.readableLength;
      if (buffered === 0) return read();
      if (this.waiting.has(stream)) return null; // its turn comes
      const take = Math.min(buffered, this.left, this.perRead);
      this.left -= take;
      if (take < buffered) this.waiting.add(stream);
      this.refillNextTurn();
      if (take === 0) return null;
      const at = performance.now();
      this.recent.set(stream, { bytes: this.lately(stream, at) + take, at });
      return read(take);
    };
  }

  /** The bytes `stream` was handed lately, as of `at`. */
  private lately(stream: Readable, at: number): number {
    const r = this.recent.get(stream);
    return r ? r.bytes * 2 ** (-(at - r.at) / this.halfLifeMs) : 0;
  }

  /**
   * Next turn: the connections waiting are read first, the least busy first, `perRead` at a time while `perTurn`
   * lasts (aedes may read one again as soon as it has handled what it was given; those with more still wait); then
   * the turn after has a fresh `perTurn` for connections whose data has just come.
   */
  private refillNextTurn(): void {
    if (this.refilling) return;
    this.refilling = true;
    setImmediate(() => {
      this.refilling = false;
      this.left = this.perTurn;
      const at = performance.now();
      const order: [Readable, number][] = [];
      for (const stream of this.waiting) {
        if (stream.destroyed || stream.readableLength === 0) this.waiting.delete(stream);
        else order.push([stream, this.lately(stream, at)]);
      }
      for (const [stream] of order.sort((a, b) => a[1] - b[1])) {
        if (this.left <= 0) break;
        this.waiting.delete(stream);
        stream.emit('readable'); // aedes reads again
      }
      this.left = this.perTurn;
      if (this.waiting.size > 0) this.refillNextTurn();
    });
  }
}
