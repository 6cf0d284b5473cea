// The scorecard (考核评估), its owner: the facts of each institution's month counted from the records (the monthly
// report's figures, checks done against owed, preparedness, 通报 and 约谈, the report's submission), scored by the
// rules (score.ts) and ranked within the region; a year of it for the annual appraisal; the rules edited by admins.
import type { Logger } from 'pino';
import { codedError } from '../errors.js';
import type { DutyService } from '../duties/service.js';
import { preparednessStatus } from '../preparedness/requirements.js';
import type { RegionRegistry } from '../registry/regions.js';
import { localDate, localMonth, monthRange, type Month } from '../reports/calendar.js';
import { pastDue } from '../reports/submission-rules.js';
import { readableRegion, type MonthlySubmissions } from '../reports/submissions.js';
import type { Store } from '../store/store.js';
import { scopeOf } from '../auth/scope.js';
import type { SiteScope } from '../../contracts/scope.js';
import type { Region, User } from '../../contracts/records.js';
import type { InstitutionScore, Scorecard, ScorecardRule, ScorecardRuleBody } from '../../contracts/scorecard.js';
import { rank, score, SCORE_BASE, type MonthFacts } from './score.js';

const COUNTRY = '000000';
const DAY_MS = 86_400_000;

export interface YearOfScores {
  year: string;
  region: Region;
  months: string[];
  institutions: { siteId: string; siteName: string; regionCode: string; scores: (number | null)[]; average: number | null }[];
}

export class ScorecardService {
  constructor(private readonly deps: { store: Store; regions: RegionRegistry; duties: DutyService; submissions: MonthlySubmissions; logger: Logger; now?: () => number }) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  rules(): Promise<ScorecardRule[]> {
    return this.deps.store.scorecard.rules();
  }

  /** An admin changes a rule (its next version; the one before is kept) or adds one. */
  async putRule(user: User, code: string, body: ScorecardRuleBody): Promise<ScorecardRule> {
    const { store, logger } = this.deps;
    if (user.role !== 'admin') throw codedError(403, 'role.forbidden', `role ${user.role} may not change the scorecard's rules`, { role: user.role });
    const rule = await store.transaction((tx) => store.scorecard.putRule(tx, code, body, user.username, this.now()));
    logger.info({ rule: code, version: rule.version, userId: user.id }, 'scorecard rule changed');
    return rule;
  }

  /** The region asked for (a bureau's own by default, the country for others), checked against the user's. */
  private region(user: User, code?: string): Region {
    return readableRegion(this.deps.regions, user, code ?? (user.role === 'bureau' && user.regionCode ? user.regionCode : COUNTRY));
  }

  private scopes(user: User, region: Region): SiteScope[] {
    return region.code === COUNTRY ? [scopeOf(user)] : [scopeOf(user), { region: region.code }];
  }

  /** Every institution of the region the user sees, scored for the month and ranked best first. */
  async month(user: User, month: Month, code?: string): Promise<Scorecard> {
    const region = this.region(user, code);
    const rules = await this.rules();
    const institutions = await this.score(this.scopes(user, region), month, rules);
    return {
      month, region: { code: region.code, name: region.name, level: region.level }, base: SCORE_BASE,
      rules: rules.filter((r) => r.active).map((r) => ({ code: r.code, version: r.version })), institutions,
    };
  }

  /** A year's scores per institution (the months up to the current one), for the annual appraisal. */
  async year(user: User, year: string, code?: string): Promise<YearOfScores> {
    const region = this.region(user, code);
    const scopes = this.scopes(user, region);
    const rules = await this.rules();
    const current = localMonth(this.now());
    const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`).filter((m) => m <= current);
    const byMonth = await Promise.all(months.map(async (m) => new Map((await this.score(scopes, m, rules)).map((s) => [s.siteId, s]))));
    const sites = await this.deps.store.listSites(scopes);
    return {
      year, region, months,
      institutions: sites.map((s) => {
        const scores = byMonth.map((m) => m.get(s.id)?.score ?? null);
        const given = scores.filter((n): n is number => n !== null);
        return { siteId: s.id, siteName: s.name, regionCode: s.regionCode, scores, average: given.length ? given.reduce((a, b) => a + b, 0) / given.length : null };
      }),
    };
  }

  private async score(scopes: readonly SiteScope[], month: Month, rules: readonly ScorecardRule[]): Promise<InstitutionScore[]> {
    const facts = await this.facts(scopes, month);
    return rank([...facts].map(([, f]) => ({ siteId: f.site.id, siteName: f.site.name, regionCode: f.site.regionCode, ...score(rules, f.facts) })));
  }

  /** The facts of the month per institution in scope. */
  private async facts(scopes: readonly SiteScope[], month: Month): Promise<Map<string, { site: { id: string; name: string; regionCode: string }; facts: MonthFacts }>> {
    const { store, duties, submissions } = this.deps;
    const now = this.now();
    const { from, to } = monthRange(month);
    // preparedness as it stood on the month's last day (today, for the month still running)
    const lastDay = localDate(Math.min(to - DAY_MS, now));
    const [sites, rows, completion, latest, received] = await Promise.all([
      store.listSites(scopes), submissions.institutionRows(scopes, month), duties.completion(scopes, from, to, { from: localDate(from), to: localDate(to - DAY_MS) }),
      store.scorecard.preparednessOn(scopes, lastDay), store.scorecard.supervisionReceived(scopes, from, to),
    ]);
    const ids = sites.map((s) => s.id);
    const [reports, flagged] = await Promise.all([store.submissions.of('site', ids, month), store.submissions.flagged('site', ids, month)]);
    const isPastDue = pastDue(now, month, 'site', submissions.rule);
    const owed = new Map(completion.institutions.map((c) => [c.siteId, c.expected - c.done]));
    const held = new Map<string, typeof latest>();
    for (const l of latest) held.set(l.siteId, [...(held.get(l.siteId) ?? []), l]);
    return new Map(sites.map((s) => {
      const row = rows.get(s.id)!;
      const report = reports.get(s.id);
      const late = report ? report.late : flagged.has(s.id) || isPastDue;
      return [s.id, {
        site: s,
        facts: {
          checksMissed: owed.get(s.id) ?? 0,
          overdueRectifications: row.overdueRectifications,
          majorHazardsOpen: row.majorHazardsOpen,
          falseAlarmRate: row.falseAlarmRate,
          onlineRate: row.onlineRate,
          dutyChecksMissed: row.dutyChecksMissed,
          preparednessOverdue: preparednessStatus(held.get(s.id) ?? [], lastDay).overdue,
          report: late ? 'late' : report ? 'on_time' : 'pending',
          notices: received.get(s.id)?.notices ?? 0,
          interviews: received.get(s.id)?.interviews ?? 0,
        },
      }];
    }));
  }
}
