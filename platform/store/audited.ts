// A change and its audit entry commit together, or neither does. While a request that may change something
// runs, its audit entry waits here; the first of the request's transactions that writes carries the entry
// and commits with it (or rolls back with it, also when the entry cannot be written). A plain query in such
// a request runs as a transaction too, so no write can take effect beside its entry.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditEntry } from '../../contracts/records.js';
import type { Queryable, SqlExecutor } from './executor.js';

export class PendingAudit {
  /** The audit_log row, once a transaction carrying the entry has committed. */
  rowId: string | null = null;
  /** Set when the request is answered (`settle`): work that outlives it (in its async context) carries nothing. */
  settled = false;

  constructor(readonly entry: AuditEntry) {}

  get waiting(): boolean {
    return this.rowId === null && !this.settled;
  }
}

const current = new AsyncLocalStorage<PendingAudit>();
/** Requests running with an entry that are not answered yet. */
let unsettled = 0;

/** Runs `fn` (the rest of a request) with `pending` as the entry its changes must carry; `settle` it once answered. */
export function withPendingAudit<T>(pending: PendingAudit, fn: () => T): T {
  unsettled++;
  return current.run(pending, fn);
}

/**
 * The request is answered: its entry is carried no more. With none left unsettled the storage is disabled: an
 * enabled AsyncLocalStorage makes Node run a hook on every promise of the process (the device path's too, some
 * 2-3x slower on promise-heavy code), and it is enabled again by the next request that may change something.
 */
export function settle(pending: PendingAudit): void {
  if (pending.settled) return;
  pending.settled = true;
  if (--unsettled === 0) current.disable();
}

/** Postgres gives a transaction an id at its first write: none means it changed nothing. */
const WROTE_SQL = 'select pg_current_xact_id_if_assigned() is not null as wrote';

/** `db`, with every transaction of a request that waits on an audit entry writing it before it commits. */
export function auditedExecutor(db: SqlExecutor, write: (tx: Queryable, entry: AuditEntry) => Promise<string>): SqlExecutor {
  const transaction = async <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => {
    const pending = current.getStore();
    if (!pending?.waiting) return db.transaction(fn);
    let rowId: string | null = null;
    const result = await db.transaction(async (tx) => {
      const value = await fn(tx);
      const [row] = await tx.query<{ wrote: boolean }>(WROTE_SQL);
      if (row?.wrote) {
        rowId = await write(tx, pending.entry).catch((err: unknown) => {
          throw new Error('audit entry could not be written: the change is rolled back', { cause: err });
        });
      }
      return value;
    });
    if (rowId !== null) pending.rowId = rowId;
    return result;
  };
  return {
    kind: db.kind,
    transaction,
    query: <T>(text: string, params?: unknown[]) =>
      (current.getStore()?.waiting ? transaction((tx) => tx.query<T>(text, params)) : db.query<T>(text, params)),
    exclusively: (name, fn) => db.exclusively(name, fn),
    exec: (script) => db.exec(script),
    close: () => db.close(),
  };
}
