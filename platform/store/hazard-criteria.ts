// The 重大事故隐患 criteria, in their order; an admin's change or addition.
import type { HazardCriterion } from '../../contracts/hazard-criteria.js';
import type { Queryable } from './executor.js';
import { iso, when, type Row } from './rows.js';

const toCriterion = (r: Row): HazardCriterion => ({
  code: String(r.code), title: String(r.title), titleEn: String(r.title_en), active: Boolean(r.active), updatedAt: iso(r.updated_at), updatedBy: String(r.updated_by),
});

export class HazardCriteriaStore {
  constructor(private readonly db: Queryable) {}

  async list(): Promise<HazardCriterion[]> {
    return (await this.db.query('select * from hazard_criteria order by position, code')).map(toCriterion);
  }

  async get(code: string): Promise<HazardCriterion | null> {
    const rows = await this.db.query('select * from hazard_criteria where code = $1', [code]);
    return rows[0] ? toCriterion(rows[0]) : null;
  }

  /** Changes a criterion's words or whether it is offered; a new one goes last. */
  async put(code: string, c: { title: string; titleEn: string; active: boolean }, by: string, at: number): Promise<HazardCriterion> {
    const rows = await this.db.query(
      `insert into hazard_criteria (code, title, title_en, active, position, updated_at, updated_by)
       values ($1, $2, $3, $4, (select coalesce(max(position), 0) + 1 from hazard_criteria), $5, $6)
       on conflict (code) do update set title = excluded.title, title_en = excluded.title_en, active = excluded.active,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by
       returning *`,
      [code, c.title, c.titleEn, c.active, when(at), by],
    );
    return toCriterion(rows[0]!);
  }
}
