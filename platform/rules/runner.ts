// The rules engine's shell: feeds the pure engine events, readings and clock ticks and keeps the engine's state
// (and its timers) across restarts. It only decides: what it returns is carried out by the records' owners
// (effects/apply.ts), inside the caller's transaction.
import type { Logger } from 'pino';
import type { DeviceEvent } from '../../contracts/device-api.js';
import type { Directory, DeviceEntry } from '../registry/sites.js';
import type { Queryable } from '../store/executor.js';
import type { Store } from '../store/store.js';
import { plan, type Action } from './actions.js';
import { defaultRules } from './defaults.js';
import { deserializeState, evaluate, initialState, serializeState, type EngineState } from './engine.js';
import type { Rule, SpecialPeriod } from '../../contracts/rules.js';
import type { DeviceFacts, EngineContext, EngineEffect, EngineInput } from './types.js';

export function factsOf(d: DeviceEntry): DeviceFacts {
  return { id: d.id, family: d.family, siteId: d.siteId, zone: d.zone, heartbeatSec: d.heartbeatSec };
}

export interface RunnerDeps {
  store: Store;
  directory: Directory;
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

  /** Evaluates `input` and turns what the rules did into actions for the owners to carry out. */
  private decide(input: EngineInput): Action[] {
    return plan(this.evaluate(input), this.rulesById);
  }

  /** Decides on a device event; `q` is the transaction storing it (the site is read there, on PGlite it must be). */
  async onEvent(device: DeviceEntry, event: DeviceEvent, at: number, q?: Queryable): Promise<Action[]> {
    await this.deps.directory.site(device.siteId, q); // warm the cache the engine's context reads
    return this.decide({ kind: 'event', device: factsOf(device), event, at });
  }

  /** Decides on a reading. */
  onTelemetry(device: DeviceEntry, metrics: Record<string, number | boolean>, port: number | null, at: number): Action[] {
    return this.decide({ kind: 'telemetry', device: factsOf(device), metrics, port, at });
  }

  /** The device was heard from (a command answer): it is not offline. */
  onSeen(device: DeviceEntry, at: number): Action[] {
    return this.decide({ kind: 'seen', device: factsOf(device), at });
  }

  /** A synthetic event from the platform itself (e.g. `alarm.false_alarm` when an operator confirms a false alarm). */
  onPlatformEvent(device: DeviceEntry, type: string, data: Record<string, unknown>): Action[] {
    const at = this.now();
    return this.decide({ kind: 'event', device: factsOf(device), event: { id: `platform-${type}-${at}`, ts: at, type, data }, at });
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
  tick(): Action[] {
    return this.decide({ kind: 'tick', at: this.now() });
  }

  /** Saves the engine's state (app.ts: every 10 s and at shutdown), so timers survive a restart. */
  persist(): Promise<void> {
    return this.deps.store.rules.saveEngineState(serializeState(this.state), this.now());
  }
}
