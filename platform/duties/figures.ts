// The duties' figures per child region (or institution) and in all: checks done / owed, missed periods, overdue
// drills, 查岗 answered / missed, certificates expiring. Pure: the owner (DutyService.figures) reads the records.
import type { DutyFigures } from '../../contracts/duties.js';
import type { LatestRecord } from '../preparedness/requirements.js';
import { preparednessStatus } from '../preparedness/requirements.js';
import { certificateState } from '../control-room/decisions.js';
import { institutionCompletion, type DoneCount, type InstitutionPlan } from './completion.js';

export interface DutyInputs {
  /** The institutions counted, each with the child it counts under. */
  institutions: readonly (InstitutionPlan & { group: string })[];
  done: readonly DoneCount[];
  /** Missed periods per child. */
  missed: ReadonlyMap<string, number>;
  /** 查岗 per child. */
  dutyChecks: ReadonlyMap<string, { asked: number; answered: number; missed: number }>;
  latest: readonly (LatestRecord & { siteId: string })[];
  certificates: readonly { username: string; siteIds: readonly string[]; expiresOn: string }[];
  /** The span [from, to) in ms, now, and the day (China time) the standing figures are taken on. */
  from: number;
  to: number;
  now: number;
  asOf: string;
}

export const noDutyFigures = (): DutyFigures => ({
  checksExpected: 0, checksDone: 0, checkCompletionRate: null, missedChecks: 0, drillsOverdue: 0,
  dutyChecks: 0, dutyChecksAnswered: 0, dutyChecksMissed: 0, certificatesExpiring: 0, certificatesExpired: 0,
});

/** Per child (`group` of each institution; `all`: every one under one key), the duties' figures. */
export function dutyFigures(inputs: DutyInputs, all?: string): Map<string, DutyFigures> {
  const groupOf = new Map(inputs.institutions.map((i) => [i.siteId, all ?? i.group]));
  const figures = new Map<string, DutyFigures>();
  const of = (code: string): DutyFigures => figures.get(code) ?? figures.set(code, noDutyFigures()).get(code)!;

  const doneBySite = new Map<string, DoneCount[]>();
  for (const d of inputs.done) (doneBySite.get(d.siteId) ?? doneBySite.set(d.siteId, []).get(d.siteId)!).push(d);
  const latestBySite = new Map<string, LatestRecord[]>();
  for (const l of inputs.latest) (latestBySite.get(l.siteId) ?? latestBySite.set(l.siteId, []).get(l.siteId)!).push(l);

  for (const i of inputs.institutions) {
    const f = of(groupOf.get(i.siteId)!);
    const c = institutionCompletion(i, doneBySite.get(i.siteId) ?? [], inputs.from, inputs.to, inputs.now);
    f.checksExpected += c.expected;
    f.checksDone += c.done;
    const { requirements } = preparednessStatus(latestBySite.get(i.siteId) ?? [], inputs.asOf);
    f.drillsOverdue += requirements.filter((r) => r.kind === 'drill' && r.overdue).length;
  }
  for (const [code, n] of inputs.missed) of(all ?? code).missedChecks += n;
  for (const [code, d] of inputs.dutyChecks) {
    const f = of(all ?? code);
    f.dutyChecks += d.asked;
    f.dutyChecksAnswered += d.answered;
    f.dutyChecksMissed += d.missed;
  }
  for (const cert of inputs.certificates) {
    const state = certificateState(cert.expiresOn, inputs.asOf);
    if (state === 'valid') continue;
    // once per child the operator works in, among the institutions counted
    for (const code of new Set(cert.siteIds.map((s) => groupOf.get(s)).filter((g): g is string => g !== undefined))) {
      if (state === 'expiring') of(code).certificatesExpiring += 1;
      else of(code).certificatesExpired += 1;
    }
  }
  for (const f of figures.values()) f.checkCompletionRate = f.checksExpected === 0 ? null : f.checksDone / f.checksExpected;
  return figures;
}
