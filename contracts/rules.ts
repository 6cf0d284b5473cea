// Rules are data: a rule names the device families it applies to, a condition, and effects.
// These schemas are the single source of the rule format (files in rules/defaults, the API, the engine).
import { z } from 'zod';
import { DeviceFamily } from './device-api.js';
import { RiskLevel } from './risks.js';

/** 隐患等级 (legal classification): 重大事故隐患 / 一般隐患. */
export const HazardGrade = z.enum(['major', 'general']);
export type HazardGrade = z.infer<typeof HazardGrade>;

export const workOrderCategories = ['offline', 'battery', 'fault', 'power', 'tamper', 'false_alarms', 'command_failed'] as const;
export const WorkOrderCategory = z.enum(workOrderCategories);
export type WorkOrderCategory = z.infer<typeof WorkOrderCategory>;

const Comparison = z.enum(['>', '>=', '<', '<=', '==', '!=']);

/** A test on one field of an event's data. */
export const FieldFilter = z.union([
  z.object({ op: Comparison, value: z.union([z.number(), z.string(), z.boolean()]) }),
  z.object({ op: z.literal('in'), value: z.array(z.union([z.number(), z.string()])).min(1) }),
  /** The array field holds fewer than `value` distinct entries (authorised ones only, when the site keeps a list). */
  z.object({ op: z.literal('distinct_lt'), value: z.number().int().min(1), authorisedOnly: z.boolean().default(true) }),
]);
export type FieldFilter = z.infer<typeof FieldFilter>;

/** A test on the latest value of one metric (per port when the frame has one). */
export const MetricPredicate = z.union([
  z.object({ metric: z.string().min(1), op: Comparison, value: z.union([z.number(), z.boolean()]) }),
  /** The metric rose by at least `minDelta` over the last `windowSec`. */
  z.object({ metric: z.string().min(1), rising: z.object({ windowSec: z.number().positive(), minDelta: z.number().positive() }) }),
]);
export type MetricPredicate = z.infer<typeof MetricPredicate>;

export const EventCondition = z.object({
  kind: z.literal('event'),
  types: z.array(z.string().min(1)).min(1),
  where: z.record(z.string(), FieldFilter).default({}),
  /** Event types that end the condition (recovery), e.g. smoke.clear. */
  clearTypes: z.array(z.string().min(1)).default([]),
  /** Data fields that tell sources of one device apart (a panel's loop and point): one open item per source. */
  sourceFields: z.array(z.string()).default([]),
});

/** A state that starts with one event and ends with another, held longer than `forSec` (isolation left on, a door left open). */
export const HeldCondition = z.object({
  kind: z.literal('held'),
  startTypes: z.array(z.string().min(1)).min(1),
  endTypes: z.array(z.string().min(1)).min(1),
  forSec: z.number().positive(),
  sourceFields: z.array(z.string()).default([]),
});

/** Named special periods (holidays, major events) in which a metric rule is stricter. */
export const SpecialOverride = z.object({
  periods: z.array(z.string().min(1)).min(1),
  when: z.array(MetricPredicate).min(1),
  forSec: z.number().min(0).optional(),
});

export const MetricCondition = z.object({
  kind: z.literal('metric'),
  /** All must hold, continuously for `forSec`. */
  when: z.array(MetricPredicate).min(1),
  forSec: z.number().min(0).default(0),
  /** Hysteresis: all must hold to clear (default: any `when` predicate no longer holds). */
  clearWhen: z.array(MetricPredicate).optional(),
  /** Stricter `when` (and `forSec`) during named special periods. */
  special: SpecialOverride.optional(),
});

export const RateCondition = z.object({
  kind: z.literal('rate'),
  types: z.array(z.string().min(1)).min(1),
  count: z.number().int().min(2),
  windowSec: z.number().positive(),
});

/** Offline: no message from the device for `heartbeats` times its heartbeat interval. */
export const AbsenceCondition = z.object({
  kind: z.literal('absence'),
  heartbeats: z.number().positive().default(3),
});

/** At least `minDevices` distinct devices of one site and zone raise one of `types` within `windowSec`. */
export const CorrelationCondition = z.object({
  kind: z.literal('correlation'),
  types: z.array(z.string().min(1)).min(1),
  minDevices: z.number().int().min(2),
  windowSec: z.number().positive(),
});

export const Condition = z.discriminatedUnion('kind', [EventCondition, HeldCondition, MetricCondition, RateCondition, AbsenceCondition, CorrelationCondition]);
export type Condition = z.infer<typeof Condition>;

export const recoveries = ['close', 'mark', 'none'] as const;

export const Effect = z.discriminatedUnion('kind', [
  /** Raise (or repeat) a fire alarm; `likelyFire` marks a correlated, probably real fire. */
  z.object({ kind: z.literal('alarm'), likelyFire: z.boolean().default(false), recovery: z.enum(recoveries).default('mark') }),
  z.object({ kind: z.literal('workorder'), category: WorkOrderCategory, recovery: z.enum(recoveries).default('close') }),
  /** Open a hazard ticket titled `title` (in Chinese; `titleEn` for an English viewer, carried by the ticket). */
  z.object({
    kind: z.literal('hazard'), level: RiskLevel, grade: HazardGrade, title: z.string().min(1).max(200), titleEn: z.string().max(200).optional(),
    /** The 重大事故隐患 criterion (contracts/hazard-criteria.ts) a major hazard is judged by; kept on its tickets. */
    criterion: z.string().max(64).optional(),
    recovery: z.enum(recoveries).default('mark'),
  }).refine((e) => e.grade !== 'major' || e.level !== 'low', { message: 'a major hazard (重大事故隐患) is not of low risk', path: ['level'] }),
  /** A downlink command; `port` is taken from the triggering event or reading when it has one. */
  z.object({
    kind: z.literal('command'),
    type: z.string().min(1).max(64),
    params: z.record(z.string(), z.unknown()).default({}),
    timeoutSec: z.number().positive().default(10),
    retries: z.number().int().min(0).max(10).default(2),
  }),
  /** Tells the institution's viewers (and its webhook): `message` in Chinese, `messageEn` for an English viewer. */
  z.object({ kind: z.literal('notify'), message: z.string().min(1).max(500), messageEn: z.string().max(500).optional() }),
]);
export type Effect = z.infer<typeof Effect>;

export const RuleId = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" and "-"');

export const Rule = z.object({
  id: RuleId,
  /** In Chinese (zh-CN), the dashboard's first language; `nameEn` and `descriptionEn` for an English viewer. */
  name: z.string().min(1).max(200),
  nameEn: z.string().max(200).optional(),
  description: z.string().max(1000).default(''),
  descriptionEn: z.string().max(1000).optional(),
  enabled: z.boolean().default(true),
  families: z.array(DeviceFamily).min(1),
  condition: Condition,
  effects: z.array(Effect).min(1),
});
export type Rule = z.infer<typeof Rule>;
export type RuleInput = z.input<typeof Rule>;

export const SpecialPeriod = z.object({
  name: z.string().min(1).max(64),
  label: z.string().max(100).default(''),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});
export type SpecialPeriod = z.infer<typeof SpecialPeriod>;

/** What the rules engine knows of a device (the store reads it for every device it watches). */
export interface DeviceFacts {
  id: string;
  family: DeviceFamily;
  siteId: string;
  zone: string | null;
  heartbeatSec: number;
}
