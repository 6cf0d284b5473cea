// The safety manager's hazard loop: manual reports, transitions with the five in place, photos,
// overdue rectifications flagged and escalated to the bureaus above.
import type { Logger } from 'pino';
import { mayMoveTicket, ticketSupervisors } from '../auth/permissions.js';
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
import type { HazardGrade } from '../../contracts/rules.js';
import type { RiskLevel } from '../../contracts/risks.js';
import { decideTicket, type TicketTransition } from './lifecycle.js';

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

  constructor(private readonly deps: { store: Store; directory: Directory; publisher: Publisher; notifier: Notifier; logger: Logger; now?: () => number }) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Applies a rule's decision about hazards inside the caller's transaction (a sensor that found one, or its recovery). */
  async apply(tx: Queryable, action: Action, device: DeviceEntry | null, site: Site, changes: Changes): Promise<void> {
    const { store } = this.deps;
    if (action.kind === 'ticket.raise') {
      const cause = action.cause;
      const { ticket } = await store.tickets.raise(tx, {
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

  /** After the commit: each changed ticket to its viewers, once. */
  publish(tickets: Iterable<Ticket>): void {
    for (const ticket of tickets) this.deps.publisher.ticket(ticket);
  }

  async report(r: ManualReport, user: User, scopes: readonly SiteScope[]): Promise<Ticket> {
    const { store, publisher, logger } = this.deps;
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
    const ticket = await store.tickets.report({
      deviceId: r.deviceId ?? null, siteId: site.id, regionCode: site.regionCode, title: r.title, description: r.description,
      location: r.location, level: r.level, grade, criterion: r.criterion ?? null, data: {}, reportedBy: user.username, at: this.now(),
    });
    logger.info({ ticketId: ticket.id, siteId: site.id, userId: user.id, level: ticket.level, grade: ticket.grade }, 'hazard reported');
    publisher.ticket(ticket);
    return ticket;
  }

  async transition(id: string, request: TicketTransition, user: User, scopes: readonly SiteScope[]): Promise<Ticket> {
    const { store, publisher, logger } = this.deps;
    const ticket = await store.tickets.get(id, scopes);
    if (!ticket) throw new HttpError(404, `id: no ticket ${id}`);
    // who may act comes first: a role without the right learns nothing about the ticket's state
    if (!mayMoveTicket(user.role, ticket.state, request.to)) throw new HttpError(403, `role ${user.role} may not move a ticket from ${ticket.state} to ${request.to}`);
    const decision = decideTicket(ticket, request, user.username);
    if (!decision.ok) throw new HttpError(decision.status, decision.message, undefined, decision.code);
    const fiveInPlace = request.to === 'registered'
      ? { owner: request.owner, funds: request.funds, measures: request.measures, deadline: request.deadline, contingencyPlan: request.contingencyPlan }
      : undefined;
    const changed = await store.tickets.transition(id, ticket.state, request.to, { actor: user.username, note: request.note, fiveInPlace, rejected: decision.change.rejected }, this.now());
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
   * A bureau's 挂牌督办: the open ticket is marked escalated with the bureau's note in its trail, and the institution
   * (its safety managers read it) and every bureau above it are notified. Only bureaus and admins; 409 once closed.
   */
  async escalate(id: string, note: string, user: User, scopes: readonly SiteScope[]): Promise<Ticket> {
    const { store, directory, publisher, notifier, logger } = this.deps;
    if (!ticketSupervisors.includes(user.role)) throw new HttpError(403, `role ${user.role} may not escalate a hazard: bureaus supervise`);
    const ticket = await store.tickets.get(id, scopes);
    if (!ticket) throw new HttpError(404, `id: no ticket ${id}`);
    const escalated = await store.tickets.escalate(id, user.username, note, this.now());
    if (!escalated) throw new HttpError(409, 'the hazard is closed (销号): nothing to escalate');
    logger.info({ ticketId: id, siteId: escalated.siteId, userId: user.id }, 'hazard escalated by a bureau');
    publisher.ticket(escalated);
    const site = await directory.site(escalated.siteId);
    if (site) {
      notifier.notify(site, {
        kind: 'ticket.escalated', siteId: site.id, siteName: site.name, at: new Date(this.now()).toISOString(),
        data: { ticketId: id, title: escalated.title, titleEn: escalated.titleEn, by: user.username, note },
      }, { upTo: 'all' });
    }
    return escalated;
  }

  /** Tickets past their rectification deadline: flagged once, escalated to the bureaus above the institution. */
  async checkOverdue(): Promise<Ticket[]> {
    const { store, directory, publisher, notifier, logger } = this.deps;
    const overdue = await store.tickets.flagOverdue(this.now());
    for (const t of overdue) {
      logger.warn({ ticketId: t.id, siteId: t.siteId }, 'hazard rectification overdue: escalated');
      publisher.ticket(t);
      const site = await directory.site(t.siteId);
      if (site) {
        notifier.notify(site, {
          kind: 'ticket.overdue', siteId: site.id, siteName: site.name, at: new Date(this.now()).toISOString(),
          data: { ticketId: t.id, title: t.title, titleEn: t.titleEn, deadline: t.fiveInPlace?.deadline ?? null },
        }, { upTo: 'all' });
      }
    }
    return overdue;
  }
}
