// The engine's memory between inputs, and its persisted form: versioned JSON, so pending
// conditions (an isolation 20 h into its 24 h, an offline deadline) survive a restart.
import { z } from 'zod';
import { DeviceFamily } from '../../contracts/device-api.js';
import { TimerHeap, type Timer } from './heap.js';
import type { DeviceFacts } from './types.js';

export const STATE_VERSION = 1;

const Facts = z.object({
  id: z.string(),
  family: DeviceFamily,
  siteId: z.string(),
  zone: z.string().nullable(),
  heartbeatSec: z.number(),
}) satisfies z.ZodType<DeviceFacts>;

/** An item a rule has raised and not recovered: at most one per (ruleId, subject). */
const OpenItem = z.object({
  ruleId: z.string(),
  subject: z.string(),
  deviceId: z.string().nullable(),
  siteId: z.string(),
  since: z.number(),
});
export type OpenItem = z.infer<typeof OpenItem>;

/** A held condition's start, waiting for its end or its `forSec`. */
const HeldEntry = z.object({
  ruleId: z.string(),
  subject: z.string(),
  since: z.number(),
  port: z.number().nullable(),
  event: z.object({ type: z.string(), id: z.string(), data: z.record(z.string(), z.unknown()) }),
  raised: z.boolean(),
  /** Seq of the live timer; 0 when none. */
  timer: z.number(),
});
export type HeldEntry = z.infer<typeof HeldEntry>;

/** One metric rule's view of one device port: latest values, samples for `rising`, pending since. */
const MetricEntry = z.object({
  ruleId: z.string(),
  subject: z.string(),
  port: z.number().nullable(),
  values: z.record(z.string(), z.union([z.number(), z.boolean()])),
  /** Per metric, flat [t0, v0, t1, v1, ...], oldest first. */
  samples: z.record(z.string(), z.array(z.number())),
  pendingSince: z.number().nullable(),
  timer: z.number(),
  due: z.number(),
});
export type MetricEntry = z.infer<typeof MetricEntry>;

const TimerSchema = z.object({
  due: z.number(),
  seq: z.number(),
  kind: z.enum(['absence', 'held', 'metric']),
  deviceId: z.string(),
  key: z.string(),
}) satisfies z.ZodType<Timer>;

const PersistedDevice = z.object({
  facts: Facts,
  lastSeen: z.number(),
  /** Absence rule id -> seq of the device's live deadline timer for it. */
  absence: z.record(z.string(), z.number()),
  held: z.array(HeldEntry),
  metric: z.array(MetricEntry),
  /** Rate rule id -> times of matching events in the window. */
  rate: z.array(z.tuple([z.string(), z.array(z.number())])),
});

const PersistedState = z.object({
  version: z.literal(STATE_VERSION),
  seq: z.number(),
  devices: z.array(PersistedDevice),
  open: z.array(OpenItem),
  /** Correlation key -> [deviceId, time of its latest matching event]. */
  correlation: z.array(z.tuple([z.string(), z.array(z.tuple([z.string(), z.number()]))])),
  timers: z.array(TimerSchema),
});
type PersistedState = z.infer<typeof PersistedState>;

export interface DeviceState {
  facts: DeviceFacts;
  lastSeen: number;
  absence: Record<string, number>;
  /** Keyed by open-item key (see openKey); created on first use. */
  held?: Map<string, HeldEntry>;
  metric?: Map<string, MetricEntry>;
  rate?: Map<string, number[]>;
  /** Derived (rebuilt on restore): keys of this device's open items. */
  open?: Set<string>;
}

export interface EngineState {
  version: typeof STATE_VERSION;
  /** Last timer seq issued. */
  seq: number;
  devices: Map<string, DeviceState>;
  open: Map<string, OpenItem>;
  correlation: Map<string, Map<string, number>>;
  timers: TimerHeap;
}

export function initialState(): EngineState {
  return { version: STATE_VERSION, seq: 0, devices: new Map(), open: new Map(), correlation: new Map(), timers: new TimerHeap() };
}

/** The key of an open item, also used for the held and metric entries of the same subject. Rule ids hold no spaces. */
export const openKey = (ruleId: string, subject: string): string => `${ruleId} ${subject}`;

export function serializeState(s: EngineState): string {
  const persisted: PersistedState = {
    version: STATE_VERSION,
    seq: s.seq,
    devices: [...s.devices.values()].map((d) => ({
      facts: d.facts,
      lastSeen: d.lastSeen,
      absence: d.absence,
      held: d.held ? [...d.held.values()] : [],
      metric: d.metric ? [...d.metric.values()] : [],
      rate: d.rate ? [...d.rate] : [],
    })),
    open: [...s.open.values()],
    correlation: [...s.correlation].map(([key, devices]) => [key, [...devices]]),
    timers: s.timers.items,
  };
  return JSON.stringify(persisted);
}

/** Restores a state written by serializeState; throws naming the first bad field, or an unknown version. */
export function deserializeState(json: string): EngineState {
  const raw: unknown = JSON.parse(json);
  const version = (raw as { version?: unknown } | null)?.version;
  if (version !== STATE_VERSION) throw new Error(`rules engine state: version ${String(version)} is not ${STATE_VERSION}`);
  const parsed = PersistedState.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`rules engine state: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const p = parsed.data;
  const state = initialState();
  state.seq = p.seq;
  for (const d of p.devices) {
    const device: DeviceState = { facts: d.facts, lastSeen: d.lastSeen, absence: d.absence };
    if (d.held.length) device.held = new Map(d.held.map((h) => [openKey(h.ruleId, h.subject), h]));
    if (d.metric.length) device.metric = new Map(d.metric.map((m) => [openKey(m.ruleId, m.subject), m]));
    if (d.rate.length) device.rate = new Map(d.rate);
    state.devices.set(d.facts.id, device);
  }
  for (const item of p.open) {
    const key = openKey(item.ruleId, item.subject);
    state.open.set(key, item);
    if (item.deviceId !== null) {
      const device = state.devices.get(item.deviceId);
      if (device) (device.open ??= new Set()).add(key);
    }
  }
  for (const [key, devices] of p.correlation) state.correlation.set(key, new Map(devices));
  state.timers = new TimerHeap(p.timers);
  return state;
}
