// A bureau's institution filters (?kind=&grade=&ownership=&keyUnit=&highRisk=, contracts/duties.ts) as one more
// scope: every list counted through scopes (store/scope-sql.ts) narrows by them.
import type { InstitutionFilter } from '../../contracts/duties.js';
import type { SiteScope } from '../../contracts/scope.js';

export { InstitutionFilterQuery } from '../../contracts/duties.js';

/** `visible` narrowed to the institutions the query's filters name (unchanged when it names none). */
export function withInstitutionFilter(visible: SiteScope[], query: InstitutionFilter): SiteScope[] {
  const institution: InstitutionFilter = {};
  for (const key of ['kind', 'grade', 'ownership', 'keyUnit', 'highRisk'] as const) {
    if (query[key] !== undefined) (institution as Record<string, unknown>)[key] = query[key];
  }
  return Object.keys(institution).length ? [...visible, { institution }] : visible;
}

/** A query's institution filters taken apart from the rest of it. */
export function splitInstitutionFilter<Q extends InstitutionFilter>(query: Q): { rest: Omit<Q, keyof InstitutionFilter>; institution: InstitutionFilter } {
  const { kind, grade, ownership, keyUnit, highRisk, ...rest } = query;
  return { rest, institution: { kind, grade, ownership, keyUnit, highRisk } };
}
