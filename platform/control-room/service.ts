// The control room's duty, applied: certificates, the roster, signing on and off, and the bureaus' 查岗. A 查岗 is
// pushed to the control room's desk (and the bureaus above), and sent to its transmission device (GB/T 26875.3 type
// 91) when it has one; the operator's answer on the desk and the device's answer are both recorded; a check not
// answered in time is missed.
import type { Logger } from 'pino';
import type { Certificate, DutyCheck, DutySession, NewCertificate, NewShift, OnDuty, Shift } from '../../contracts/control-room.js';
import { TRANSMISSION_COMMAND_RETRIES, TRANSMISSION_COMMAND_TIMEOUT_SEC } from '../../contracts/gb26875/commands.js';
import type { CommandRecord, Site, User } from '../../contracts/records.js';
import type { SiteScope } from '../../contracts/scope.js';
import type { CommandService } from '../commands/service.js';
import { codedError, HttpError } from '../errors.js';
import type { Publisher } from '../realtime/publisher.js';
import { localDate } from '../reports/calendar.js';
import type { ShiftRecord, StoredCertificate } from '../store/control-room.js';
import type { Store } from '../store/store.js';
import { answerDecision, certificateState, isStaffed, shiftProblems } from './decisions.js';

export class ControlRoomService {
  constructor(private readonly deps: { store: Store; commands: CommandService; publisher: Publisher; logger: Logger; now?: () => number }) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private withState(c: StoredCertificate): Certificate {
    return { ...c, state: certificateState(c.expiresOn, localDate(this.now())) };
  }

  /** The institution if `scopes` see it; 404 otherwise. */
  async site(siteId: string, scopes: readonly SiteScope[], field = 'siteId'): Promise<Site> {
    const site = (await this.deps.store.listSites([...scopes, { siteIds: [siteId] }]))[0];
    if (!site) throw new HttpError(404, `${field}: no institution ${siteId}`);
    return site;
  }

  // certificates

  /** Records an operator's certificate; the operator must work at an institution the caller sees. */
  async putCertificate(username: string, c: NewCertificate, by: User, scopes: readonly SiteScope[]): Promise<Certificate> {
    const { store } = this.deps;
    const holder = await store.findUser(username);
    if (!holder || holder.role !== 'operator') throw new HttpError(404, `username: no operator ${username}`);
    const sites = await store.listSites([...scopes, { siteIds: holder.siteIds }]);
    if (sites.length === 0) throw new HttpError(404, `username: no operator ${username}`);
    return this.withState(await store.controlRoom.putCertificate(username, c, by.username, this.now()));
  }

  async certificates(scopes: readonly SiteScope[], state?: Certificate['state']): Promise<Certificate[]> {
    const all = (await this.deps.store.controlRoom.certificates(scopes)).map((c) => this.withState(c));
    return state ? all.filter((c) => c.state === state) : all;
  }

  // the roster

  async addShift(s: NewShift, by: User, scopes: readonly SiteScope[]): Promise<Shift> {
    const site = await this.site(s.siteId, scopes);
    const shift = await this.acceptedShift(site, s);
    return this.deps.store.controlRoom.addShift(shift, by.username, this.now());
  }

  /** Changes a shift of the roster (its times, operators or leader; not its control room), checked as a new one is. */
  async editShift(id: string, s: Omit<NewShift, 'siteId'>, by: User, scopes: readonly SiteScope[]): Promise<Shift> {
    const { store } = this.deps;
    const current = await store.controlRoom.shift(id, scopes);
    if (!current) throw new HttpError(404, `id: no shift ${id}`);
    const shift = await this.acceptedShift(await this.site(current.siteId, scopes), s);
    const changed = await store.controlRoom.editShift(id, shift, by.username, this.now());
    if (!changed) throw new HttpError(404, `id: no shift ${id}`);
    return changed;
  }

  /** Takes a shift off the roster. */
  async removeShift(id: string, scopes: readonly SiteScope[]): Promise<void> {
    const { store } = this.deps;
    const current = await store.controlRoom.shift(id, scopes);
    if (!current || !(await store.controlRoom.removeShift(id))) throw new HttpError(404, `id: no shift ${id}`);
  }

  /** The shift as stored, or a 400 naming the field of its first problem (shiftProblems). */
  private async acceptedShift(site: Site, s: Omit<NewShift, 'siteId'>): Promise<ShiftRecord> {
    const { store } = this.deps;
    const [startsAt, endsAt] = [Date.parse(s.startsAt), Date.parse(s.endsAt)];
    const [operators, certificates] = await Promise.all([store.controlRoom.operatorsOf(site.id), store.controlRoom.certificates([], s.operators)]);
    const problems = shiftProblems({ startsAt, endsAt, operators: s.operators, lastDay: localDate(endsAt - 1) }, new Set(operators), new Map(certificates.map((c) => [c.username, c])));
    const first = problems[0];
    if (first) {
      throw new HttpError(400, `body.${first.field}: ${first.message}`, problems.map((p) => ({ field: `body.${p.field}`, message: p.message })), first.code, first.params);
    }
    return { siteId: site.id, regionCode: site.regionCode, startsAt, endsAt, operators: s.operators, leader: s.leader };
  }

  // on duty

