// How often an institution must train, revise its plans and drill (the work plans: a drill of the on-site disposal
// plan at least every half year; a comprehensive or special plan drill and an evacuation drill at least yearly;
// staff trained at least yearly; plans reviewed at least every three years), and which of its records are overdue.
// Pure: days are China time (YYYY-MM-DD).
import type { PreparednessKind, PreparednessRequirement, PreparednessStatus, PreparednessTopic } from '../../contracts/preparedness.js';

export const PREPAREDNESS_REQUIREMENTS: readonly PreparednessRequirement[] = [
  { key: 'drill.on_site', kind: 'drill', topics: ['on_site', 'evacuation'], everyMonths: 6 },
  { key: 'drill.plan', kind: 'drill', topics: ['comprehensive', 'special'], everyMonths: 12 },
  { key: 'drill.evacuation', kind: 'drill', topics: ['evacuation'], everyMonths: 12 },
  { key: 'training', kind: 'training', topics: ['induction', 'periodic', 'transfer'], everyMonths: 12 },
  { key: 'plan', kind: 'plan', topics: ['comprehensive', 'special', 'on_site'], everyMonths: 36 },
];

/** The day `months` after `day` (the last day of the month when it has fewer days). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10);
}

export interface LatestRecord { kind: PreparednessKind; topic: PreparednessTopic; lastOn: string }

/** An institution's standing against each requirement: never recorded, or the next due before today, is overdue. */
export function preparednessStatus(latest: readonly LatestRecord[], today: string): Pick<PreparednessStatus, 'requirements' | 'overdue'> {
  const requirements = PREPAREDNESS_REQUIREMENTS.map((r) => {
    const lastOn = latest.filter((l) => l.kind === r.kind && r.topics.includes(l.topic)).map((l) => l.lastOn).sort().at(-1) ?? null;
    const dueOn = lastOn === null ? null : addMonths(lastOn, r.everyMonths);
    return { ...r, topics: [...r.topics], lastOn, dueOn, overdue: dueOn === null || dueOn < today };
  });
  return { requirements, overdue: requirements.filter((r) => r.overdue).length };
}
