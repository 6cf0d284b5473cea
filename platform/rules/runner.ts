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
import { partitionOf } from '../cluster/partitions.js';

export function factsOf(d: DeviceEntry): DeviceFacts {
  return { id: d.id, family: d.family, siteId: d.siteId, zone: d.zone, heartbeatSec: d.heartbeatSec };
}

export interface RunnerDeps {
  store: Store;
  directory: Directory;
  logger: Logger;
  now?: () => number;
  /** Partitions the sites fall in (platform/cluster/partitions.ts): 1 for a lone node, which holds it. */
  partitions?: number;
  /** Partitions are taken empty: no saved state, no device (a rehearsal's engine, platform/rehearsal.ts). */
  fresh?: boolean;
}

/** The rules of a site whose partition another node of the cluster holds: its input goes there. */
export class NotHeldHere extends Error {
  constructor(readonly partition: number) {
    super(`rules partition ${partition} is held by another node`);
  }
}

export class RuleRunner {
  /** The engine's state of each partition this node holds. */
  private readonly states = new Map<number, EngineState>();
  private rules: Rule[] = [];
  private rulesById = new Map<string, Rule>();
  private periods: SpecialPeriod[] = [];
  private readonly ctx: EngineContext;
  private readonly now: () => number;
  readonly partitions: number;
  evaluations = 0;

  constructor(private readonly deps: RunnerDeps) {
    this.now = deps.now ?? Date.now;
    this.partitions = deps.partitions ?? 1;
    this.ctx = {
      rules: [],
      periods: [],
      site: (id) => {
        const site = deps.directory.cachedSite(id);
        return site ? { id, authorisedBadges: site.authorisedBadges } : undefined;
      },
    };
  }

  /** Installs the shipped rules and reads the rules in force; a lone node then takes its one partition. */
  async start(): Promise<void> {
    const { store, logger } = this.deps;
    const installed = await store.rules.installDefaults(defaultRules(), this.now());
    if (installed.length) logger.info({ rules: installed }, 'default rules installed');
    await this.reloadRules(false);
    if (this.partitions === 1) await this.hold([0]);
  }

  /** The partition of a site. */
  partitionOf(siteId: string): number {
    return partitionOf(siteId, this.partitions);
  }

  /** Whether this node runs the rules of `siteId` now. */
  holds(siteId: string): boolean {
    return this.states.has(this.partitionOf(siteId));
  }

  /** Partitions held here. */
  held(): number[] {
    return [...this.states.keys()];
  }

  /**
   * Takes partitions: each one's saved state (the timers of the node that held it before), and every device of their sites
   * known to the engine, so one that never reports goes offline on time. FireNet heard nothing of them meanwhile:
   * each device gets its k heartbeats from now, except those already offline (their open work orders stay open
   * until they are really heard from).
   */
  async hold(partitions: readonly number[]): Promise<void> {
    const taking = partitions.filter((p) => !this.states.has(p));
    if (taking.length === 0) return;
    if (this.deps.fresh) {
      for (const partition of taking) this.states.set(partition, initialState());
      return;
    }
    const { store, logger } = this.deps;
    const states = new Map(await Promise.all(taking.map(async (partition) => {
      let state = initialState();
      const saved = await store.rules.loadEngineState(this.stateId(partition));
      if (saved) {
        try {
          state = deserializeState(saved);
        } catch (err) {
          logger.error({ err, partition }, 'engine state unreadable; starting fresh (open alarms, orders and tickets stay open)');
        }
      }
      return [partition, state] as const;
    })));
    const at = this.now();
    // the devices read once for all the partitions taken (a takeover takes a dead node's share at once)
    const offline = await store.workorders.openDeviceIds('offline');
    for (const d of await store.devicesForEngine()) {
      const partition = this.partitionOf(d.siteId);
      const state = states.get(partition);
      if (!state) continue;
      await this.deps.directory.site(d.siteId);
      const lastSeenAt = offline.has(d.id) ? d.lastSeenAt : Math.max(d.lastSeenAt ?? at, at);
      states.set(partition, evaluate(state, { kind: 'register', device: d, lastSeenAt, at }, this.ctx).state);
    }
    // held from here: inputs for their sites are decided here from now on
    for (const [partition, state] of states) this.states.set(partition, state);
  }

