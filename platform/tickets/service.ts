// The safety manager's hazard loop: manual reports, transitions with the five in place, photos,
// overdue rectifications flagged and escalated to the bureaus above.
import type { Logger } from 'pino';
import { extensionApprovers, extensionAskers, mayApproveClosing, mayMoveTicket, ticketSupervisors } from '../auth/permissions.js';
import { HttpError } from '../errors.js';
import type { Notifier } from '../notify/notifier.js';
import type { Publisher } from '../realtime/publisher.js';
import type { Changes } from '../effects/changes.js';
import { describeLocation, type Directory, type DeviceEntry } from '../registry/sites.js';
import type { SiteScope } from '../../contracts/scope.js';
import type { Action } from '../rules/actions.js';
import type { Site, Ticket, User } from '../../contracts/records.js';
import type { Queryable } from '../store/executor.js';
import type { Store } from '../store/store.js';
import type { TicketRaise } from '../store/tickets.js';
import type { RegionRegistry } from '../registry/regions.js';
import type { HazardGrade } from '../../contracts/rules.js';
import type { RiskLevel } from '../../contracts/risks.js';
import { decideTicket, defaultTicketLimits, stateDeadline, type TicketLimits, type TicketTransition } from './lifecycle.js';
import { decideExtensionAnswer, decideExtensionRequest, decideLift, decidePutUp } from './supervision.js';

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);

/** A major hazard just opened: reported upward as it was, and unchanged since (a repeat, a recovery or a step would show). */
export function justReportedUpward(t: Ticket): boolean {
  return t.reportedUpwardAt !== null && t.state === 'reported' && t.count === 1 && t.updatedAt === t.reportedUpwardAt;
}

export interface ManualReport {
  siteId: string;
  title: string;
  description: string;
  location: string;
  level: RiskLevel;
  grade: HazardGrade;
  /** A 重大事故隐患 criterion ticked: the hazard is major. */
  criterion?: string;
  deviceId?: string;
}

export class TicketService {
  transitions = 0;

  constructor(private readonly deps: {
    store: Store; directory: Directory; publisher: Publisher; notifier: Notifier; logger: Logger; now?: () => number;
    /** The deadlines of the states (config TICKET_*_HOURS). */
    limits?: TicketLimits;
    /** Whose region lies above whose: who may lift a 挂牌督办. */
    regions?: Pick<RegionRegistry, 'lineage'>;
  }) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private get limits(): TicketLimits {
    return this.deps.limits ?? defaultTicketLimits;
  }

  /**
   * Opens a hazard (or counts a repeat) inside the caller's transaction: with the deadline to register it, and a major
   * one reported upward at once (the bureaus are told as it is published).
   */
  raise(tx: Queryable, t: Omit<TicketRaise, 'stateDeadline' | 'reportedUpward'>): Promise<{ ticket: Ticket; opened: boolean }> {
    return this.deps.store.tickets.raise(tx, {
      ...t, stateDeadline: stateDeadline('reported', { grade: t.grade, rectificationDeadline: null }, t.at, this.limits), reportedUpward: t.grade === 'major',
    });
  }

  /** Applies a rule's decision about hazards inside the caller's transaction (a sensor that found one, or its recovery). */
  async apply(tx: Queryable, action: Action, device: DeviceEntry | null, site: Site, changes: Changes): Promise<void> {
    const { store } = this.deps;
    if (action.kind === 'ticket.raise') {
      const cause = action.cause;
      const { ticket } = await this.raise(tx, {
        ruleId: action.rule.id, subject: cause.subject, source: 'rule', deviceId: device?.id ?? null, siteId: site.id, regionCode: site.regionCode,
        title: action.effect.title, titleEn: action.effect.titleEn ?? null, description: action.rule.name, descriptionEn: action.rule.nameEn ?? null,
        location: device ? describeLocation(device) : (cause.zone ?? ''),
        level: action.effect.level, grade: action.effect.grade, criterion: action.effect.criterion ?? null, data: cause.data, reportedBy: 'system', at: cause.at,
      });
      changes.ticket(ticket);
    } else if (action.kind === 'ticket.recover') {
      const ticket = await store.tickets.recover(tx, action.rule.id, action.cause.subject, action.cause.at);
      if (ticket) changes.ticket(ticket);
    }
  }

