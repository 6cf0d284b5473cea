// The narrow SQL surface both database adapters provide; the store is written once against it.
export interface Queryable {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface SqlExecutor extends Queryable {
  /** Runs `fn` in one transaction: all of it commits or none of it does. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while holding the lock `name` (not a transaction: `fn` queries as it likes). On PostgreSQL the lock is
   * held across every process on the database (nodes of a cluster setting up together take turns); PGlite belongs to
   * one process, which runs `fn` at once.
   */
  exclusively<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
  readonly kind: 'pglite' | 'postgres';
}
