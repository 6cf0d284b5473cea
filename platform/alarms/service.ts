// The control room's side of fire alarms: acknowledge, confirm (fire / false alarm / test), close;
// response deadlines watched and escalated; a confirmed fire goes upward at once.
import type { Logger } from 'pino';
import { HttpError } from '../errors.js';
import type { Notifier } from '../notify/notifier.js';
import type { Publisher } from '../realtime/publisher.js';
import type { Changes } from '../effects/changes.js';
import { describeLocation, type Directory, type DeviceEntry } from '../registry/sites.js';
import type { SiteScope } from '../../contracts/scope.js';
import type { Action } from '../rules/actions.js';
import type { Decision } from '../effects/changes.js';
import type { Alarm, DeadlineFlag, User } from '../../contracts/records.js';
import type { Queryable } from '../store/executor.js';
import type { AlarmRaise } from '../store/alarms.js';
import type { Store } from '../store/store.js';
import { decideAlarm, DEFAULT_RESPONSE_POLICY, dueFlags, type AlarmAction } from './lifecycle.js';

export class AlarmService {
  /** Fire alarms raised or repeated by rules (counted as applied, for /metrics). */
  raised = 0;

  constructor(private readonly deps: {
    store: Store; directory: Directory; publisher: Publisher; notifier: Notifier; logger: Logger; now?: () => number;
    /** An operator found an alarm false: the rules hear of it (a detector with many false alarms gets a work order). */
    onFalseAlarm(device: DeviceEntry, alarmId: string): Promise<void>;
  }) {}

  /**
   * Applies rules' decisions to raise alarms and flag zones as a likely fire, inside the caller's transaction: all
   * the raises in one statement, then all the zones in one; the changed alarms go into `changes`.
   */
  async raise(tx: Queryable, decisions: readonly Decision[], changes: Changes): Promise<void> {
    const { raised, alarms } = await this.write(tx, decisions);
    this.raised += raised;
    for (const alarm of alarms) changes.alarm(alarm);
  }

  /** The raises and zone flags of `decisions` written in `tx`: the alarms they changed, and how many raises there were. */
  async write(tx: Queryable, decisions: readonly Decision[]): Promise<{ raised: number; alarms: Alarm[] }> {
    const { store } = this.deps;
    const raises: AlarmRaise[] = [];
    const zones = new Map<string, { siteId: string; zone: string; devices: readonly string[] }>();
    for (const { action, device, site } of decisions) {
      const cause = action.cause;
      if (cause.kind !== 'raise') continue;
      const data = cause.data;
      if (action.kind === 'alarm.raise' && device) {
        raises.push({
          ruleId: action.rule.id, subject: cause.subject, deviceId: device.id, site,
          family: device.family, type: typeof data.type === 'string' ? data.type : action.rule.id,
          location: describeLocation(device, (data.data as Record<string, unknown> | undefined)?.zone), zone: device.zone, data, at: cause.at,
        });
      } else if (action.kind === 'alarm.likely_fire' && cause.zone) {
        // the zone's latest word on which devices alarmed together
        zones.set(`${site.id}\u0000${cause.zone}`, { siteId: site.id, zone: cause.zone, devices: Array.isArray(data.devices) ? (data.devices as string[]) : [] });
      }
    }
    // raised in a zone flagged in the same batch: flagged as they are raised, so the zone's update touches only older ones
    for (const r of raises) {
      const flagged = r.zone === null ? undefined : zones.get(`${r.site.id}\u0000${r.zone}`);
      if (flagged) r.likelyFire = { devices: flagged.devices };
    }
    const alarms = await store.alarms.raiseMany(tx, raises);
    alarms.push(...await store.alarms.markLikelyFire(tx, [...zones.values()]));
    return { raised: raises.length, alarms };
  }