  /**
   * After the commit: each changed ticket to its viewers, once (an institution's together, in one push); a major
   * hazard just opened to every bureau above too.
   */
  publish(tickets: Iterable<Ticket>): void {
    const changed = [...tickets];
    this.deps.publisher.tickets(changed);
    for (const ticket of changed) if (justReportedUpward(ticket)) void this.reportUpward(ticket);
  }

  private async reportUpward(t: Ticket): Promise<void> {
    const { directory, notifier, logger } = this.deps;
    const site = await directory.site(t.siteId);
    logger.warn({ ticketId: t.id, siteId: t.siteId, criterion: t.criterion }, 'major hazard reported upward');
    if (!site) return;
    notifier.notify(site, {
      kind: 'ticket.major_reported', siteId: site.id, siteName: site.name, at: t.reportedAt,
      data: { ticketId: t.id, title: t.title, titleEn: t.titleEn, criterion: t.criterion, registerBy: t.stateDeadline },
    }, { upTo: 'all' });
  }

  async report(r: ManualReport, user: User, scopes: readonly SiteScope[]): Promise<Ticket> {
    const { store, logger } = this.deps;
    const visible = await store.listSites([...scopes, { siteIds: [r.siteId] }]);
    const site = visible[0];
    if (!site) throw new HttpError(404, `siteId: no institution ${r.siteId}`);
    // a criterion ticked makes the hazard major, and a major hazard is not of low risk
    if (r.criterion !== undefined) {
      const criterion = await store.hazardCriteria.get(r.criterion);
      if (!criterion?.active) throw new HttpError(400, `body.criterion: no criterion ${r.criterion}`, [{ field: 'body.criterion', message: `no criterion ${r.criterion}` }], 'ticket.unknown_criterion');
    }
    const grade = r.criterion !== undefined ? 'major' : r.grade;
    if (grade === 'major' && r.level === 'low') {
      throw new HttpError(400, 'body.level: a major hazard (重大事故隐患) is not of low risk', [{ field: 'body.level', message: 'a major hazard is not of low risk' }], 'ticket.major_not_low');
    }
    const { ticket } = await store.transaction((tx) => this.raise(tx, {
      ruleId: null, subject: null, source: 'manual', titleEn: null, descriptionEn: null,
      deviceId: r.deviceId ?? null, siteId: site.id, regionCode: site.regionCode, title: r.title, description: r.description,
      location: r.location, level: r.level, grade, criterion: r.criterion ?? null, data: {}, reportedBy: user.username, at: this.now(),
    }));
    logger.info({ ticketId: ticket.id, siteId: site.id, userId: user.id, level: ticket.level, grade: ticket.grade }, 'hazard reported');
    this.publish([ticket]);
    return ticket;
  }

  async transition(id: string, request: TicketTransition, user: User, scopes: readonly SiteScope[]): Promise<Ticket> {
    const { store, publisher, logger } = this.deps;
    const ticket = await store.tickets.get(id, scopes);
    if (!ticket) throw new HttpError(404, `id: no ticket ${id}`);
    // who may act comes first: a role without the right learns nothing about the ticket's state
    if (!mayMoveTicket(user.role, ticket.state, request.to)) throw new HttpError(403, `role ${user.role} may not move a ticket from ${ticket.state} to ${request.to}`);
    if (ticket.state === 'verified' && !mayApproveClosing(user)) {
      throw new HttpError(403, 'the county bureau approves or rejects a major hazard\'s closing (销号)', undefined, 'ticket.county_approves');
    }
    const decision = decideTicket(ticket, request, user.username);
    if (!decision.ok) {
      const [name, ...rest] = decision.message.split(': ');
      const field = decision.status === 400 ? [{ field: name!, message: rest.join(': ') }] : undefined;
      throw new HttpError(decision.status, decision.message, field, decision.code);
    }
    const fiveInPlace = request.to === 'registered'
      ? { owner: request.owner, funds: request.funds, measures: request.measures, deadline: request.deadline, contingencyPlan: request.contingencyPlan }
      : undefined;
    const at = this.now();
    const rectificationDeadline = ms(fiveInPlace?.deadline ?? ticket.fiveInPlace?.deadline);
    const changed = await store.tickets.transition(id, ticket.state, request.to, {
      actor: user.username, note: request.note, fiveInPlace, rejected: decision.change.rejected,
      acceptanceCriteria: request.to === 'registered' ? request.acceptanceCriteria || undefined : undefined,
      stateDeadline: stateDeadline(request.to, { grade: ticket.grade, rectificationDeadline }, at, this.limits),
    }, at);
    if (!changed) throw new HttpError(409, 'the ticket changed meanwhile: reload it');
    this.transitions++;
    logger.info({ ticketId: id, siteId: changed.siteId, userId: user.id, from: ticket.state, to: changed.state }, 'ticket moved');
    publisher.ticket(changed);
    return changed;
  }

