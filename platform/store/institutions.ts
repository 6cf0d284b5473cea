// The institution record's issue-15 part (contracts/duties.ts) as columns of `sites`, its filters as SQL, and the
// public page's token (两公开: a link that cannot be guessed, rotated by an admin).
import { randomBytes } from 'node:crypto';
import type { InstitutionFilter, InstitutionKind, InstitutionGrade, Ownership, ResponsiblePerson } from '../../contracts/duties.js';
import type { Site } from '../../contracts/records.js';
import type { Queryable } from './executor.js';
import type { Row, Where } from './rows.js';

/** The columns after the first 14 of `upsertSite`'s insert ($15 ...). */
export const INSTITUTION_PROFILE_COLUMNS = 'grade, ownership, key_unit, high_risk, beds, fire_safety_responsible, fire_safety_manager';
export const INSTITUTION_PROFILE_UPDATE = INSTITUTION_PROFILE_COLUMNS.split(', ').map((c) => `${c} = excluded.${c}`).join(', ');

type Profile = Pick<Site, 'kind' | 'grade' | 'ownership' | 'keyUnit' | 'highRisk' | 'beds' | 'fireSafetyResponsible' | 'fireSafetyManager'>;

export function institutionProfileParams(site: Profile): unknown[] {
  const person = (p: ResponsiblePerson | null) => (p ? JSON.stringify(p) : null);
  return [site.grade, site.ownership, site.keyUnit, site.highRisk, site.beds, person(site.fireSafetyResponsible), person(site.fireSafetyManager)];
}

export function institutionProfileOf(r: Row): Profile {
  const person = (v: unknown): ResponsiblePerson | null => (v == null ? null : v as ResponsiblePerson);
  return {
    kind: String(r.kind) as InstitutionKind,
    grade: String(r.grade ?? 'ungraded') as InstitutionGrade,
    ownership: String(r.ownership ?? 'public') as Ownership,
    keyUnit: Boolean(r.key_unit),
    highRisk: Boolean(r.high_risk),
    beds: r.beds == null ? null : Number(r.beds),
    fireSafetyResponsible: person(r.fire_safety_responsible),
    fireSafetyManager: person(r.fire_safety_manager),
  };
}

/** The filters of `filter` as clauses on the sites table aliased `alias`. */
export function institutionClauses(where: Where, filter: InstitutionFilter, alias: string): Where {
  if (filter.kind !== undefined) where.add(`${alias}.kind = ?`, filter.kind);
  if (filter.grade !== undefined) where.add(`${alias}.grade = ?`, filter.grade);
  if (filter.ownership !== undefined) where.add(`${alias}.ownership = ?`, filter.ownership);
  if (filter.keyUnit !== undefined) where.add(`${alias}.key_unit = ?`, filter.keyUnit);
  if (filter.highRisk !== undefined) where.add(`${alias}.high_risk = ?`, filter.highRisk);
  return where;
}

export class InstitutionStore {
  constructor(private readonly db: Queryable) {}

  /** The institution whose public page `token` opens; null for any other string. */
  async byPublicToken(token: string): Promise<{ id: string } | null> {
    const rows = await this.db.query('select id from sites where public_token = $1', [token]);
    return rows[0] ? { id: String(rows[0].id) } : null;
  }

  async publicToken(siteId: string): Promise<string | null> {
    const rows = await this.db.query('select public_token from sites where id = $1', [siteId]);
    return rows[0] ? String(rows[0].public_token) : null;
  }

  /** A new token: the old link stops working at once. Null when there is no such institution. */
  async rotatePublicToken(siteId: string): Promise<string | null> {
    const rows = await this.db.query('update sites set public_token = $2 where id = $1 returning public_token', [siteId, randomBytes(32).toString('base64url')]);
    return rows[0] ? String(rows[0].public_token) : null;
  }
}