  /** The condition is gone (smoke.clear): marked, and closed if the rule says so, inside the caller's transaction. */
  async recover(tx: Queryable, action: Extract<Action, { close: boolean }>, changes: Changes): Promise<void> {
    const alarm = await this.deps.store.alarms.recover(tx, action.rule.id, action.cause.subject, action.cause.at, action.close);
    if (alarm) changes.alarm(alarm);
  }

  /** After the commit: each changed alarm to its viewers, once (an institution's together, in one push). */
  publish(alarms: Iterable<Alarm>): void {
    const changed = [...alarms];
    this.deps.publisher.alarms(changed); // the screens first, then the log (a storm's 500 lines are written one by one)
    for (const alarm of changed) {
      if (alarm.status === 'new') this.deps.logger.info({ deviceId: alarm.deviceId, siteId: alarm.siteId, alarmId: alarm.id, ruleId: alarm.ruleId, count: alarm.count }, 'fire alarm');
    }
  }

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
    const { store, directory, notifier } = this.deps;
    const site = await directory.site(alarm.siteId);
    if (alarm.outcome === 'fire' && site) {
      // a real fire goes to every bureau above the institution at once
      notifier.notify(site, {
        kind: 'fire.confirmed', siteId: site.id, siteName: site.name, at: new Date(this.now()).toISOString(),
        data: { alarmId: alarm.id, deviceId: alarm.deviceId, location: alarm.location },
      }, { upTo: 'all' });
    }
    if (alarm.outcome === 'false_alarm') {
      await store.countFalseAlarm(alarm.deviceId);
      const device = await directory.device(alarm.deviceId);
      if (device) await this.deps.onFalseAlarm(device, alarm.id);
    }
  }

  /** Flags alarms past their acknowledge / confirm deadlines and escalates those unconfirmed at the escalation mark. */
  async checkDeadlines(): Promise<Alarm[]> {
    const { store, directory, publisher, notifier, logger } = this.deps;
    const now = this.now();
    const due: { id: string; flags: DeadlineFlag[] }[] = [];
    for (const alarm of await store.alarms.pastDeadline(now)) {
      const flags = dueFlags({
        status: alarm.status, raisedAt: Date.parse(alarm.raisedAt),
        ackOverdueAt: alarm.ackOverdueAt ? Date.parse(alarm.ackOverdueAt) : null,
        confirmOverdueAt: alarm.confirmOverdueAt ? Date.parse(alarm.confirmOverdueAt) : null,
        escalatedAt: alarm.escalatedAt ? Date.parse(alarm.escalatedAt) : null,
      }, policyOf(await directory.site(alarm.siteId)), now);
      if (flags.length) due.push({ id: alarm.id, flags });
    }
    // a storm's alarms pass their deadlines together: flagged in one statement, pushed to each institution at once
    if (due.length === 0) return [];
    const changed = await store.alarms.setFlagsMany(due, now);
    publisher.alarms(changed);
    const escalated = new Set(due.filter((d) => d.flags.includes('escalated')).map((d) => d.id));
    for (const alarm of changed) {
      if (!escalated.has(alarm.id)) continue;
      logger.warn({ alarmId: alarm.id, siteId: alarm.siteId, deviceId: alarm.deviceId }, 'alarm unconfirmed past its deadline: escalated');
      const site = await directory.site(alarm.siteId);
      if (site) {
        publisher.toSite(site.id, site.regionCode, 'alarm.escalated', alarm, { role: 'safety_manager', upTo: 'county' });
        notifier.notify(site, {
          kind: 'alarm.escalated', siteId: site.id, siteName: site.name, at: new Date(now).toISOString(),
          data: { alarmId: alarm.id, deviceId: alarm.deviceId, location: alarm.location, afterSec: site.escalateSec },
        }, { upTo: 'county' });
      }
    }
    return changed;
  }
}

function policyOf(site: { ackSec: number; confirmSec: number; escalateSec: number } | null) {
  return site ? { ackSec: site.ackSec, confirmSec: site.confirmSec, escalateSec: site.escalateSec } : DEFAULT_RESPONSE_POLICY;
}
