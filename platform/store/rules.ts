// Rule definitions, versioned: every change is a new version with who made it; old versions stay.
import type { Rule, SpecialPeriod } from '../../contracts/rules.js';
import type { SqlExecutor } from './executor.js';
import { iso, when } from './rows.js';

export interface RuleVersion {
  version: number;
  changedBy: string;
  changedAt: string;
  definition: Rule;
}

export class RuleStore {
  constructor(private readonly db: SqlExecutor) {}

  /** The latest version of every rule. */
  async current(): Promise<(RuleVersion & { id: string })[]> {
    const rows = await this.db.query(`select distinct on (id) id, version, definition, changed_by, changed_at from rules order by id, version desc`);
    return rows.map((r) => ({ id: String(r.id), version: Number(r.version), changedBy: String(r.changed_by), changedAt: iso(r.changed_at), definition: r.definition as Rule }));
  }

  async history(id: string): Promise<RuleVersion[]> {
    const rows = await this.db.query('select version, definition, changed_by, changed_at from rules where id = $1 order by version desc', [id]);
    return rows.map((r) => ({ version: Number(r.version), changedBy: String(r.changed_by), changedAt: iso(r.changed_at), definition: r.definition as Rule }));
  }

  /** Saves a new version; returns its number. */
  async save(rule: Rule, changedBy: string, at: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      // one writer per rule at a time, so two saves at once get versions n+1 and n+2
      await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`rule:${rule.id}`]);
      const rows = await tx.query<{ v: number }>('select coalesce(max(version), 0)::int as v from rules where id = $1', [rule.id]);
      const version = (rows[0]?.v ?? 0) + 1;
      await tx.query('insert into rules (id, version, definition, changed_by, changed_at) values ($1, $2, $3, $4, $5)', [rule.id, version, JSON.stringify(rule), changedBy, when(at)]);
      return version;
    });
  }

  /** Installs shipped defaults that are not there yet (never overwrites an edited rule; safe when two instances start at once). */
  async installDefaults(rules: readonly Rule[], at: number): Promise<string[]> {
    const added: string[] = [];
    for (const rule of rules) {
      const rows = await this.db.query(
        `insert into rules (id, version, definition, changed_by, changed_at)
         select $1, 1, $2, 'system', $3 where not exists (select 1 from rules where id = $1)
         on conflict (id, version) do nothing returning id`,
        [rule.id, JSON.stringify(rule), when(at)]);
      if (rows.length) added.push(rule.id);
    }
    return added;
  }

  async periods(): Promise<SpecialPeriod[]> {
    const rows = await this.db.query('select name, label, starts_at, ends_at from special_periods order by starts_at');
    return rows.map((r) => ({ name: String(r.name), label: String(r.label), from: iso(r.starts_at), to: iso(r.ends_at) }));
  }

  async savePeriod(p: SpecialPeriod): Promise<void> {
    await this.db.query(
      `insert into special_periods (name, label, starts_at, ends_at) values ($1, $2, $3, $4)
       on conflict (name) do update set label = excluded.label, starts_at = excluded.starts_at, ends_at = excluded.ends_at`,
      [p.name, p.label, p.from, p.to]);
  }

  async deletePeriod(name: string): Promise<boolean> {
    return (await this.db.query('delete from special_periods where name = $1 returning name', [name])).length === 1;
  }

  /** The rules engine's saved state: `id` 1 a lone node's, 1000 + partition a cluster's partitions'. */
  async loadEngineState(id: number): Promise<string | null> {
    const rows = await this.db.query<{ state: string }>('select state from engine_state where id = $1', [id]);
    return rows[0]?.state ?? null;
  }

  async saveEngineState(id: number, state: string, at: number): Promise<void> {
    await this.db.query(
      `insert into engine_state (id, state, saved_at) values ($1, $2, $3) on conflict (id) do update set state = excluded.state, saved_at = excluded.saved_at`,
      [id, state, when(at)]);
  }
}
