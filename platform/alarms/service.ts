// The control room's side of fire alarms: acknowledge, confirm (fire / false alarm / test), close;
// response deadlines watched and escalated; a confirmed fire goes upward at once.
import type { Logger } from 'pino';
import { HttpError } from '../errors.js';
import type { Notifier } from '../notify/notifier.js';
import type { Publisher } from '../realtime/publisher.js';
import type { Directory } from '../registry/sites.js';
import type { SiteScope } from '../registry/scope.js';
import type { RuleRunner } from '../rules/runner.js';
import type { Alarm, User } from '../schemas.js';
import type { Store } from '../store/store.js';
import { decideAlarm, DEFAULT_RESPONSE_POLICY, dueFlags, type AlarmAction } from './lifecycle.js';

export class AlarmService {
  constructor(private readonly deps: {
    store: Store; directory: Directory; publisher: Publisher; notifier: Notifier; rules: RuleRunner; logger: Logger; now?: () => number;
  }) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  async act(id: string, action: AlarmAction, user: User, scopes: readonly SiteScope[], note?: string): Promise<Alarm> {
    const { store, publisher, logger } = this.deps;
    const alarm = await store.alarms.get(id, scopes);
    if (!alarm) throw new HttpError(404, `id: no alarm ${id}`);
    const decision = decideAlarm(alarm.status, action);
    if (!decision.ok) throw new HttpError(decision.status, decision.message);
    const changed = await store.alarms.transition(id, alarm.status, decision.change, user.username, this.now(), note);
    if (!changed) throw new HttpError(409, 'the alarm changed meanwhile (someone else acted on it): reload it');
    logger.info({ alarmId: id, siteId: changed.siteId, deviceId: changed.deviceId, userId: user.id, status: changed.status, outcome: changed.outcome }, 'alarm updated');
    publisher.alarm(changed);
    if (action.kind === 'confirm') await this.afterConfirm(changed);
    return changed;
  }

  private async afterConfirm(alarm: Alarm): Promise<void> {
    const { store, directory, notifier, rules } = this.deps;
    const site = await directory.site(alarm.siteId);
    if (alarm.outcome === 'fire' && site) {
      // a real fire goes to every bureau above the institution at once
      notifier.notify(site, { kind: 'fire.confirmed', siteId: site.id, message: `${site.name}: 确认火警 confirmed fire (${alarm.location || alarm.deviceId})`, at: new Date(this.now()).toISOString(), data: { alarmId: alarm.id, deviceId: alarm.deviceId } }, { upTo: 'all' });
    }
    if (alarm.outcome === 'false_alarm') {
      await store.countFalseAlarm(alarm.deviceId);
      const device = await directory.device(alarm.deviceId);
      if (device) await rules.onPlatformEvent(device, 'alarm.false_alarm', { alarmId: alarm.id });
    }
  }

  /** Flags alarms past their acknowledge / confirm deadlines and escalates those unconfirmed at the escalation mark. */
  async checkDeadlines(): Promise<Alarm[]> {
    const { store, directory, publisher, notifier, logger } = this.deps;
    const now = this.now();
    const changed: Alarm[] = [];
    for (const alarm of await store.alarms.awaitingResponse()) {
      const flags = dueFlags({
        status: alarm.status, raisedAt: Date.parse(alarm.raisedAt),
        ackOverdueAt: alarm.ackOverdueAt ? Date.parse(alarm.ackOverdueAt) : null,
        confirmOverdueAt: alarm.confirmOverdueAt ? Date.parse(alarm.confirmOverdueAt) : null,
        escalatedAt: alarm.escalatedAt ? Date.parse(alarm.escalatedAt) : null,
      }, policyOf(await directory.site(alarm.siteId)), now);
      if (flags.length === 0) continue;
      const updated = await store.alarms.setFlags(alarm.id, flags, now);
      if (!updated) continue;
      changed.push(updated);
      publisher.alarm(updated);
      if (flags.includes('escalated')) {
        logger.warn({ alarmId: alarm.id, siteId: alarm.siteId, deviceId: alarm.deviceId }, 'alarm unconfirmed past its deadline: escalated');
        const site = await directory.site(alarm.siteId);
        if (site) {
          publisher.toSite(site.id, site.regionCode, 'alarm.escalated', updated, { role: 'safety_manager', upTo: 'county' });
          notifier.notify(site, { kind: 'alarm.escalated', siteId: site.id, message: `${site.name}: 火警超时未确认 alarm unconfirmed after ${site.escalateSec} s`, at: new Date(now).toISOString(), data: { alarmId: alarm.id } }, { upTo: 'county' });
        }
      }
    }
    return changed;
  }
}

function policyOf(site: { ackSec: number; confirmSec: number; escalateSec: number } | null) {
  return site ? { ackSec: site.ackSec, confirmSec: site.confirmSec, escalateSec: site.escalateSec } : DEFAULT_RESPONSE_POLICY;
}
