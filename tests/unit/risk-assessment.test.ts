// The risk matrix (platform/risks/assessment.ts): every cell of the 5 × 5 matrix and its colour band.
import { describe, expect, it } from 'vitest';
import { assessRisk } from '../../platform/risks/assessment.js';

describe('risk assessment (unit)', () => {
  it('bands likelihood × severity into 重大 20-25, 较大 12-16, 一般 6-10, 低 1-5', () => {
    const matrix = [1, 2, 3, 4, 5].map((l) => [1, 2, 3, 4, 5].map((s) => assessRisk(l, s).level[0]).join(' '));
    // rows: likelihood 1-5; columns: severity 1-5; l = low, g = general, s = significant, m = major
    expect(matrix).toEqual([
      'l l l l l',
      'l l g g g',
      'l g g s s',
      'l g s s m',
      'l g s m m',
    ]);
    expect(assessRisk(4, 5)).toEqual({ score: 20, level: 'major' });
    expect(assessRisk(3, 4)).toEqual({ score: 12, level: 'significant' });
    expect(assessRisk(2, 3)).toEqual({ score: 6, level: 'general' });
    expect(assessRisk(1, 5)).toEqual({ score: 5, level: 'low' });
  });
});
