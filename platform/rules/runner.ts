// The rules engine's shell: feeds the pure engine events, readings and clock ticks, carries out
// what the rules decide (records in the event's transaction; commands and notifications after it),
// keeps the engine's state across restarts.
import type { Logger } from 'pino';
import type { DeviceEvent } from '../../gateway/payloads.js';
import type { CommandService } from '../commands/service.js';
import type { Notifier } from '../notify/notifier.js';
import type { Publisher } from '../realtime/publisher.js';
import { describeLocation, type Directory, type DeviceEntry } from '../registry/sites.js';
import type { Alarm, Ticket, WorkOrder } from '../schemas.js';
import type { Queryable } from '../store/executor.js';
import type { Store } from '../store/store.js';
import { isRecordAction, plan, type Action } from './actions.js';
import { defaultRules } from './defaults.js';
import { deserializeState, evaluate, initialState, serializeState, type EngineState } from './engine.js';
import type { Rule, SpecialPeriod } from './schema.js';
import type { DeviceFacts, EngineContext, EngineEffect, EngineInput } from './types.js';

export interface Changes {
  alarms: Alarm[];
  workorders: WorkOrder[];
  tickets: Ticket[];
  /** Commands and notifications, carried out once the records are committed. */
  after: Action[];
}

const none = (): Changes => ({ alarms: [], workorders: [], tickets: [], after: [] });

export function factsOf(d: DeviceEntry): DeviceFacts {
  return { id: d.id, family: d.family, siteId: d.siteId, zone: d.zone, heartbeatSec: d.heartbeatSec };
}

export interface RunnerDeps {
  store: Store;
  directory: Directory;
  publisher: Publisher;
  notifier: Notifier;
  commands: CommandService;
  logger: Logger;
  now?: () => number;
}

export class RuleRunner {
  private state: EngineState = initialState();
  private rules: Rule[] = [];
  private rulesById = new Map<string, Rule>();
  private periods: SpecialPeriod[] = [];
  private readonly ctx: EngineContext;
  private readonly now: () => number;
  evaluations = 0;

  constructor(private readonly deps: RunnerDeps) {
    this.now = deps.now ?? Date.now;
    this.ctx = {
      rules: [],
      periods: [],
      site: (id) => {
        const site = deps.directory.cachedSite(id);
        return site ? { id, authorisedBadges: site.authorisedBadges } : undefined;
      },
    };
  }

  async start(): Promise<void> {
    const { store, logger } = this.deps;
    const installed = await store.rules.installDefaults(defaultRules(), this.now());
    if (installed.length) logger.info({ rules: installed }, 'default rules installed');
    await this.reloadRules();
    const saved = await store.rules.loadEngineState();
    if (saved) {
      try {
        this.state = deserializeState(saved);
      } catch (err) {
        logger.error({ err }, 'engine state unreadable; starting fresh (open alarms, orders and tickets stay open)');
      }
    }
    // Every device is known to the engine from the start, so one that never reports goes offline on time.
    // FireNet heard nothing while it was down: each device gets its k heartbeats from now, except those
    // already offline (their open work orders stay open until they are really heard from).
    const at = this.now();
    const offline = await store.workorders.openDeviceIds('offline');
    for (const d of await store.devicesForEngine()) {
      await this.deps.directory.site(d.siteId);
      const lastSeenAt = offline.has(d.id) ? d.lastSeenAt : Math.max(d.lastSeenAt ?? at, at);
      this.evaluate({ kind: 'register', device: d, lastSeenAt, at });
    }
  }

  async reloadRules(): Promise<void> {
    const { store } = this.deps;
    this.rules = (await store.rules.current()).map((r) => r.definition);
    this.rulesById = new Map(this.rules.map((r) => [r.id, r]));
    this.periods = await store.rules.periods();
    this.ctx.rules = this.rules;
    this.ctx.periods = this.periods;
  }

  get ruleCount(): number {
    return this.rules.length;
  }

  private evaluate(input: EngineInput): EngineEffect[] {
    this.evaluations++;
    const { state, effects } = evaluate(this.state, input, this.ctx);
    this.state = state;
    return effects;
  }

  /** A new device event, inside the transaction that stored it: the records it opens commit with it. */
  async onEvent(tx: Queryable, device: DeviceEntry, event: DeviceEvent, at: number): Promise<Changes> {
    await this.deps.directory.site(device.siteId, tx); // warm the cache the engine's context reads
    return this.apply(tx, this.evaluate({ kind: 'event', device: factsOf(device), event, at }), device);
  }

  /** A reading: the records it opens get their own transaction, off the ingest path. */
  async onTelemetry(device: DeviceEntry, metrics: Record<string, number | boolean>, port: number | null, at: number): Promise<void> {
    await this.run(this.evaluate({ kind: 'telemetry', device: factsOf(device), metrics, port, at }));
  }

  onSeen(device: DeviceEntry, at: number): Promise<void> {
    return this.run(this.evaluate({ kind: 'seen', device: factsOf(device), at }));
  }

  /** A synthetic event from the platform itself (e.g. `alarm.false_alarm` when an operator confirms a false alarm). */
  async onPlatformEvent(device: DeviceEntry, type: string, data: Record<string, unknown>): Promise<void> {
    const at = this.now();
    await this.run(this.evaluate({ kind: 'event', device: factsOf(device), event: { id: `platform-${type}-${at}`, ts: at, type, data }, at }));
  }

