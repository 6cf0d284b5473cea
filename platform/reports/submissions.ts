// The monthly report submitted upward (每月报送), its owner: an institution's report generated from FireNet's records
// and frozen when its safety manager submits it; the county bureau approves or returns it (with a reason); a bureau's
// summary of the approved reports below it submitted to the bureau above; reports not submitted by their due day
// flagged and notified by a scheduled check.
import type { Logger } from 'pino';
import { codedError, HttpError } from '../errors.js';
import type { Notifier } from '../notify/notifier.js';
import type { RegionRegistry } from '../registry/regions.js';
import type { Store } from '../store/store.js';
import type { DutyService } from '../duties/service.js';
import { scopeOf } from '../auth/scope.js';
import { regionLevelOf, type SiteScope } from '../../contracts/scope.js';
import type { MonthlyRow } from '../../contracts/reports.js';
import type { Region, Site, User } from '../../contracts/records.js';
import {
  submissionStatuses, type MonthlySubmission, type SubmissionBoard, type SubmissionLevel, type SubmissionStatusRow,
} from '../../contracts/submissions.js';
import { localDate, monthRange, type Month } from './calendar.js';
import { monthlyRow } from './monthly.js';
import {
  decideReview, decideSubmit, dueDate, monthOver, monthsPastDue, pastDue, submissionStatus, summarise, type DueRule,
} from './submission-rules.js';

type RegionLevel = Exclude<SubmissionLevel, 'site'>;
const COUNTRY = '000000';
/** The level of the reports a region's bureau reviews. */
const BELOW: Record<string, SubmissionLevel> = { county: 'site', city: 'county', province: 'city', country: 'province' };

/** A region the user may read (404 unknown, 403 beside or above a bureau's own): the board's and the scorecard's. */
export function readableRegion(regions: RegionRegistry, user: User, code: string): Region {
  const region = regions.get(code);
  if (!region) throw new HttpError(404, `region: no region ${code}`);
  if (user.role === 'bureau' && !(user.regionCode && regions.contains(user.regionCode, code))) {
    throw new HttpError(403, `region: ${code} is outside your region ${user.regionCode ?? ''}`, undefined, 'region.outside_scope', { region: code, yours: user.regionCode ?? '' });
  }
  return region;
}

export class MonthlySubmissions {
  constructor(private readonly deps: {
    store: Store; regions: RegionRegistry; notifier: Notifier; logger: Logger; rule: DueRule; now?: () => number;
    /** The institutions' own duties in a period, as the monthly report counts them (duties/service.ts). */
    duties: DutyService['figures'];
  }) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  get rule(): DueRule {
    return this.deps.rule;
  }

  /** The month's report of each institution in `scopes`, generated from the records (as the monthly report counts them). */
  async institutionRows(scopes: readonly SiteScope[], month: Month): Promise<Map<string, MonthlyRow>> {
    const { store } = this.deps;
    const { from, to } = monthRange(month);
    const [sites, figures, samples, counts, duties] = await Promise.all([
      store.listSites(scopes), store.stats.month(scopes, 'id', from, to), store.stats.onlineSamples(scopes, 'id', localDate(from), localDate(to)), store.overview(scopes, 'id'),
      this.deps.duties(scopes, 'id', from, to),
    ]);
    return new Map(sites.map((s) => {
      const c = counts.get(s.id);
      return [s.id, monthlyRow({ code: s.id, name: s.name, level: 'site' }, figures.get(s.id), { devices: c?.devices ?? 0, online: c?.online ?? 0 }, samples.get(s.id), duties.byChild.get(s.id))];
    }));
  }

  /** Who submits for a month below a region: its institutions (a county), counties (a city), cities (a province), provinces (the country). */
  private async subjects(region: Region, user: User): Promise<{ level: SubmissionLevel; items: { subject: string; name: string }[] }> {
    const { store, regions } = this.deps;
    const level = BELOW[region.level] ?? 'site';
    if (level === 'site') {
      const sites = await store.listSites(region.code === COUNTRY ? [scopeOf(user)] : [scopeOf(user), { region: region.code }]);
      return { level, items: sites.map((s) => ({ subject: s.id, name: s.name })) };
    }
    const held = new Set(await store.submissions.regionsWithInstitutions(level as RegionLevel));
    return { level, items: regions.childrenOf(region.code).filter((r) => held.has(r.code)).map((r) => ({ subject: r.code, name: r.name })) };
  }

