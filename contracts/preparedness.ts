// Training, emergency plans and drills (培训、预案、演练) and the on-site fire team (微型消防站): what an institution
// records of its preparedness, and how often each is required.
import { z } from 'zod';
import { PlausibleDay as Day } from './times.js';


/** training: 入职必训 / 定期培训 / 转岗轮训 ...; plan: an emergency plan written or revised; drill: a plan exercised. */
export const preparednessKinds = ['training', 'plan', 'drill'] as const;
export const PreparednessKind = z.enum(preparednessKinds);
export type PreparednessKind = z.infer<typeof PreparednessKind>;

/** What it was about: for drills the plan exercised (综合 / 专项 / 现场处置) and the evacuation drill (疏散逃生). */
export const preparednessTopics = [
  'induction', 'periodic', 'transfer', // training
  'comprehensive', 'special', 'on_site', // plans and drills
  'evacuation', // drills
] as const;
export const PreparednessTopic = z.enum(preparednessTopics);
export type PreparednessTopic = z.infer<typeof PreparednessTopic>;

export const NewPreparednessRecord = z.object({
  siteId: z.string().min(1).max(64),
  kind: PreparednessKind,
  topic: PreparednessTopic,
  /** When it took place (a plan: when it was issued). */
  on: Day,
  title: z.string().trim().min(1).max(200),
  /** How many took part, and who (names, departments). */
  participants: z.number().int().min(0).max(100_000).default(0),
  participantNames: z.string().trim().max(4000).default(''),
  /** A drill's evaluation (评估报告): what went well, problems found, changes to the plan. */
  evaluation: z.string().trim().max(8000).default(''),
});
export type NewPreparednessRecord = z.infer<typeof NewPreparednessRecord>;

export const Attachment = z.object({ id: z.string(), contentType: z.string(), name: z.string(), url: z.string() });

export const PreparednessRecord = NewPreparednessRecord.extend({
  id: z.string(),
  siteName: z.string(),
  regionCode: z.string(),
  attachments: z.array(Attachment),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type PreparednessRecord = z.infer<typeof PreparednessRecord>;

/** How often an institution must record a kind (and topic): the work plans' yearly and half-yearly rhythms. */
export const PreparednessRequirement = z.object({
  key: z.string(),
  kind: PreparednessKind,
  /** Any of these topics counts. */
  topics: z.array(PreparednessTopic),
  everyMonths: z.number().int().min(1),
});
export type PreparednessRequirement = z.infer<typeof PreparednessRequirement>;

/** Per institution and requirement: the latest record, when the next is due, and whether it is overdue. */
export const PreparednessStatus = z.object({
  siteId: z.string(),
  siteName: z.string(),
  regionCode: z.string(),
  requirements: z.array(PreparednessRequirement.extend({ lastOn: Day.nullable(), dueOn: Day.nullable(), overdue: z.boolean() })),
  overdue: z.number().int(),
});
export type PreparednessStatus = z.infer<typeof PreparednessStatus>;

export const FireTeamMember = z.object({
  name: z.string().trim().min(1).max(64),
  /** 站长, 队员, 消防控制室值班员 ... as written. */
  post: z.string().trim().max(64).default(''),
  phone: z.string().trim().max(32).default(''),
});

export const EquipmentItem = z.object({ name: z.string().trim().min(1).max(100), count: z.number().int().min(0).max(10_000) });

/** The on-site fire team (微型消防站): its members and the equipment it keeps. */
export const FireTeamSetup = z.object({
  members: z.array(FireTeamMember).max(200),
  equipment: z.array(EquipmentItem).max(200),
});

export const EquipmentCheckItem = z.object({ name: z.string().trim().min(1).max(100), ok: z.boolean(), note: z.string().trim().max(500).default('') });
export const NewEquipmentCheck = z.object({ items: z.array(EquipmentCheckItem).min(1).max(200), on: Day.optional() });

export const EquipmentCheck = z.object({
  id: z.string(),
  on: Day,
  items: z.array(z.object({ name: z.string(), ok: z.boolean(), note: z.string() })),
  failed: z.number().int(),
  checkedBy: z.string(),
  checkedAt: z.string(),
});
export type EquipmentCheck = z.infer<typeof EquipmentCheck>;

export const FireTeam = FireTeamSetup.extend({
  siteId: z.string(),
  siteName: z.string(),
  regionCode: z.string(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  lastCheck: EquipmentCheck.nullable(),
});
export type FireTeam = z.infer<typeof FireTeam>;