  async register(device: DeviceEntry): Promise<void> {
    await this.deps.directory.site(device.siteId);
    this.evaluate({ kind: 'register', device: factsOf(device), lastSeenAt: null, at: this.now() });
  }

  /** A device disabled (or gone): the engine drops it and its timers, so it never goes "offline". */
  forget(deviceId: string): void {
    this.evaluate({ kind: 'forget', deviceId, at: this.now() });
  }

  /** The clock: held states, metric durations and offline deadlines mature here (app.ts ticks every second). */
  tick(): Promise<void> {
    return this.run(this.evaluate({ kind: 'tick', at: this.now() }));
  }

  /** Saves the engine's state (app.ts: every 10 s and at shutdown), so timers survive a restart. */
  persist(): Promise<void> {
    return this.deps.store.rules.saveEngineState(serializeState(this.state), this.now());
  }

  /** Applies effects in a transaction of their own, then publishes and carries out the rest. */
  private async run(effects: EngineEffect[]): Promise<void> {
    if (effects.length === 0) return;
    const changes = await this.deps.store.transaction((tx) => this.apply(tx, effects));
    await this.publish(changes);
  }

  private async apply(tx: Queryable, effects: EngineEffect[], known?: DeviceEntry): Promise<Changes> {
    const changes = none();
    for (const action of plan(effects, this.rulesById)) {
      if (!isRecordAction(action)) { changes.after.push(action); continue; }
      await this.record(tx, action, changes, known);
    }
    return changes;
  }

  private async record(tx: Queryable, action: Action, changes: Changes, known?: DeviceEntry): Promise<void> {
    const { store, directory } = this.deps;
    const cause = action.cause;
    const device = cause.deviceId ? (known?.id === cause.deviceId ? known : await directory.device(cause.deviceId, tx)) : null;
    const site = await directory.site(cause.siteId, tx);
    if (!site) return;
    const data = cause.kind === 'raise' ? cause.data : {};
    switch (action.kind) {
      case 'alarm.raise':
        if (!device || cause.kind !== 'raise') return;
        changes.alarms.push(await store.alarms.raise(tx, {
          ruleId: action.rule.id, subject: cause.subject, deviceId: device.id, siteId: site.id, regionCode: site.regionCode,
          family: device.family, type: typeof data.type === 'string' ? data.type : action.rule.id,
          location: describeLocation(device, (data.data as Record<string, unknown> | undefined)?.zone), zone: device.zone, data, at: cause.at,
        }));
        return;
      case 'alarm.likely_fire': {
        const zone = cause.kind === 'raise' ? cause.zone : null;
        if (!zone) return;
        const devices = Array.isArray(data.devices) ? (data.devices as string[]) : [];
        changes.alarms.push(...(await store.alarms.markLikelyFire(tx, site.id, zone, devices)));
        return;
      }
      case 'workorder.raise':
        if (!device) return;
        changes.workorders.push(await store.workorders.raise(tx, {
          ruleId: action.rule.id, subject: action.cause.subject, deviceId: device.id, siteId: site.id, regionCode: site.regionCode,
          category: action.effect.category, data, at: action.cause.at,
        }));
        return;
      case 'ticket.raise': {
        const { ticket } = await store.tickets.raise(tx, {
          ruleId: action.rule.id, subject: action.cause.subject, source: 'rule', deviceId: device?.id ?? null, siteId: site.id, regionCode: site.regionCode,
          title: action.effect.title, description: action.rule.name, location: device ? describeLocation(device) : (action.cause.zone ?? ''),
          level: action.effect.level, grade: action.effect.grade, data, reportedBy: 'system', at: action.cause.at,
        });
        changes.tickets.push(ticket);
        return;
      }
      case 'alarm.recover': {
        const alarm = await store.alarms.recover(tx, action.rule.id, cause.subject, cause.at, action.close);
        if (alarm) changes.alarms.push(alarm);
        return;
      }
      case 'workorder.recover': {
        const order = await store.workorders.recover(tx, action.rule.id, cause.subject, cause.at, action.close);
        if (order) changes.workorders.push(order);
        return;
      }
      case 'ticket.recover': {
        const ticket = await store.tickets.recover(tx, action.rule.id, cause.subject, cause.at);
        if (ticket) changes.tickets.push(ticket);
        return;
      }
    }
  }

  /** After commit: push the changed records, send commands, notify. */
  async publish(changes: Changes): Promise<void> {
    const { publisher, notifier, commands, directory, logger } = this.deps;
    for (const a of changes.alarms) publisher.alarm(a);
    for (const w of changes.workorders) publisher.workorder(w);
    for (const t of changes.tickets) publisher.ticket(t);
    for (const action of changes.after) {
      try {
        if (action.kind === 'command' && action.cause.deviceId) {
          const port = action.cause.port;
          await commands.send({
            deviceId: action.cause.deviceId, type: action.effect.type, params: { ...action.effect.params, ...(port !== null ? { port } : {}) },
            ruleId: action.rule.id, subject: action.cause.subject, timeoutSec: action.effect.timeoutSec, retries: action.effect.retries,
          });
        } else if (action.kind === 'notify') {
          const site = await directory.site(action.cause.siteId);
          if (site) notifier.notify(site, { kind: action.rule.id, siteId: site.id, message: action.effect.message, at: new Date(action.cause.at).toISOString(), data: { deviceId: action.cause.deviceId, ...action.cause.data } });
        }
      } catch (err) {
        logger.error({ err, ruleId: action.rule.id, kind: action.kind }, 'rule effect failed');
      }
    }
  }
}
