// The control room's decisions (platform/control-room/decisions.ts): certificate states, what a shift needs, when a
// room is staffed, when a 查岗 can be answered.
import { describe, expect, it } from 'vitest';
import { addDays, answerDecision, certificateState, isStaffed, shiftProblems } from '../../platform/control-room/decisions.js';

describe('control room decisions (unit)', () => {
  it('warns of a certificate 30 days before it expires, and counts it expired the day after its last', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(certificateState('2026-07-31', '2026-06-30')).toBe('valid');
    expect(certificateState('2026-07-30', '2026-06-30')).toBe('expiring');
    expect(certificateState('2026-06-30', '2026-06-30')).toBe('expiring');
    expect(certificateState('2026-06-29', '2026-06-30')).toBe('expired');
  });

  it('needs two operators of the room certified to the shift\'s last day, in a shift of at most a day', () => {
    const ops = new Set(['a', 'b', 'c']);
    const certs = new Map([['a', { expiresOn: '2026-07-01' }], ['b', { expiresOn: '2026-06-30' }], ['c', { expiresOn: '2026-06-29' }]]);
    const shift = (operators: string[], lastDay = '2026-06-30', hours = 12) => ({ startsAt: 0, endsAt: hours * 3600_000, operators, lastDay });
    expect(shiftProblems(shift(['a', 'b']), ops, certs)).toEqual([]);
    expect(shiftProblems(shift(['a', 'c']), ops, certs).map((p) => p.code)).toEqual(['shift.too_few_certified']);
    expect(shiftProblems(shift(['a', 'b'], '2026-07-01'), ops, certs).map((p) => p.code)).toEqual(['shift.too_few_certified']);
    expect(shiftProblems(shift(['a', 'x']), ops, certs).map((p) => p.code)).toEqual(['shift.not_operators', 'shift.too_few_certified']);
    expect(shiftProblems(shift(['a', 'a']), ops, certs).map((p) => p.code)).toEqual(['shift.operator_twice', 'shift.too_few_certified']);
    expect(shiftProblems(shift(['a', 'b'], '2026-06-30', 25), ops, certs).map((p) => p.code)).toEqual(['shift.too_long']);
    expect(shiftProblems({ ...shift(['a', 'b']), endsAt: 0 }, ops, certs).map((p) => p.code)).toEqual(['shift.ends_before_start']);
  });

  it('counts a room staffed with two signed-on operators whose certificates have not expired', () => {
    expect(isStaffed([{ certificate: 'valid' }, { certificate: 'expiring' }])).toBe(true);
    expect(isStaffed([{ certificate: 'valid' }, { certificate: 'expired' }])).toBe(false);
    expect(isStaffed([{ certificate: 'valid' }, { certificate: null }, { certificate: 'valid' }])).toBe(true);
    expect(isStaffed([{ certificate: 'valid' }])).toBe(false);
  });

  it('takes an answer to a waiting 查岗 up to its time, never after or twice', () => {
    expect(answerDecision('waiting', 1000, 1000)).toEqual({ ok: true });
    expect(answerDecision('waiting', 1000, 1001)).toMatchObject({ ok: false, code: 'duty_check.missed' });
    expect(answerDecision('missed', 1000, 500)).toMatchObject({ ok: false, code: 'duty_check.missed' });
    expect(answerDecision('answered', 1000, 500)).toMatchObject({ ok: false, code: 'duty_check.answered' });
  });
});