  private async statusRows(level: SubmissionLevel, items: { subject: string; name: string }[], month: Month): Promise<SubmissionStatusRow[]> {
    const { store } = this.deps;
    const codes = items.map((i) => i.subject);
    const [stored, flagged] = await Promise.all([store.submissions.of(level, codes, month), store.submissions.flagged(level, codes, month)]);
    const isPastDue = pastDue(this.now(), month, level, this.rule);
    return items.map((i) => {
      const submission = stored.get(i.subject) ?? null;
      const status = submissionStatus(submission?.state ?? null, flagged.has(i.subject), isPastDue);
      return { level, subject: i.subject, name: submission?.name ?? i.name, status, late: submission ? submission.late : status === 'late', submission };
    });
  }

  /**
   * Where the reports of a month stand below a region (default: a bureau's own; an institution's staff: their
   * institutions), and the region's own summary.
   */
  async board(user: User, month: Month, code?: string): Promise<SubmissionBoard> {
    const { regions } = this.deps;
    const staff = user.role !== 'admin' && user.role !== 'bureau';
    const region = this.region(user, code ?? (user.role === 'bureau' && user.regionCode ? user.regionCode : COUNTRY));
    const { level, items } = staff ? { level: 'site' as const, items: (await this.deps.store.listSites([scopeOf(user)])).map((s) => ({ subject: s.id, name: s.name })) } : await this.subjects(region, user);
    const rows = await this.statusRows(level, items, month);
    const ownLevel = region.level === 'country' ? null : (region.level as RegionLevel);
    const own = staff || !ownLevel ? null : (await this.statusRows(ownLevel, [{ subject: region.code, name: region.name }], month))[0]!;
    const counts = Object.fromEntries(submissionStatuses.map((s) => [s, rows.filter((r) => r.status === s).length])) as SubmissionBoard['counts'];
    return {
      month, region: staff ? regions.get(COUNTRY)! : region, dueDate: dueDate(month, level, this.rule), ownDueDate: dueDate(month, ownLevel ?? level, this.rule),
      monthOver: monthOver(this.now(), month), own, rows, counts,
    };
  }

  private region(user: User, code: string): Region {
    return readableRegion(this.deps.regions, user, code);
  }

  /** One report, when the user may read it: its institution's staff and the bureaus above, or the region's bureau and those above. */
  async get(user: User, id: string): Promise<MonthlySubmission> {
    const found = await this.deps.store.submissions.get(id);
    if (!found || !this.mayRead(user, found)) throw new HttpError(404, `id: no report ${id}`);
    return found;
  }

  private mayRead(user: User, s: MonthlySubmission): boolean {
    if (user.role === 'admin') return true;
    if (user.role === 'bureau') return Boolean(user.regionCode) && this.deps.regions.contains(user.regionCode!, s.level === 'site' ? s.reviewerCode ?? '' : s.subject);
    return s.level === 'site' && user.siteIds.includes(s.subject);
  }

  /** The safety manager submits the institution's report for a past month (again, once returned): its figures frozen as they are now. */
  async submitInstitution(user: User, siteId: string, month: Month): Promise<MonthlySubmission> {
    const { store, logger } = this.deps;
    if (user.role !== 'safety_manager') throw codedError(403, 'role.forbidden', `role ${user.role} may not submit an institution's report: its safety manager does`, { role: user.role });
    const site = (await store.listSites([scopeOf(user), { siteIds: [siteId] }]))[0];
    if (!site) throw new HttpError(404, `siteId: no institution ${siteId}`);
    const figures = (await this.institutionRows([{ siteIds: [site.id] }], month)).get(site.id)!;
    const id = await this.submit(user, { level: 'site', subject: site.id, name: site.name, reviewerCode: site.regionCode }, month, figures, []);
    logger.info({ submissionId: id, siteId: site.id, userId: user.id, month }, 'monthly report submitted');
    return (await store.submissions.get(id))!;
  }

  /** A bureau submits its region's summary: the sum of the approved reports of the level below, each as approved. */
  async submitRegion(user: User, code: string, month: Month): Promise<MonthlySubmission> {
    const { store, regions, logger } = this.deps;
    if (user.role !== 'bureau' || user.regionCode !== code) throw codedError(403, 'role.forbidden', `only the bureau of ${code} submits its summary`, { role: user.role });
    const region = regions.get(code);
    const level = regionLevelOf(code);
    if (!region || level === 'country') throw new HttpError(404, `region: no region ${code}`);
    const { level: below, items } = await this.subjects(region, user);
    const approved = [...(await store.submissions.of(below, items.map((i) => i.subject), month)).values()].filter((s) => s.state === 'approved');
    const rows = approved.map((s) => s.figures).sort((a, b) => a.code.localeCompare(b.code));
    const figures = summarise({ code, name: region.name, level }, rows);
    const reviewerCode = level === 'province' ? null : region.parentCode;
    const id = await this.submit(user, { level, subject: code, name: region.name, reviewerCode }, month, figures, rows);
    logger.info({ submissionId: id, regionCode: code, userId: user.id, month, reports: rows.length }, 'monthly summary submitted');
    return (await store.submissions.get(id))!;
  }