  async comment(id: string, note: string, user: User, scopes: readonly SiteScope[]): Promise<void> {
    const ticket = await this.deps.store.tickets.get(id, scopes);
    if (!ticket) throw new HttpError(404, `id: no ticket ${id}`);
    await this.deps.store.tickets.comment(id, user.username, note, this.now());
    this.deps.publisher.ticket(ticket);
  }

  /**
   * A bureau's 挂牌督办: a record of who put it up, when, the deadline and the note, kept until the bureau (or one above)
   * lifts it after the hazard's closing; the institution and every bureau above are notified. Bureaus and admins only.
   */
  async putUp(id: string, r: { note: string; deadline?: string }, user: User, scopes: readonly SiteScope[]): Promise<Ticket> {
    const { store, directory, publisher, notifier, logger } = this.deps;
    if (!ticketSupervisors.includes(user.role)) throw new HttpError(403, `role ${user.role} may not put a hazard under supervision: bureaus supervise`);
    const ticket = await store.tickets.get(id, scopes);
    if (!ticket) throw new HttpError(404, `id: no ticket ${id}`);
    const at = this.now();
    // no deadline given (the former escalation): the rectification deadline if it lies ahead, else 30 days
    const rectification = ms(ticket.fiveInPlace?.deadline);
    const deadline = r.deadline ? Date.parse(r.deadline) : rectification !== null && rectification > at ? rectification : at + 30 * 86_400_000;
    const decision = decidePutUp(ticket, ticket.supervision !== null && ticket.supervision.liftedAt === null, deadline, at);
    if (!decision.ok) throw new HttpError(decision.status, decision.message, undefined, decision.code);
    const supervised = await store.ticketOversight.putUp(id, { regionCode: user.regionCode ?? '000000', by: user.username, at, deadline, note: r.note });
    if (!supervised) throw new HttpError(409, 'the hazard is under supervision (挂牌督办) already', undefined, 'supervision.active');
    logger.info({ ticketId: id, siteId: supervised.siteId, userId: user.id }, 'hazard put under supervision by a bureau');
    publisher.ticket(supervised);
    const site = await directory.site(supervised.siteId);
    if (site) {
      notifier.notify(site, {
        kind: 'ticket.escalated', siteId: site.id, siteName: site.name, at: new Date(at).toISOString(),
        data: { ticketId: id, title: supervised.title, titleEn: supervised.titleEn, by: user.username, note: r.note },
      }, { upTo: 'all' });
    }
    return supervised;
  }

