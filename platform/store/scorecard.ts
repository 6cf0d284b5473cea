// The scorecard's rules (a new version on each change, every version kept) and the facts it reads that no other
// figure counts: 通报 and 约谈 received in a span, and the preparedness records as they stood on a day.
import type { ScorecardRule, ScorecardRuleBody } from '../../contracts/scorecard.js';
import type { ScorecardMetric } from '../../contracts/scorecard.js';
import type { PreparednessKind, PreparednessTopic } from '../../contracts/preparedness.js';
import type { SiteScope } from '../../contracts/scope.js';
import type { Queryable } from './executor.js';
import { iso, when, Where, type Row } from './rows.js';
import { scopeClauses } from './scope-sql.js';

const num = (v: unknown): number | null => (v == null ? null : Number(v));

const toRule = (r: Row): ScorecardRule => ({
  code: String(r.code), metric: r.metric as ScorecardMetric, points: Number(r.points), threshold: num(r.threshold), step: num(r.step), cap: num(r.cap),
  active: Boolean(r.active), version: Number(r.version), updatedAt: iso(r.updated_at), updatedBy: String(r.updated_by),
});

export class ScorecardStore {
  constructor(private readonly db: Queryable) {}

  async rules(): Promise<ScorecardRule[]> {
    return (await this.db.query('select * from scorecard_rules order by position, code')).map(toRule);
  }

  /** Changes a rule (its next version) or adds one (version 1, last); the version before is kept. */
  async putRule(tx: Queryable, code: string, r: ScorecardRuleBody, by: string, at: number): Promise<ScorecardRule> {
    const rows = await tx.query(
      `insert into scorecard_rules (code, metric, points, threshold, step, cap, active, position, version, updated_at, updated_by)
       values ($1, $2, $3, $4, $5, $6, $7, (select coalesce(max(position), 0) + 1 from scorecard_rules), 1, $8, $9)
       on conflict (code) do update set metric = excluded.metric, points = excluded.points, threshold = excluded.threshold, step = excluded.step,
         cap = excluded.cap, active = excluded.active, version = scorecard_rules.version + 1, updated_at = excluded.updated_at, updated_by = excluded.updated_by
       returning *`,
      [code, r.metric, r.points, r.threshold, r.step, r.cap, r.active, when(at), by],
    );
    const rule = toRule(rows[0]!);
    await tx.query(
      'insert into scorecard_rule_versions (code, version, definition, changed_by, changed_at) values ($1, $2, $3, $4, $5)',
      [code, rule.version, JSON.stringify({ metric: rule.metric, points: rule.points, threshold: rule.threshold, step: rule.step, cap: rule.cap, active: rule.active }), by, when(at)],
    );
    return rule;
  }

  /** A rule's versions, newest first. */
  async ruleVersions(code: string): Promise<{ version: number; definition: ScorecardRuleBody; changedBy: string; changedAt: string }[]> {
    const rows = await this.db.query('select * from scorecard_rule_versions where code = $1 order by version desc', [code]);
    return rows.map((r) => ({ version: Number(r.version), definition: (typeof r.definition === 'string' ? JSON.parse(r.definition) : r.definition) as ScorecardRuleBody, changedBy: String(r.changed_by), changedAt: iso(r.changed_at) }));
  }

  /** Per institution in scope: 通报 and 约谈 issued to it in [from, to). */
  async supervisionReceived(scopes: readonly SiteScope[], from: number, to: number): Promise<Map<string, { notices: number; interviews: number }>> {
    const where = scopeClauses(new Where([when(from), when(to)]), scopes, 's');
    const rows = await this.db.query(
      `select t.site_id, count(*) filter (where r.kind = 'notice')::int as notices, count(*) filter (where r.kind = 'interview')::int as interviews
       from supervision_records r join supervision_targets t on t.record_id = r.id join sites s on s.id = t.site_id
       ${where} ${where.clauses.length ? 'and' : 'where'} r.issued_at >= $1 and r.issued_at < $2
       group by t.site_id`,
      where.params,
    );
    return new Map(rows.map((r) => [String(r.site_id), { notices: Number(r.notices), interviews: Number(r.interviews) }]));
  }

  /** Per institution in scope: the latest day of each preparedness kind and topic held on or before `day`. */
  async preparednessOn(scopes: readonly SiteScope[], day: string): Promise<{ siteId: string; kind: PreparednessKind; topic: PreparednessTopic; lastOn: string }[]> {
    const where = scopeClauses(new Where([day]), scopes, 's');
    const rows = await this.db.query(
      `select p.site_id, p.kind, p.topic, to_char(max(p.held_on), 'YYYY-MM-DD') as last_on
       from preparedness_records p join sites s on s.id = p.site_id
       ${where} ${where.clauses.length ? 'and' : 'where'} p.held_on <= $1::date
       group by p.site_id, p.kind, p.topic`,
      where.params,
    );
    return rows.map((r) => ({ siteId: String(r.site_id), kind: r.kind as PreparednessKind, topic: r.topic as PreparednessTopic, lastOn: String(r.last_on) }));
  }
}