  /** Gives a partition up: its state saved first when `save` (a handover), not when the lease ran out (another node may hold it). */
  async release(partition: number, save: boolean): Promise<void> {
    const state = this.states.get(partition);
    if (!state) return;
    this.states.delete(partition);
    if (save) await this.deps.store.rules.saveEngineState(this.stateId(partition), serializeState(state), this.now());
  }

  /** A lone node keeps its state where it always has (1); a cluster's partitions apart from it (1000 + partition). */
  private stateId(partition: number): number {
    return this.partitions === 1 ? 1 : 1000 + partition;
  }

  /** Called after the rules are read again because they were edited here (a cluster tells the other nodes). */
  onEdited: (() => void) | null = null;

  /** Reads the rules in force again: `edited` here (the API), or told by another node of a cluster (false). */
  async reloadRules(edited = true): Promise<void> {
    const { store } = this.deps;
    this.rules = (await store.rules.current()).map((r) => r.definition);
    this.rulesById = new Map(this.rules.map((r) => [r.id, r]));
    this.periods = await store.rules.periods();
    this.ctx.rules = this.rules;
    this.ctx.periods = this.periods;
    if (edited) this.onEdited?.();
  }

  get ruleCount(): number {
    return this.rules.length;
  }

  private evaluateIn(partition: number, input: EngineInput): EngineEffect[] {
    const current = this.states.get(partition);
    if (!current) throw new NotHeldHere(partition);
    this.evaluations++;
    const { state, effects } = evaluate(current, input, this.ctx);
    this.states.set(partition, state);
    return effects;
  }

  /** Evaluates `input` for a site and turns what the rules did into actions for the owners to carry out. */
  private decide(siteId: string, input: EngineInput): Action[] {
    return plan(this.evaluateIn(this.partitionOf(siteId), input), this.rulesById);
  }

  /** Decides on a device event; `q` is the transaction storing it (the site is read there, on PGlite it must be). */
  async onEvent(device: DeviceEntry, event: DeviceEvent, at: number, q?: Queryable): Promise<Action[]> {
    await this.deps.directory.site(device.siteId, q); // warm the cache the engine's context reads
    return this.decide(device.siteId, { kind: 'event', device: factsOf(device), event, at });
  }

  /** Decides on a reading. */
  onTelemetry(device: DeviceEntry, metrics: Record<string, number | boolean>, port: number | null, at: number): Action[] {
    return this.decide(device.siteId, { kind: 'telemetry', device: factsOf(device), metrics, port, at });
  }

  /** The device was heard from (a command answer): it is not offline. */
  onSeen(device: DeviceEntry, at: number): Action[] {
    return this.decide(device.siteId, { kind: 'seen', device: factsOf(device), at });
  }

  /** A synthetic event from the platform itself (e.g. `alarm.false_alarm` when an operator confirms a false alarm). */
  onPlatformEvent(device: DeviceEntry, type: string, data: Record<string, unknown>): Action[] {
    const at = this.now();
    return this.decide(device.siteId, { kind: 'event', device: factsOf(device), event: { id: `platform-${type}-${at}`, ts: at, type, data }, at });
  }

  /** A device provisioned: known to the engine of its partition, where it is held. */
  async register(device: DeviceEntry): Promise<void> {
    if (!this.holds(device.siteId)) return;
    await this.deps.directory.site(device.siteId);
    this.evaluateIn(this.partitionOf(device.siteId), { kind: 'register', device: factsOf(device), lastSeenAt: null, at: this.now() });
  }

  /** A device disabled (or gone): the engine drops it and its timers, so it never goes "offline". */
  forget(deviceId: string): void {
    for (const partition of this.states.keys()) this.evaluateIn(partition, { kind: 'forget', deviceId, at: this.now() });
  }

  /** The clock: held states, metric durations and offline deadlines mature here (app.ts ticks every second). */
  tick(): Action[] {
    const at = this.now();
    return [...this.states.keys()].flatMap((partition) => plan(this.evaluateIn(partition, { kind: 'tick', at }), this.rulesById));
  }

  /** Saves the engine's state of each partition held (app.ts: every few seconds and at shutdown), so timers survive a restart or a handover. */
  async persist(): Promise<void> {
    for (const [partition, state] of this.states) {
      await this.deps.store.rules.saveEngineState(this.stateId(partition), serializeState(state), this.now());
    }
  }
}
