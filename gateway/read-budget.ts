// How much of the devices' data the broker takes in one turn of the event loop. aedes reads a connection's whole
// buffer and handles every message in it before the event loop turns again, and one turn reads every socket that has
// data: under 400,000 readings from 2,000 devices at once one turn took 13 s, and neither a fire alarm nor the health
// check was read meanwhile. Metered, aedes is handed at most `perRead` bytes of a connection at a time and about
// `perTurn` bytes a turn across all of them. A connection with more waits its turn (its data stays in its socket's
// buffer, then the kernel's, which slows the device down in TCP). The connections waiting are served the least busy
// first: the one that was handed the fewest bytes lately (decaying by half every `halfLifeMs`). So a detector silent
// until its alarm is read at the latest one turn after its data comes, however many busy connections wait, where in
// arrival order it had waited behind a thousand charging stations' readings (for 0.3-0.8 s in the alarm storm bench).
// The waiting connections are kept in a priority queue, so a turn costs the connections it serves, not all that wait
// (sorting 2,000 waiting stations every turn took 5 % of the broker's time under steady telemetry).
import type { Readable } from 'node:stream';
import TinyQueue from 'tinyqueue';

/** The bytes a connection was handed lately: `bytes` as of `at`, halving every half-life since. */
interface Recent { bytes: number; at: number }

/**
 * A connection waiting its turn. `busy` orders the connections as the bytes they were handed lately do at any one
 * moment: log2(bytes * 2^(-(now - at) / halfLife)) is log2(bytes) + at / halfLife less the same now / halfLife for
 * all, so it need not be recomputed as time passes. `seq` keeps arrival order among equals (those never handed any).
 */
interface Waiting { stream: Readable; busy: number; seq: number }

export class ReadBudget {
  /** Bytes left this turn for connections that are not waiting. */
  private left: number;
  /** Connections with data left over, and the same in their order of service. */
  private waiting = new Set<Readable>();
  private queue = new TinyQueue<Waiting>([], (a, b) => (a.busy - b.busy) || (a.seq - b.seq));
  private seq = 0;
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
      const recent = take > 0 ? this.handed(stream, take) : this.recent.get(stream);
      if (take < buffered) this.wait(stream, recent);
      this.refillNextTurn();
      return take === 0 ? null : read(take);
    };
  }

  /** Adds `take` to the bytes `stream` was handed lately. */
  private handed(stream: Readable, take: number): Recent {
    const at = performance.now();
    const r = this.recent.get(stream);
    if (!r) {
      const first = { bytes: take, at };
      this.recent.set(stream, first);
      return first;
    }
    r.bytes = r.bytes * 2 ** (-(at - r.at) / this.halfLifeMs) + take;
    r.at = at;
    return r;
  }

  private wait(stream: Readable, recent: Recent | undefined): void {
    this.waiting.add(stream);
    const busy = recent ? Math.log2(recent.bytes) + recent.at / this.halfLifeMs : -Infinity;
    this.queue.push({ stream, busy, seq: this.seq++ });
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
      for (let next = this.queue.pop(); next; next = this.left > 0 ? this.queue.pop() : undefined) {
        const { stream } = next;
        this.waiting.delete(stream);
        if (!stream.destroyed && stream.readableLength > 0) stream.emit('readable'); // aedes reads again
      }
      this.left = this.perTurn;
      if (this.waiting.size > 0) this.refillNextTurn();
    });
  }
}