  private async submit(user: User, who: { level: SubmissionLevel; subject: string; name: string; reviewerCode: string | null }, month: Month, figures: MonthlyRow, rows: MonthlyRow[]): Promise<string> {
    const { store } = this.deps;
    const at = this.now();
    const existing = (await store.submissions.of(who.level, [who.subject], month)).get(who.subject) ?? null;
    const decision = decideSubmit(existing?.state ?? null, at, month);
    if (!decision.ok) throw new HttpError(decision.status, decision.message, undefined, decision.code);
    const flagged = (await store.submissions.flagged(who.level, [who.subject], month)).has(who.subject);
    const id = await store.transaction(async (tx) => {
      if (existing) return (await store.submissions.resubmit(tx, existing.id, { figures, rows, name: who.name, by: user.username, at })) ? existing.id : null;
      return store.submissions.insert(tx, {
        ...who, month, figures, rows, by: user.username, at,
        late: flagged || pastDue(at, month, who.level, this.rule), dueDate: dueDate(month, who.level, this.rule),
      });
    });
    if (!id) throw new HttpError(409, 'the report changed meanwhile: reload it', undefined, 'conflict');
    return id;
  }

  /** The bureau the report goes to approves it, or returns it with the reason (the institution or region is told). */
  async review(user: User, id: string, action: 'approve' | 'return', note: string | null): Promise<MonthlySubmission> {
    const { store, logger } = this.deps;
    const found = await this.get(user, id);
    if (user.role !== 'bureau' || !found.reviewerCode || user.regionCode !== found.reviewerCode) {
      throw codedError(403, 'role.forbidden', `only the bureau of ${found.reviewerCode ?? 'the region above'} reviews this report`, { role: user.role });
    }
    const decision = decideReview(found.state, action);
    if (!decision.ok) throw new HttpError(decision.status, decision.message, undefined, decision.code);
    const at = this.now();
    const changed = await store.transaction((tx) => store.submissions.review(tx, id, found.state, decision.to, user.username, at, note));
    if (!changed) throw new HttpError(409, 'the report changed meanwhile: reload it', undefined, 'conflict');
    logger.info({ submissionId: id, userId: user.id, to: decision.to }, 'monthly report reviewed');
    const reviewed = (await store.submissions.get(id))!;
    if (decision.to === 'returned') {
      await this.tell(reviewed.level, reviewed.subject, reviewed.name, at, {
        kind: 'report.returned', data: { submissionId: id, month: reviewed.month, level: reviewed.level, subject: reviewed.subject, reason: note ?? '', by: user.username },
      });
    }
    return reviewed;
  }

  /**
   * Flags every report of the last two months not submitted by its due day at `now` (each once) and tells the
   * institution and its county bureau, or the region's bureau and the one above. Returns how many were flagged.
   */
  async flagLate(now = this.now()): Promise<number> {
    const { store, regions, logger } = this.deps;
    let flagged = 0;
    const sites = new Map((await store.listSites([])).map((s) => [s.id, s]));
    for (const level of ['site', 'county', 'city', 'province'] as const) {
      const subjects = level === 'site' ? [...sites.keys()] : (await store.submissions.regionsWithInstitutions(level)).filter((c) => regionLevelOf(c) === level);
      for (const month of monthsPastDue(now, level, this.rule)) {
        const due = dueDate(month, level, this.rule);
        const late = await store.submissions.flagLate(level, subjects, month, due, now);
        flagged += late.length;
        if (late.length) logger.info({ level, month, reports: late.length }, 'monthly reports flagged late');
        for (const subject of late) {
          const name = level === 'site' ? sites.get(subject)?.name ?? subject : regions.get(subject)?.name ?? subject;
          await this.tell(level, subject, name, now, { kind: 'report.late', data: { month, level, subject, dueDate: due } }, sites.get(subject));
        }
      }
    }
    return flagged;
  }

  private async tell(
    level: SubmissionLevel, subject: string, name: string, at: number,
    n: { kind: 'report.late'; data: { month: string; level: SubmissionLevel; subject: string; dueDate: string } }
      | { kind: 'report.returned'; data: { submissionId: string; month: string; level: SubmissionLevel; subject: string; reason: string; by: string } },
    known?: Site,
  ): Promise<void> {
    const { notifier, store } = this.deps;
    const base = { siteId: subject, siteName: name, at: new Date(at).toISOString() };
    if (level !== 'site') {
      notifier.notifyRegion(subject, { ...base, ...n });
      return;
    }
    const site = known ?? (await store.listSites([{ siteIds: [subject] }]))[0];
    if (site) notifier.notify(site, { ...base, ...n }, { upTo: 'county' });
  }
}