  /** 摘牌: after the closing, by the bureau that put it up or one above (or an admin), with a note. */
  async lift(id: string, note: string, user: User, scopes: readonly SiteScope[]): Promise<Ticket> {
    const { store, publisher, logger, regions } = this.deps;
    if (!ticketSupervisors.includes(user.role)) throw new HttpError(403, `role ${user.role} may not lift a supervision: bureaus do`);
    const ticket = await store.tickets.get(id, scopes);
    if (!ticket) throw new HttpError(404, `id: no ticket ${id}`);
    const record = ticket.supervision;
    const lineage = record ? (regions?.lineage(record.regionCode).map((c) => c.code) ?? [record.regionCode]) : [];
    const decision = decideLift(ticket, record, user, lineage);
    if (!decision.ok) throw new HttpError(decision.status, decision.message, undefined, decision.code);
    const lifted = await store.ticketOversight.lift(id, { by: user.username, at: this.now(), note });
    if (!lifted) throw new HttpError(409, 'the hazard is not under supervision (挂牌督办)', undefined, 'supervision.none');
    logger.info({ ticketId: id, siteId: lifted.siteId, userId: user.id }, 'supervision lifted');
    publisher.ticket(lifted);
    return lifted;
  }

  /** The institution asks for a later rectification deadline, with a reason; it applies once a bureau approves. */
  async requestExtension(id: string, r: { deadline: string; reason: string }, user: User, scopes: readonly SiteScope[]): Promise<Ticket> {
    const { store, publisher } = this.deps;
    if (!extensionAskers.includes(user.role)) throw new HttpError(403, `role ${user.role} may not ask for an extension: the institution\'s safety manager does`);
    const ticket = await store.tickets.get(id, scopes);
    if (!ticket) throw new HttpError(404, `id: no ticket ${id}`);
    const deadline = Date.parse(r.deadline);
    const rectificationDeadline = ms(ticket.fiveInPlace?.deadline);
    const decision = decideExtensionRequest({ state: ticket.state, rectificationDeadline }, ticket.extension?.state === 'pending', deadline);
    if (!decision.ok) throw new HttpError(decision.status, decision.message, undefined, decision.code);
    const changed = await store.ticketOversight.requestExtension(id, { by: user.username, at: this.now(), deadline, previousDeadline: rectificationDeadline!, reason: r.reason });
    if (!changed) throw new HttpError(409, 'an extension is awaiting a bureau\'s decision already', undefined, 'extension.pending');
    publisher.ticket(changed);
    return changed;
  }

  /** A bureau (or an admin) approves the pending extension, which then moves the rectification deadline, or refuses it. */
  async decideExtension(id: string, extensionId: string, r: { approve: boolean; note?: string }, user: User, scopes: readonly SiteScope[]): Promise<Ticket> {
    const { store, publisher, logger } = this.deps;
    if (!extensionApprovers.includes(user.role)) throw new HttpError(403, `role ${user.role} may not decide an extension: a bureau does`);
    const ticket = await store.tickets.get(id, scopes);
    if (!ticket) throw new HttpError(404, `id: no ticket ${id}`);
    const extension = ticket.extension?.id === extensionId ? ticket.extension : null;
    const decision = decideExtensionAnswer(ticket, extension, user.username, r.approve);
    if (!decision.ok) throw new HttpError(decision.status, decision.message, undefined, decision.code);
    const changed = await store.ticketOversight.decideExtension(id, extensionId, { by: user.username, at: this.now(), approve: r.approve, note: r.note?.trim() || null });
    if (!changed) throw new HttpError(409, 'no extension is awaiting a decision', undefined, 'extension.none');
    logger.info({ ticketId: id, siteId: changed.siteId, userId: user.id, approve: r.approve }, 'extension decided');
    publisher.ticket(changed);
    return changed;
  }

  /** Tickets past the deadline of their state: flagged once per state, escalated to the bureaus above the institution. */
  async checkOverdue(at = this.now()): Promise<Ticket[]> {
    const { store, directory, publisher, notifier, logger } = this.deps;
    const overdue = await store.tickets.flagOverdue(at);
    for (const t of overdue) {
      logger.warn({ ticketId: t.id, siteId: t.siteId, state: t.state }, 'hazard overdue: escalated');
      publisher.ticket(t);
      const site = await directory.site(t.siteId);
      if (site) {
        notifier.notify(site, {
          kind: 'ticket.overdue', siteId: site.id, siteName: site.name, at: new Date(at).toISOString(),
          data: { ticketId: t.id, title: t.title, titleEn: t.titleEn, deadline: t.stateDeadline, state: t.state },
        }, { upTo: 'all' });
      }
    }
    return overdue;
  }
}
