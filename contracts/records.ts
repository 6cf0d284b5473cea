// The records (sites, devices, alarms, work orders, hazard tickets, commands, users, tokens, the audit log) and their
// states as zod schemas: the single source of the types used by the store, the API, the sockets and the dashboard.
import { z } from 'zod';
import { DeviceFamily } from './device-api.js';
import { InstitutionProfile } from './duties.js';
import { HazardGrade } from './rules.js';
import { RiskLevel } from './risks.js';
import { TicketExtension, TicketSupervision } from './ticket-supervision.js';

// The records' states are contracts: the lifecycles (alarms/, tickets/, workorders/lifecycle.ts) decide over them.
export const alarmOutcomes = ['fire', 'false_alarm', 'test'] as const;
export const AlarmOutcome = z.enum(alarmOutcomes);
export type AlarmOutcome = z.infer<typeof AlarmOutcome>;

/** `verified`: a major hazard verified by the institution, awaiting the county bureau's approval of its closing. */
export const ticketStates = ['reported', 'registered', 'rectifying', 'pending_verification', 'verified', 'closed'] as const;
export const TicketState = z.enum(ticketStates);
export type TicketState = z.infer<typeof TicketState>;

export const workOrderStates = ['open', 'assigned', 'fixed', 'verified'] as const;
export const WorkOrderState = z.enum(workOrderStates);
export type WorkOrderState = z.infer<typeof WorkOrderState>;

export const RegionCode = z.string().regex(/^\d{6}$/, 'a 6-digit GB/T 2260 region code');
export const regionLevels = ['country', 'province', 'city', 'county'] as const;
export const RegionLevel = z.enum(regionLevels);

export const Region = z.object({
  code: z.string(),
  name: z.string(),
  level: RegionLevel,
  parentCode: z.string().nullable(),
});
export type Region = z.infer<typeof Region>;

export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only');

export const Site = z.object({
  id: Id,
  name: z.string().min(1).max(128),
  regionCode: RegionCode,
  address: z.string().max(256).nullable().default(null),
  lat: z.number().min(-90).max(90).nullable().default(null),
  lng: z.number().min(-180).max(180).nullable().default(null),
  /** Response deadlines for fire alarms, in seconds (WS 308-2019 for medical institutions: 1 / 3 / 5 min). */
  ackSec: z.number().int().min(1).max(3600).default(60),
  confirmSec: z.number().int().min(1).max(7200).default(180),
  escalateSec: z.number().int().min(1).max(7200).default(300),
  /** Notifications are also POSTed here (JSON), when set. */
  webhookUrl: z.url({ protocol: /^https?$/ }).nullable().default(null),
  /** Badges allowed to open hazmat cabinets (双人双锁); empty: any badge counts. */
  authorisedBadges: z.array(z.string().min(1).max(64)).max(1000).default([]),
  /** Kind, grade, ownership, 重点单位 / 高危单位, beds and the two responsible persons (contracts/duties.ts). */
  ...InstitutionProfile.shape,
});
export type Site = z.infer<typeof Site>;

/** A transmission device's GB/T 26875.3 address: 12 hex digits, most significant first (`79 03 00 00 00 00` on the wire is `000000000379`). */
export const GbAddress = z.string().regex(/^[0-9A-Fa-f]{12}$/, '12 hex digits, most significant first');

export const NewDevice = z.object({
  id: Id,
  family: DeviceFamily,
  siteId: Id,
  model: z.string().max(64).nullable().default(null),
  building: z.string().max(64).nullable().default(null),
  floor: z.string().max(32).nullable().default(null),
  zone: z.string().max(128).nullable().default(null),
  heartbeatSec: z.number().int().min(10).max(86_400).default(300),
  /** Required for a transmission_device (it has no secret to sign in with: its address is checked); none for the others. */
  gbAddress: GbAddress.nullish(),
});
export type NewDevice = z.infer<typeof NewDevice>;

