// The institution's own duties (issue 15): 日周月 checks against versioned checklists, a failed item opening a
// hazard ticket in the same transaction (or counted as fixed on the spot, 即知即改), missed periods flagged the
// morning after, and completion (done / owed) per institution and region.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  checkRhythms, templateId, type Check, type DutyFigures, type CheckCompletion, type CheckItem, type CheckRhythm, type CheckTemplate,
} from '../../contracts/duties.js';
import { checkPerformers, checkTemplateEditors } from '../auth/permissions.js';
import { codedError, HttpError } from '../errors.js';
import type { GroupColumn, SiteScope } from '../../contracts/scope.js';
import type { HazardGrade } from '../../contracts/rules.js';
import type { RiskLevel } from '../../contracts/risks.js';
import type { Ticket, User } from '../../contracts/records.js';
import type { Store } from '../store/store.js';
import type { TicketService } from '../tickets/service.js';
import { institutionCompletion, sumCompletions } from './completion.js';
import { dutyFigures, noDutyFigures } from './figures.js';
import { localDate } from '../reports/calendar.js';
import { endedPeriods, periodAt, periodsBeginningIn } from './periods.js';

export interface ItemSubmission {
  code: string;
  result: 'pass' | 'fail';
  note: string;
  fixedOnSpotBy: string | null;
  /** For a failed item not fixed on the spot: the hazard's level and grade, and where it is. */
  hazard?: { level: RiskLevel; grade: HazardGrade; location: string };
}

export interface CheckSubmission {
  siteId: string;
  rhythm: CheckRhythm;
  /** The checklist version the check was done against; the latest when not given. */
  templateVersion?: number;
  performedAt: number;
  items: ItemSubmission[];
}

/** How many ended periods of each rhythm the missed-check job looks back over (a job that did not run catches up). */
const LOOKBACK: Record<CheckRhythm, number> = { daily: 7, weekly: 5, monthly: 2 };

export interface CompletionReport {
  from: string;
  to: string;
  total: CheckCompletion;
  regions: (CheckCompletion & { regionCode: string; institutions: number })[];
  institutions: (CheckCompletion & { siteId: string; siteName: string; regionCode: string })[];
}

export class DutyService {
  constructor(private readonly deps: { store: Store; tickets: TicketService; logger: Logger; now?: () => number }) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Records a check; each failed item not fixed on the spot opens a hazard ticket linked to it, all in one transaction. */
  async submit(s: CheckSubmission, user: User, scopes: readonly SiteScope[]): Promise<Check> {
    const { store, tickets, logger } = this.deps;
    if (!checkPerformers.includes(user.role)) throw new HttpError(403, `role ${user.role} may not record a check: the institution's safety managers do`);
    const site = (await store.listSites([...scopes, { siteIds: [s.siteId] }]))[0];
    if (!site) throw new HttpError(404, `siteId: no institution ${s.siteId}`);
    const template = await store.checks.template(templateId(site.kind, s.rhythm), s.templateVersion);
    if (!template) throw new HttpError(400, `templateVersion: no version ${s.templateVersion ?? ''} of checklist ${templateId(site.kind, s.rhythm)}`);
    const labels = new Map(template.items.map((i) => [i.code, i.label]));
    const given = new Set(s.items.map((i) => i.code));
    if (given.size !== s.items.length) throw new HttpError(400, 'body.items: an item is given twice');
    const unknown = s.items.find((i) => !labels.has(i.code));
    if (unknown) throw new HttpError(400, `body.items: ${unknown.code} is not on checklist ${template.id} version ${template.version}`);
    const missing = template.items.find((i) => !given.has(i.code));
    if (missing) throw new HttpError(400, `body.items: ${missing.code} of checklist ${template.id} version ${template.version} has no result`);
    for (const i of s.items) {
      if (i.result === 'pass' && (i.fixedOnSpotBy !== null || i.hazard)) throw new HttpError(400, `body.items: ${i.code} passed: nothing to fix or report`);
      if (i.fixedOnSpotBy !== null && i.hazard) throw new HttpError(400, `body.items: ${i.code} was fixed on the spot: no hazard to report`);
    }

    const id = randomUUID();
    const at = this.now();
    const opened: Ticket[] = [];
    await store.transaction(async (tx) => {
      const items = [];
      for (const i of s.items) {
        const label = labels.get(i.code) ?? null;
        let ticketId: string | null = null;
        if (i.result === 'fail' && i.fixedOnSpotBy === null) {
          const { ticket } = await tickets.raise(tx, {
            ruleId: null, subject: null, source: 'manual', deviceId: null, siteId: site.id, regionCode: site.regionCode,
            title: i.note.trim().slice(0, 200) || label || i.code, description: i.note, location: i.hazard?.location ?? '',
            level: i.hazard?.level ?? 'general', grade: i.hazard?.grade ?? 'general',
            data: { checkId: id, checkItem: i.code, rhythm: s.rhythm }, reportedBy: user.username, at,
          });
          opened.push(ticket);
          ticketId = ticket.id;
        }
        items.push({ code: i.code, label, result: i.result, note: i.note, fixedOnSpotBy: i.fixedOnSpotBy, ticketId });
      }
      await store.checks.record(tx, {
        id, siteId: site.id, regionCode: site.regionCode, template, period: periodAt(s.rhythm, s.performedAt).period,
        performedAt: s.performedAt, performedBy: user.username, items, at,
      });
    });
    tickets.publish(opened);
    logger.info({ checkId: id, siteId: site.id, userId: user.id, rhythm: s.rhythm, hazards: opened.length }, 'check recorded');
    return (await store.checks.get(id, []))!;
  }

