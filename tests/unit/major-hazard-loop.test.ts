// The major hazard's loop decided over plain data: a deadline for every state (an unregistered hazard too), the
// institution's verification then the county bureau's approval of a major hazard's closing, a rejection with a reason,
// registration with acceptance criteria; 挂牌督办 put up and lifted; extensions asked and decided. Through the API of a
// real FireNet in tests/platform/major-hazard-loop.test.ts.
import { describe, expect, it } from 'vitest';
import { mayApproveClosing, mayMoveTicket } from '../../platform/auth/permissions.js';
import { decideTicket, defaultTicketLimits, isOverdue, stateDeadline, type TicketLimits } from '../../platform/tickets/lifecycle.js';
import { decideExtensionAnswer, decideExtensionRequest, decideLift, decidePutUp } from '../../platform/tickets/supervision.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 2, 1, 8);
const limits: TicketLimits = { registerMajorHours: 24, registerGeneralHours: 72, verifyHours: 48, approveHours: 96 };

describe('the deadline of each state', () => {
  it('gives a reported hazard its time to be registered: 24 h for a major one, 72 h for a general one by default', () => {
    expect(defaultTicketLimits).toMatchObject({ registerMajorHours: 24, registerGeneralHours: 72 });
    expect(stateDeadline('reported', { grade: 'major', rectificationDeadline: null }, T0, defaultTicketLimits)).toBe(T0 + 24 * HOUR);
    expect(stateDeadline('reported', { grade: 'general', rectificationDeadline: null }, T0, defaultTicketLimits)).toBe(T0 + 72 * HOUR);
  });

  it('keeps the five-in-place deadline while registered and rectifying, and the limits to verify and to approve after', () => {
    const hazard = { grade: 'major' as const, rectificationDeadline: T0 + 240 * HOUR };
    expect(stateDeadline('registered', hazard, T0, limits)).toBe(T0 + 240 * HOUR);
    expect(stateDeadline('rectifying', hazard, T0 + HOUR, limits)).toBe(T0 + 240 * HOUR);
    expect(stateDeadline('pending_verification', hazard, T0 + 5 * HOUR, limits)).toBe(T0 + 53 * HOUR);
    expect(stateDeadline('verified', hazard, T0 + 5 * HOUR, limits)).toBe(T0 + 101 * HOUR);
    expect(stateDeadline('closed', hazard, T0, limits)).toBeNull();
  });

  it('is overdue only past the deadline of its state', () => {
    expect(isOverdue({ stateDeadline: T0 }, T0)).toBe(false);
    expect(isOverdue({ stateDeadline: T0 }, T0 + 1)).toBe(true);
    expect(isOverdue({ stateDeadline: null }, T0 + 1e12)).toBe(false);
  });
});

describe('a major hazard\'s loop', () => {
  const major = (state: 'pending_verification' | 'verified' | 'reported', more: { rectifiedBy?: string; verifiedBy?: string } = {}) =>
    ({ state, grade: 'major' as const, rectifiedBy: more.rectifiedBy ?? 'wang', verifiedBy: more.verifiedBy ?? null });

  it('is verified by the institution, not closed by it', () => {
    expect(decideTicket(major('pending_verification'), { to: 'closed' }, 'zhao')).toMatchObject({ ok: false, status: 409 });
    expect(decideTicket(major('pending_verification'), { to: 'verified' }, 'zhao')).toEqual({ ok: true, change: { state: 'verified', rejected: false } });
    // a general hazard keeps its loop: closed at verification, never `verified`
    expect(decideTicket({ state: 'pending_verification', rectifiedBy: 'wang' }, { to: 'verified' }, 'zhao')).toMatchObject({ ok: false, status: 409 });
    expect(decideTicket({ state: 'pending_verification', rectifiedBy: 'wang', grade: 'general' }, { to: 'closed' }, 'zhao')).toMatchObject({ ok: true });
  });

  it('is closed, or sent back with a reason, by someone who neither rectified nor verified it', () => {
    const verified = major('verified', { rectifiedBy: 'wang', verifiedBy: 'zhao' });
    expect(decideTicket(verified, { to: 'closed' }, 'county')).toEqual({ ok: true, change: { state: 'closed', rejected: false } });
    expect(decideTicket(verified, { to: 'rectifying', note: '现场复查仍有堆放' }, 'county')).toEqual({ ok: true, change: { state: 'rectifying', rejected: true } });
    expect(decideTicket(verified, { to: 'rectifying' }, 'county')).toMatchObject({ ok: false, status: 409, message: expect.stringMatching(/^note/) });
    expect(decideTicket(verified, { to: 'closed' }, 'zhao')).toMatchObject({ ok: false, status: 403, code: 'verify.own_work' });
    expect(decideTicket(verified, { to: 'closed' }, 'wang')).toMatchObject({ ok: false, status: 403, code: 'verify.own_work' });
  });

  it('is registered with its acceptance criteria (验收标准); a general one may go without', () => {
    const five = { owner: '院长', funds: '专项', measures: '清理', deadline: '2025-03-10T00:00:00Z', contingencyPlan: '预案' };
    expect(decideTicket(major('reported'), { to: 'registered', ...five }, 'zhao')).toMatchObject({ ok: false, status: 400, code: 'ticket.acceptance_criteria' });
    expect(decideTicket(major('reported'), { to: 'registered', ...five, acceptanceCriteria: '  ' }, 'zhao')).toMatchObject({ ok: false, status: 400 });
    expect(decideTicket(major('reported'), { to: 'registered', ...five, acceptanceCriteria: '通道畅通，现场复查' }, 'zhao')).toMatchObject({ ok: true });
    expect(decideTicket({ state: 'reported', rectifiedBy: null }, { to: 'registered', ...five }, 'zhao')).toMatchObject({ ok: true });
  });

  it('lets the institution verify and the county bureau (or an admin) approve; a city or province bureau does not approve', () => {
    expect(mayMoveTicket('safety_manager', 'pending_verification', 'verified')).toBe(true);
    expect(mayMoveTicket('logistics', 'pending_verification', 'verified')).toBe(false);
    expect(mayMoveTicket('bureau', 'verified', 'closed')).toBe(true);
    expect(mayMoveTicket('bureau', 'verified', 'rectifying')).toBe(true);
    expect(mayMoveTicket('safety_manager', 'verified', 'closed')).toBe(false);
    expect(mayMoveTicket('bureau', 'pending_verification', 'closed')).toBe(false);
    expect(mayApproveClosing({ role: 'bureau', regionCode: '220281' })).toBe(true);
    expect(mayApproveClosing({ role: 'bureau', regionCode: '220200' })).toBe(false);
    expect(mayApproveClosing({ role: 'bureau', regionCode: '220000' })).toBe(false);
    expect(mayApproveClosing({ role: 'admin', regionCode: null })).toBe(true);
  });
});