export const Device = NewDevice.extend({
  gbAddress: z.string().nullable(),
  disabled: z.boolean(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
  online: z.boolean(),
  badMessages: z.number().int(),
  lastBadReason: z.string().nullable(),
  lastBadAt: z.string().nullable(),
  /** Messages dropped because the device was over its rate (MQTT_DEVICE_RATE), and the latest. */
  throttled: z.number().int(),
  lastThrottledAt: z.string().nullable(),
});
export type Device = z.infer<typeof Device>;

export const alarmStatuses = ['new', 'acknowledged', 'confirmed', 'closed'] as const;
export const AlarmStatus = z.enum(alarmStatuses);
export type AlarmStatus = z.infer<typeof AlarmStatus>;

/** A step of an alarm's lifecycle as alarms/lifecycle.ts decides it and the store applies it. */
export interface AlarmChange {
  status: AlarmStatus;
  outcome?: AlarmOutcome;
  /** Which timestamp/actor pair the step records. */
  stamp: 'acknowledged' | 'confirmed' | 'closed';
}

/** The response deadlines an open alarm can pass, each flagged once. */
export type DeadlineFlag = 'ack_overdue' | 'confirm_overdue' | 'escalated';

const Iso = z.string();
const IsoOrNull = z.string().nullable();

/** What every rule-raised record carries: the rule, its subject, the device and where it is. */
const RaisedByRule = z.object({
  id: z.string(),
  ruleId: z.string(),
  /** The rule's subject: device id plus source (a panel's loop and point, a charger's port). */
  subject: z.string(),
  deviceId: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  regionCode: z.string(),
});

export const Alarm = RaisedByRule.extend({
  family: DeviceFamily,
  type: z.string(),
  status: AlarmStatus,
  outcome: AlarmOutcome.nullable(),
  count: z.number().int(),
  location: z.string(),
  zone: z.string().nullable(),
  /** Several devices of the same zone alarmed together: probably a real fire. */
  likelyFire: z.boolean(),
  data: z.record(z.string(), z.unknown()),
  raisedAt: Iso,
  lastSeenAt: Iso,
  acknowledgedAt: IsoOrNull,
  acknowledgedBy: z.string().nullable(),
  confirmedAt: IsoOrNull,
  confirmedBy: z.string().nullable(),
  closedAt: IsoOrNull,
  closedBy: z.string().nullable(),
  /** The device reported the condition gone (smoke.clear); the alarm still needs confirming. */
  recoveredAt: IsoOrNull,
  /** Deadlines from the institution's response policy (WS 308-2019 defaults: 1 / 3 / 5 min). */
  ackBy: Iso,
  confirmBy: Iso,
  escalateAt: Iso,
  ackOverdueAt: IsoOrNull,
  confirmOverdueAt: IsoOrNull,
  escalatedAt: IsoOrNull,
  note: z.string().nullable(),
});
export type Alarm = z.infer<typeof Alarm>;

export const roles = ['admin', 'bureau', 'safety_manager', 'operator', 'logistics'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const User = z.object({
  id: z.string(),
  username: z.string(),
  role: Role,
  regionCode: z.string().nullable(),
  siteIds: z.array(z.string()),
  /** Refused at sign-in and on every token (someone who left); kept so the audit log still names them. */
  disabled: z.boolean(),
});
export type User = z.infer<typeof User>;

/** An API token for an integration as GET /api/tokens lists it (never the secret). */
export const ApiToken = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  regionCode: z.string().nullable(),
  siteIds: z.array(z.string()),
  readOnly: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable().describe('to within a minute'),
});
export type ApiToken = z.infer<typeof ApiToken>;

/** An audit log entry: who changed what, when and from where. */
export const AuditLogEntry = z.object({
  id: z.string(), at: z.string(), actor: z.string(), action: z.string(), target: z.string(),
  details: z.record(z.string(), z.unknown()), ip: z.string().nullable(),
});

/** An audit entry as the API writes it (in the transaction of the change it records). */
export interface AuditEntry {
  at: number;
  actor: string;
  actorId: string | null;
  action: string;
  target: string;
  details: Record<string, unknown>;
  ip: string | null;
  /** Every region the change concerns, with its ancestors: a bureau reads entries carrying its code. */
  regionCodes: string[];
}

/** The record an audit entry's target names, by name (for people: the route and ids are for programs). */
export const AuditObject = z.object({
  kind: z.enum(['ticket', 'alarm', 'workorder', 'device', 'user', 'token', 'site', 'rule', 'period']),
  id: z.string(),
  /** A ticket's title, a username, a device id...; null when the record is gone. */
  name: z.string().nullable(),
  /** A rule's English name, or a rule-made ticket's English title, when it has one. */
  nameEn: z.string().nullable(),
  /** The institution it belongs to. */
  siteName: z.string().nullable(),
});
export type AuditObject = z.infer<typeof AuditObject>;
export type AuditLogEntry = z.infer<typeof AuditLogEntry>;

export const OverviewRow = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['province', 'city', 'county', 'site']),
  institutions: z.number().int(),
  devices: z.number().int(),
  online: z.number().int(),
  /** online / devices now (live); null where there are no devices (shown as "—", never 0%). */
  onlineRate: z.number().nullable(),
  /** Alarms not closed: newAlarms + inProgressAlarms. */
  activeAlarms: z.number().int(),
  /** 待受理: raised, nobody has acknowledged them yet. */
  newAlarms: z.number().int(),
  /** 处置中: acknowledged (or confirmed), not yet closed. */
  inProgressAlarms: z.number().int(),
});
export type OverviewRow = z.infer<typeof OverviewRow>;