  async signOn(siteId: string, user: User, scopes: readonly SiteScope[]): Promise<DutySession> {
    const site = await this.site(siteId, scopes);
    const session = await this.deps.store.controlRoom.signOn(site.id, site.regionCode, user.username, this.now());
    if (!session) throw codedError(409, 'duty.signed_on', `${user.username} is signed on at ${site.id} already`);
    this.deps.logger.info({ siteId: site.id, username: user.username }, 'signed on duty');
    return session;
  }

  async signOff(siteId: string, handover: { open: string; happened: string }, user: User, scopes: readonly SiteScope[]): Promise<DutySession> {
    const site = await this.site(siteId, scopes);
    const session = await this.deps.store.controlRoom.signOff(site.id, user.username, handover, this.now());
    if (!session) throw codedError(409, 'duty.not_signed_on', `${user.username} is not signed on at ${site.id}`);
    this.deps.logger.info({ siteId: site.id, username: user.username }, 'signed off duty');
    return session;
  }

  /** Each control room in scope (or `siteId`): who is signed on, the shift on the roster now, whether it is staffed. */
  async onDuty(scopes: readonly SiteScope[], siteId?: string): Promise<OnDuty[]> {
    const { store } = this.deps;
    const now = this.now();
    const view = siteId ? [...scopes, { siteIds: [siteId] }] : scopes;
    const [sites, open, shifts] = await Promise.all([
      store.listSites(view), store.controlRoom.sessions(view, { open: true, limit: 10_000 }), store.controlRoom.shifts(view, { from: now, to: now + 1 }),
    ]);
    const certificates = new Map((await store.controlRoom.certificates([], [...new Set(open.map((s) => s.username))])).map((c) => [c.username, this.withState(c)]));
    return sites.map((site) => {
      const signedOn = open.filter((s) => s.siteId === site.id)
        .map((s) => ({ username: s.username, since: s.signedOnAt, certificate: certificates.get(s.username)?.state ?? null }));
      return { siteId: site.id, siteName: site.name, regionCode: site.regionCode, signedOn, shift: shifts.find((s) => s.siteId === site.id) ?? null, staffed: isStaffed(signedOn) };
    });
  }

  // 查岗

  /** A bureau (or admin) asks the control room to answer within `timeoutMin`; its transmission device is asked too. */
  async askDutyCheck(siteId: string, timeoutMin: number, by: User, scopes: readonly SiteScope[]): Promise<DutyCheck> {
    const { store, commands, publisher, logger } = this.deps;
    const site = await this.site(siteId, scopes);
    const askedAt = this.now();
    const [device] = await store.listDevices([{ siteIds: [site.id] }], { family: 'transmission_device', limit: 1, offset: 0 }).then((ds) => ds.filter((d) => !d.disabled));
    let check = await store.controlRoom.addCheck({ siteId: site.id, regionCode: site.regionCode, askedBy: by.username, askedAt, answerBy: askedAt + timeoutMin * 60_000, deviceId: device?.id ?? null });
    if (device) {
      const command = await commands.send({
        deviceId: device.id, type: 'duty_check', params: { timeoutMin }, ruleId: null, subject: null,
        timeoutSec: TRANSMISSION_COMMAND_TIMEOUT_SEC, retries: TRANSMISSION_COMMAND_RETRIES,
      });
      check = (await store.controlRoom.linkCommand(check.id, command.id)) ?? check;
    }
    logger.info({ siteId: site.id, dutyCheckId: check.id, by: by.username, timeoutMin, deviceId: device?.id }, 'duty check asked');
    publisher.toSite(site.id, site.regionCode, 'duty.check', check, { upTo: 'all' });
    return check;
  }

  async answerDutyCheck(id: string, user: User, scopes: readonly SiteScope[]): Promise<DutyCheck> {
    const { store, publisher } = this.deps;
    const check = await store.controlRoom.check(id, scopes);
    if (!check) throw new HttpError(404, `id: no duty check ${id}`);
    const now = this.now();
    const decision = answerDecision(check.state, Date.parse(check.answerBy), now);
    if (!decision.ok) throw codedError(409, decision.code, decision.message);
    const answered = await store.controlRoom.answer(id, user.username, now);
    if (!answered) throw codedError(409, 'duty_check.missed', 'this duty check was not answered in time');
    publisher.toSite(answered.siteId, answered.regionCode, 'duty.check', answered, { upTo: 'all' });
    return answered;
  }

  /** The clock: checks past their time are missed (app.ts runs it every few seconds). */
  async sweep(): Promise<void> {
    for (const check of await this.deps.store.controlRoom.missOverdue(this.now())) {
      this.deps.logger.warn({ siteId: check.siteId, dutyCheckId: check.id }, 'duty check missed');
      this.deps.publisher.toSite(check.siteId, check.regionCode, 'duty.check', check, { upTo: 'all' });
    }
  }

  /** A command settled: the transmission device's answer to a 查岗 is recorded with the check. */
  async commandSettled(c: CommandRecord): Promise<void> {
    if (c.type !== 'duty_check' || c.state !== 'acked') return;
    const check = await this.deps.store.controlRoom.deviceAnswered(c.id, c.ackedAt ? Date.parse(c.ackedAt) : this.now());
    if (check) this.deps.publisher.toSite(check.siteId, check.regionCode, 'duty.check', check, { upTo: 'all' });
  }
}