describe('挂牌督办', () => {
  const up = { liftedAt: null, regionCode: '220200' };
  const cityLineage = ['220200', '220000', '000000'];

  it('is put up on an open hazard, once at a time, with a deadline ahead', () => {
    expect(decidePutUp({ state: 'rectifying' }, false, T0 + HOUR, T0)).toEqual({ ok: true, change: null });
    expect(decidePutUp({ state: 'closed' }, false, T0 + HOUR, T0)).toMatchObject({ ok: false, status: 409 });
    expect(decidePutUp({ state: 'rectifying' }, true, T0 + HOUR, T0)).toMatchObject({ ok: false, status: 409, code: 'supervision.active' });
    expect(decidePutUp({ state: 'rectifying' }, false, T0, T0)).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/^body\.deadline/) });
  });

  it('is lifted after the closing by the bureau that put it up or one above, not one below', () => {
    expect(decideLift({ state: 'closed' }, up, { role: 'bureau', regionCode: '220200' }, cityLineage)).toEqual({ ok: true, change: null });
    expect(decideLift({ state: 'closed' }, up, { role: 'bureau', regionCode: '220000' }, cityLineage)).toMatchObject({ ok: true });
    expect(decideLift({ state: 'closed' }, up, { role: 'admin', regionCode: null }, cityLineage)).toMatchObject({ ok: true });
    expect(decideLift({ state: 'closed' }, up, { role: 'bureau', regionCode: '220281' }, cityLineage)).toMatchObject({ ok: false, status: 403, code: 'supervision.lifted_by_its_bureau' });
    expect(decideLift({ state: 'closed' }, up, { role: 'safety_manager', regionCode: null }, cityLineage)).toMatchObject({ ok: false, status: 403 });
    expect(decideLift({ state: 'verified' }, up, { role: 'bureau', regionCode: '220200' }, cityLineage)).toMatchObject({ ok: false, status: 409, code: 'supervision.not_closed' });
    expect(decideLift({ state: 'closed' }, { ...up, liftedAt: '2025-03-01T00:00:00Z' }, { role: 'bureau', regionCode: '220200' }, cityLineage)).toMatchObject({ ok: false, status: 409 });
    expect(decideLift({ state: 'closed' }, null, { role: 'bureau', regionCode: '220200' }, [])).toMatchObject({ ok: false, status: 409, code: 'supervision.none' });
  });
});

describe('extending the rectification deadline', () => {
  const rectifying = { state: 'rectifying' as const, rectificationDeadline: T0 };

  it('is asked while the deadline runs, for a later one, one request at a time', () => {
    expect(decideExtensionRequest(rectifying, false, T0 + HOUR)).toEqual({ ok: true, change: null });
    expect(decideExtensionRequest(rectifying, false, T0)).toMatchObject({ ok: false, status: 400 });
    expect(decideExtensionRequest(rectifying, true, T0 + HOUR)).toMatchObject({ ok: false, status: 409, code: 'extension.pending' });
    expect(decideExtensionRequest({ state: 'reported', rectificationDeadline: null }, false, T0 + HOUR)).toMatchObject({ ok: false, status: 409 });
    expect(decideExtensionRequest({ state: 'pending_verification', rectificationDeadline: T0 }, false, T0 + HOUR)).toMatchObject({ ok: false, status: 409 });
  });

  it('is decided once, by someone other than who asked', () => {
    const pending = { state: 'pending', requestedBy: 'zhao' };
    expect(decideExtensionAnswer(rectifying, pending, 'county', true)).toEqual({ ok: true, change: null });
    expect(decideExtensionAnswer(rectifying, pending, 'zhao', true)).toMatchObject({ ok: false, status: 403 });
    expect(decideExtensionAnswer(rectifying, { ...pending, state: 'approved' }, 'county', true)).toMatchObject({ ok: false, status: 409 });
    expect(decideExtensionAnswer(rectifying, null, 'county', false)).toMatchObject({ ok: false, status: 409 });
    // refusing stays possible once the rectification was submitted; approving no longer
    expect(decideExtensionAnswer({ state: 'pending_verification' }, pending, 'county', false)).toMatchObject({ ok: true });
    expect(decideExtensionAnswer({ state: 'pending_verification' }, pending, 'county', true)).toMatchObject({ ok: false, status: 409 });
  });
});