export const WorkOrder = RaisedByRule.extend({
  category: z.string(),
  state: WorkOrderState,
  count: z.number().int(),
  data: z.record(z.string(), z.unknown()),
  openedAt: Iso,
  lastSeenAt: Iso,
  assignedTo: z.string().nullable(),
  assignedAt: IsoOrNull,
  fixedAt: IsoOrNull,
  fixedBy: z.string().nullable(),
  verifiedAt: IsoOrNull,
  /** A user name, or "system" when the device reported healthy again. */
  verifiedBy: z.string().nullable(),
  recoveredAt: IsoOrNull,
  /** Time to repair: opened to verified. */
  repairSeconds: z.number().int().nullable(),
  note: z.string().nullable(),
});
export type WorkOrder = z.infer<typeof WorkOrder>;

export const Ticket = z.object({
  id: z.string(),
  ruleId: z.string().nullable(),
  subject: z.string().nullable(),
  source: z.enum(['rule', 'manual']),
  deviceId: z.string().nullable(),
  siteId: z.string(),
  siteName: z.string(),
  regionCode: z.string(),
  /** As written: by the person who reported it, or the rule's hazard title (in Chinese) for a rule-made ticket. */
  title: z.string(),
  /** A rule-made ticket's title for an English viewer (the rule's titleEn); null for what people wrote, shown as written. */
  titleEn: z.string().nullable(),
  /** As written; a rule-made ticket's is the rule's name. */
  description: z.string(),
  /** A rule-made ticket's description for an English viewer (the rule's nameEn); null for what people wrote. */
  descriptionEn: z.string().nullable(),
  location: z.string(),
  level: RiskLevel,
  grade: HazardGrade,
  /** The 重大事故隐患 criterion it was judged major by (contracts/hazard-criteria.ts); null: none named. */
  criterion: z.string().nullable(),
  state: TicketState,
  count: z.number().int(),
  data: z.record(z.string(), z.unknown()),
  reportedAt: Iso,
  reportedBy: z.string(),
  lastSeenAt: Iso,
  /** Who submitted the latest rectification for verification (待验收); they may not verify it themselves. */
  rectifiedBy: z.string().nullable(),
  fiveInPlace: z.object({ owner: z.string(), funds: z.string(), measures: z.string(), deadline: Iso, contingencyPlan: z.string() }).nullable(),
  /** A major hazard's acceptance criteria (验收标准), given when it is registered. */
  acceptanceCriteria: z.string().nullable(),
  /** Who verified a major hazard's rectification (the institution); the county bureau then approves its closing. */
  verifiedBy: z.string().nullable(),
  recoveredAt: IsoOrNull,
  /** When it entered its state, and the deadline of that state (null: none, closed). */
  stateSince: Iso,
  stateDeadline: IsoOrNull,
  /** Past the deadline of its state (any state: an unregistered hazard too). */
  overdue: z.boolean(),
  overdueAt: IsoOrNull,
  /** The bureaus above were told: a major hazard at once, any hazard once overdue or put under supervision. */
  escalatedAt: IsoOrNull,
  /** A major hazard reported upward (上报) to the bureaus as it was opened. */
  reportedUpwardAt: IsoOrNull,
  /** Its 挂牌督办, the current one or the last lifted; null: never put up. */
  supervision: TicketSupervision.nullable(),
  /** Its latest request to extend the rectification deadline. */
  extension: TicketExtension.nullable(),
  closedAt: IsoOrNull,
  updatedAt: Iso,
  photos: z.array(z.object({ id: z.string(), url: z.string(), contentType: z.string() })),
});
export type Ticket = z.infer<typeof Ticket>;

export const TicketEvent = z.object({
  at: Iso,
  actor: z.string(),
  action: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  note: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type TicketEvent = z.infer<typeof TicketEvent>;

/** A downlink command and what became of it. */
export const CommandRecord = z.object({
  id: z.string(),
  deviceId: z.string(),
  ruleId: z.string().nullable(),
  subject: z.string().nullable(),
  type: z.string(),
  payload: z.record(z.string(), z.unknown()),
  state: z.enum(['pending', 'acked', 'rejected', 'failed']),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  timeoutSec: z.number(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  ackedAt: z.string().nullable(),
  ok: z.boolean().nullable(),
  message: z.string().nullable(),
  /** Delivered and awaiting its answer (a 查岗 on a transmission device) until then; null otherwise. */
  answerBy: z.string().nullable(),
});
export type CommandRecord = z.infer<typeof CommandRecord>;
