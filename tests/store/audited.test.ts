// A request's audit entry is carried by its first transaction that writes (store/audited.ts), also across the
// storage being disabled once no request is waiting (which spares the device path a hook on every promise) and
// enabled again by the next request. End to end (HTTP, both adapters) in tests/platform/security-users.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../contracts/records.js';
import { auditedExecutor, PendingAudit, settle, withPendingAudit } from '../../platform/store/audited.js';
import type { SqlExecutor } from '../../platform/store/executor.js';
import { openPglite } from '../../platform/store/pglite.js';

const entry = (action: string): AuditEntry => ({ at: 0, actor: 'admin', actorId: null, action, target: 't', details: {}, ip: null, regionCodes: [] });

describe('audited executor (PGlite)', () => {
  let raw: SqlExecutor;
  let db: SqlExecutor;
  const written: string[] = [];

  beforeAll(async () => {
    raw = await openPglite(undefined);
    await raw.exec('create table things (name text)');
    db = auditedExecutor(raw, async (tx, e) => {
      await tx.query('select 1');
      written.push(e.action);
      return String(written.length);
    });
  });
  afterAll(async () => { await raw?.close(); });

  const write = (name: string) => db.transaction((tx) => tx.query('insert into things values ($1)', [name]));

  it('carries each request\'s entry once, not after it is answered, and again for the next request', async () => {
    const first = new PendingAudit(entry('first'));
    let later!: () => Promise<unknown>;
    await withPendingAudit(first, async () => {
      await write('a');
      await write('b'); // the entry is carried once
      later = () => write('after'); // work that outlives the request, in its async context
    });
    expect(first.rowId).toBe('1');
    settle(first);
    settle(first); // settling twice counts once
    await later();
    expect(written).toEqual(['first']);

    // the storage was disabled with no request waiting: the next request enables it again
    const second = new PendingAudit(entry('second'));
    await withPendingAudit(second, () => write('c'));
    expect(second.rowId).toBe('2');
    expect(written).toEqual(['first', 'second']);
    settle(second);
  });

  it('keeps carrying the entry of a request still waiting while another one is answered', async () => {
    const slow = new PendingAudit(entry('slow'));
    const quick = new PendingAudit(entry('quick'));
    let go!: () => void;
    const slowDone = withPendingAudit(slow, async () => {
      await new Promise<void>((resolve) => { go = resolve; });
      await write('slow');
    });
    await withPendingAudit(quick, () => write('quick'));
    settle(quick); // one request still waits: the storage stays enabled
    go();
    await slowDone;
    settle(slow);
    expect(written.slice(-2)).toEqual(['quick', 'slow']);
    expect(slow.rowId).not.toBeNull();
  });
});
