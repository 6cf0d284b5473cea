// A list shown from a snapshot of the API and kept current by socket pushes. The snapshot may have been taken before
// a push that arrives while it is on its way: such a push is applied at once and once more on top of the snapshot,
// so the list never goes back to an older state. Written once, for the alarm desk and the work orders.

export interface LiveListSource<T, Snapshot> {
  /** Reads the list from the API. */
  fetch(): Promise<Snapshot>;
  /** Puts a fresh snapshot in place; the pushes that arrived while it was read are applied after it. */
  take(snapshot: Snapshot): void;
  /**
   * Applies one record on top of what is shown: `live` for a push from the socket, not for the answer to one's own
   * step nor for a push replayed over a snapshot (nothing to announce). Must leave a newer state alone.
   */
  apply(record: T, live: boolean): void;
  /** The snapshot could not be read (the list stays as it was). */
  failed?(error: unknown): void;
}

export interface LiveList<T> {
  /** Reads the snapshot again; true once it is in place with the pushes replayed, false when it failed or a newer refresh superseded it. */
  refresh(): Promise<boolean>;
  /** A record pushed over the socket (`live`), or the server's answer to one of our own steps. */
  receive(record: T, live?: boolean): void;
  /** Answers still on their way are dropped (the view is gone). */
  stop(): void;
}

export function useLiveList<T, Snapshot>(source: LiveListSource<T, Snapshot>): LiveList<T> {
  let generation = 0;
  let arrivedDuringFetch: T[] | null = null;

  function receive(record: T, live = true): void {
    arrivedDuringFetch?.push(record);
    source.apply(record, live);
  }

  async function refresh(): Promise<boolean> {
    const mine = ++generation;
    const replay: T[] = [];
    arrivedDuringFetch = replay;
    try {
      const snapshot = await source.fetch();
      if (mine !== generation) return false;
      arrivedDuringFetch = null;
      source.take(snapshot);
      for (const record of replay) source.apply(record, false);
      return true;
    } catch (error) {
      if (mine !== generation) return false;
      arrivedDuringFetch = null;
      source.failed?.(error);
      return false;
    }
  }

  function stop(): void {
    generation++;
    arrivedDuringFetch = null;
  }

  return { refresh, receive, stop };
}
