// What an institution is, as the dashboard names and filters it: the contract's codes restated (a value import would
// bring zod, whose eval probe the CSP refuses), held to the contract's types by the compiler, and the institution
// filters a bureau's lists, map and report take (?kind=&grade=&ownership=&keyUnit=&highRisk=).
import type { LocationQuery } from 'vue-router';
import type { InstitutionGrade, InstitutionKind, Ownership } from '../../contracts/duties';

// a record over the contract's types, so none is missing
const codes = <K extends string>(all: Record<K, true>) => Object.keys(all) as K[];
export const institutionKinds = codes<InstitutionKind>({
  general_hospital: true, tcm_hospital: true, maternal_child: true, specialty_hospital: true, primary_care: true, private_hospital: true,
  elderly_care: true, childcare: true, other: true,
});
export const institutionGrades = codes<InstitutionGrade>({ grade3: true, grade2: true, grade1: true, ungraded: true });
export const ownerships = codes<Ownership>({ public: true, private: true });

/** The filters as the query gives them; '' = any. */
export interface InstitutionFilter {
  kind: InstitutionKind | '';
  grade: InstitutionGrade | '';
  ownership: Ownership | '';
  keyUnit: 'true' | '';
  highRisk: 'true' | '';
}
export const filterKeys = ['kind', 'grade', 'ownership', 'keyUnit', 'highRisk'] as const;

const one = <T extends string>(value: unknown, allowed: readonly T[]): T | '' => (typeof value === 'string' && (allowed as readonly string[]).includes(value) ? value as T : '');

/** The filters a route's query names (anything else ignored). */
export function filterFromQuery(query: LocationQuery): InstitutionFilter {
  return {
    kind: one(query.kind, institutionKinds),
    grade: one(query.grade, institutionGrades),
    ownership: one(query.ownership, ownerships),
    keyUnit: one(query.keyUnit, ['true'] as const),
    highRisk: one(query.highRisk, ['true'] as const),
  };
}

/** The filters as a query (what is set only); `grade` under another name where the list has a grade of its own (tickets). */
export function filterQuery(f: InstitutionFilter, gradeKey = 'grade'): Record<string, string | undefined> {
  return { kind: f.kind || undefined, [gradeKey]: f.grade || undefined, ownership: f.ownership || undefined, keyUnit: f.keyUnit || undefined, highRisk: f.highRisk || undefined };
}
