// Nobody signs off their own work: whoever fixed a work order may not verify (or reject) the fix, whoever submitted a
// hazard's rectification may not close it or send it back; someone else can. The decisions alone; through the API of a
// real FireNet in tests/platform/verification.test.ts.
import { describe, expect, it } from 'vitest';
import { decideTicket } from '../../platform/tickets/lifecycle.js';
import { decideWorkOrder } from '../../platform/workorders/lifecycle.js';

describe('the decisions', () => {
  it('refuses the fixer verifying or rejecting their own fix, and lets anyone else', () => {
    const fixed = { state: 'fixed' as const, fixedBy: 'wang' };
    expect(decideWorkOrder(fixed, 'verify', 'wang')).toMatchObject({ ok: false, status: 403, code: 'verify.own_work' });
    expect(decideWorkOrder(fixed, 'reject', 'wang')).toMatchObject({ ok: false, status: 403 });
    expect(decideWorkOrder(fixed, 'verify', 'zhao')).toEqual({ ok: true, change: { state: 'verified' } });
    // the state is checked first: a fixer verifying an open order learns it is not fixed (409), as anyone would
    expect(decideWorkOrder({ state: 'open', fixedBy: 'wang' }, 'verify', 'wang')).toMatchObject({ ok: false, status: 409 });
    // fixing again after a rejection is the fixer's own step
    expect(decideWorkOrder({ state: 'assigned', fixedBy: 'wang' }, 'fix', 'wang')).toMatchObject({ ok: true });
  });

  it('refuses the rectifier closing or sending back their own rectification, and lets anyone else', () => {
    const pending = { state: 'pending_verification' as const, rectifiedBy: 'li' };
    expect(decideTicket(pending, { to: 'closed' }, 'li')).toMatchObject({ ok: false, status: 403, code: 'verify.own_work' });
    expect(decideTicket(pending, { to: 'rectifying', note: '仍有杂物' }, 'li')).toMatchObject({ ok: false, status: 403 });
    expect(decideTicket(pending, { to: 'closed' }, 'zhao')).toEqual({ ok: true, change: { state: 'closed', rejected: false } });
    // before anyone rectified, the loop is open to whoever the role allows
    expect(decideTicket({ state: 'registered', rectifiedBy: null }, { to: 'rectifying' }, 'li')).toMatchObject({ ok: true });
  });
});