  /** A new version of a checklist (admins); checks already done keep the version they were done against. */
  async editTemplate(id: string, items: CheckItem[], basedOn: number | undefined, user: User): Promise<CheckTemplate> {
    const { store, logger } = this.deps;
    if (!checkTemplateEditors.includes(user.role)) throw new HttpError(403, `role ${user.role} may not edit a checklist`);
    const current = await store.checks.template(id);
    if (!current) throw new HttpError(404, `id: no checklist ${id}`);
    if (basedOn !== undefined && basedOn !== current.version) {
      throw codedError(409, 'checklist.changed', `checklist ${id} is at version ${current.version} now, not ${basedOn}: reload it`, { version: current.version });
    }
    const codes = new Set(items.map((i) => i.code));
    if (codes.size !== items.length) throw new HttpError(400, 'body.items: a code is given twice');
    const next = await store.checks.addTemplateVersion(current, items, user.username, this.now());
    if (!next) throw codedError(409, 'checklist.changed', `checklist ${id} changed meanwhile: reload it`, { version: current.version + 1 });
    logger.info({ templateId: id, version: next.version, userId: user.id }, 'checklist edited');
    return next;
  }

  /** Flags every institution that did fewer checks than it owed in the periods ended by `now`; a second run adds nothing. */
  async flagMissed(now = this.now()): Promise<number> {
    const { store, logger } = this.deps;
    let flagged = 0;
    for (const rhythm of checkRhythms) {
      for (const p of endedPeriods(rhythm, now, LOOKBACK[rhythm])) {
        const sites = await store.checks.flagMissed(rhythm, p.period, p.from, p.to, now);
        flagged += sites.length;
        if (sites.length) logger.info({ rhythm, period: p.period, institutions: sites.length }, 'missed checks flagged');
      }
    }
    return flagged;
  }

  /**
   * The duties' figures of the institutions of `scopes` over [from, to), per child of `group` and in all; what stands
   * (overdue drills, certificates) is taken on the span's last day, or today while the span runs.
   */
  async figures(scopes: readonly SiteScope[], group: GroupColumn, from: number, to: number): Promise<DutyFigureReport> {
    const { store } = this.deps;
    const now = this.now();
    const asOf = localDate(Math.min(to - 1, now));
    const periods = checkRhythms.flatMap((r) => periodsBeginningIn(r, from, Math.min(to, now + 1)).map((p) => p.period));
    const [institutions, done, missed, dutyChecks, latest, certificates] = await Promise.all([
      store.checks.planned(scopes, group), store.checks.doneByPeriod(scopes, periods), store.checks.missedBy(scopes, group, periods),
      store.controlRoom.checkCounts(scopes, group, from, to, now), store.preparedness.latest(scopes, asOf), store.controlRoom.certificates(scopes),
    ]);
    const inputs = { institutions, done, missed, dutyChecks, latest, certificates, from, to, now, asOf };
    return { byChild: dutyFigures(inputs), total: dutyFigures(inputs, 'all').get('all') ?? noDutyFigures() };
  }

  /** Done / owed over [from, to) for the institutions of `scopes`, each and by county, and in all. */
  async completion(scopes: readonly SiteScope[], from: number, to: number, labels: { from: string; to: string }): Promise<CompletionReport> {
    const { store } = this.deps;
    const now = this.now();
    const names = checkRhythms.flatMap((r) => periodsBeginningIn(r, from, Math.min(to, now + 1)).map((p) => p.period));
    const [planned, done] = await Promise.all([store.checks.planned(scopes), store.checks.doneByPeriod(scopes, names)]);
    const bySite = groupBy(done, (d) => d.siteId);
    const institutions = planned.map((p) => ({ siteId: p.siteId, siteName: p.siteName, regionCode: p.regionCode, ...institutionCompletion(p, bySite.get(p.siteId) ?? [], from, to, now) }));
    const regions = [...groupBy(institutions, (i) => i.regionCode)].map(([regionCode, list]) => ({ regionCode, institutions: list.length, ...sumCompletions(list) }));
    return { ...labels, total: sumCompletions(institutions), regions, institutions };
  }
}

/** The duties' figures of a span per child and in all. */
export interface DutyFigureReport {
  byChild: Map<string, DutyFigures>;
  total: DutyFigures;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
