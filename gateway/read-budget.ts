// How much of the devices' data the broker takes in one turn of the event loop. aedes reads a connection's whole
// buffer and handles every message in it before the event loop turns again, and one turn reads every socket that has
// data: under 400,000 readings from 2,000 devices at once one turn took 13 s, and neither a fire alarm nor the health
// check was read meanwhile. Metered, aedes is handed at most `perRead` bytes of a connection at a time and about
// `perTurn` bytes a turn across all of them. A connection with more waits its turn, in order (its data stays in its
// socket's buffer, then the kernel's, which slows the device down in TCP); a connection that was quiet (a detector
// with its one alarm) is read in the turn its data comes, ahead of those waiting.
import type { Readable } from 'node:stream';

export class ReadBudget {
  /** Bytes left this turn for connections that are not waiting. */
  private left: number;
  /** Connections with data left over, in the order they were left waiting. */
  private waiting = new Set<Readable>();
  private refilling = false;

  constructor(private readonly perTurn: number, private readonly perRead: number) {
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
      return take === 0 ? null : read(take);
    };
  }

  /**
   * Next turn: the connections waiting are read first, in order, `perRead` at a time while `perTurn` lasts (aedes may
   * read one again as soon as it has handled what it was given; those with more still wait, at the back); then the
   * turn after has a fresh `perTurn` for connections whose data has just come.
   */
  private refillNextTurn(): void {
    if (this.refilling) return;
    this.refilling = true;
    setImmediate(() => {
      this.refilling = false;
      this.left = this.perTurn;
      for (const stream of this.waiting) {
        if (this.left <= 0) break;
        this.waiting.delete(stream);
        // 'readable' makes aedes read again
        if (!stream.destroyed && stream.readableLength > 0) stream.emit('readable');
      }
      this.left = this.perTurn;
      if (this.waiting.size > 0) this.refillNextTurn();
    });
  }
}
