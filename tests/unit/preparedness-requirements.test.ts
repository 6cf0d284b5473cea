// How often training, plans and drills are due (platform/preparedness/requirements.ts).
import { describe, expect, it } from 'vitest';
import { addMonths, preparednessStatus } from '../../platform/preparedness/requirements.js';

describe('preparedness requirements (unit)', () => {
  it('adds months, keeping to the end of a shorter month', () => {
    expect(addMonths('2026-01-15', 6)).toBe('2026-07-15');
    expect(addMonths('2025-08-31', 6)).toBe('2026-02-28');
    expect(addMonths('2026-12-01', 12)).toBe('2027-12-01');
  });

  it('is overdue for what was never recorded or whose next one was due before today', () => {
    const status = preparednessStatus([
      { kind: 'drill', topic: 'evacuation', lastOn: '2026-01-10' },
      { kind: 'drill', topic: 'on_site', lastOn: '2025-11-01' },
      { kind: 'training', topic: 'periodic', lastOn: '2025-06-30' },
      { kind: 'plan', topic: 'comprehensive', lastOn: '2024-03-01' },
    ], '2026-07-01');
    const byKey = Object.fromEntries(status.requirements.map((r) => [r.key, [r.lastOn, r.dueOn, r.overdue]]));
    expect(byKey).toEqual({
      'drill.on_site': ['2026-01-10', '2026-07-10', false], // the evacuation drill counts as an on-site drill
      'drill.plan': [null, null, true],
      'drill.evacuation': ['2026-01-10', '2027-01-10', false],
      training: ['2025-06-30', '2026-06-30', true],
      plan: ['2024-03-01', '2027-03-01', false],
    });
    expect(status.overdue).toBe(2);
  });
});
