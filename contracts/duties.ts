// The institution's own fire-safety duties (issue 15): what an institution is (kind, grade, public or private,
// 消防安全重点单位 / 火灾高危单位, beds, the two persons published by 两公开) and its 日周月 checks against
// versioned checklists. Codes only: the dashboard gives every code its words (zh-CN first, English second).
import { z } from 'zod';

export const institutionKinds = [
  'general_hospital', 'tcm_hospital', 'maternal_child', 'specialty_hospital', 'primary_care', 'private_hospital',
  'elderly_care', 'childcare', 'other',
] as const;
export const InstitutionKind = z.enum(institutionKinds);
export type InstitutionKind = z.infer<typeof InstitutionKind>;

/** Kinds stored before issue 15, and what each means now (the migration maps stored rows the same way). */
export const legacyInstitutionKinds = {
  hospital: 'general_hospital',
  township_health_center: 'primary_care',
  community_health_center: 'primary_care',
} as const satisfies Record<string, InstitutionKind>;
type LegacyKind = keyof typeof legacyInstitutionKinds;
const legacyKindCodes = Object.keys(legacyInstitutionKinds) as [LegacyKind, ...LegacyKind[]];

/** A kind as a body may give it: today's codes, and the old ones mapped to theirs (so existing clients keep working). */
export const InstitutionKindInput = z.enum([...institutionKinds, ...legacyKindCodes])
  .transform((k): InstitutionKind => (k in legacyInstitutionKinds ? legacyInstitutionKinds[k as LegacyKind] : k as InstitutionKind))
  .describe(`one of ${institutionKinds.join(', ')}; the former ${legacyKindCodes.join(', ')} are accepted and mapped`);

/** 三级 / 二级 / 一级 / 未定级. */
export const institutionGrades = ['grade3', 'grade2', 'grade1', 'ungraded'] as const;
export const InstitutionGrade = z.enum(institutionGrades);
export type InstitutionGrade = z.infer<typeof InstitutionGrade>;

/** 公立 / 民营. */
export const ownerships = ['public', 'private'] as const;
export const Ownership = z.enum(ownerships);
export type Ownership = z.infer<typeof Ownership>;

/** 消防安全责任人 or 消防安全管理人: published to the public (两公开). */
export const ResponsiblePerson = z.object({
  name: z.string().trim().min(1).max(64),
  /** Their post, as written (院长, 分管副院长, 保卫科科长 ...). */
  post: z.string().trim().max(64).default(''),
  phone: z.string().trim().max(32).regex(/^[0-9+\-() ]*$/, 'digits, spaces, +, - and parentheses only').default(''),
});
export type ResponsiblePerson = z.infer<typeof ResponsiblePerson>;

/** What an institution record carries besides where it is and its alarm policy. */
export const InstitutionProfile = z.object({
  kind: InstitutionKindInput.default('general_hospital'),
  grade: InstitutionGrade.default('ungraded'),
  ownership: Ownership.default('public'),
  /** 消防安全重点单位. */
  keyUnit: z.boolean().default(false),
  /** 火灾高危单位. */
  highRisk: z.boolean().default(false),
  beds: z.number().int().min(0).max(100_000).nullable().default(null),
  /** 消防安全责任人 (the institution's legal head). */
  fireSafetyResponsible: ResponsiblePerson.nullable().default(null),
  /** 消防安全管理人. */
  fireSafetyManager: ResponsiblePerson.nullable().default(null),
});

const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** The institution filters every list of a bureau accepts (?kind=&grade=&ownership=&keyUnit=&highRisk=). */
export const InstitutionFilterQuery = z.object({
  kind: InstitutionKind.optional(),
  grade: InstitutionGrade.optional(),
  ownership: Ownership.optional(),
  keyUnit: Flag.optional(),
  highRisk: Flag.optional(),
});
export type InstitutionFilter = z.infer<typeof InstitutionFilterQuery>;

/** What the public page of an institution shows, without sign-in (两公开). */
export const PublicInstitution = z.object({
  name: z.string(),
  kind: InstitutionKind,
  grade: InstitutionGrade,
  ownership: Ownership,
  keyUnit: z.boolean(),
  highRisk: z.boolean(),
  regionCode: z.string(),
  address: z.string().nullable(),
  fireSafetyResponsible: ResponsiblePerson.nullable(),
  fireSafetyManager: ResponsiblePerson.nullable(),
});
export type PublicInstitution = z.infer<typeof PublicInstitution>;

// --- 日周月 checks ---

/** Daily 防火巡查, weekly check, monthly check led by the responsible person (带队检查). */
export const checkRhythms = ['daily', 'weekly', 'monthly'] as const;
export const CheckRhythm = z.enum(checkRhythms);
export type CheckRhythm = z.infer<typeof CheckRhythm>;

export const CheckItemCode = z.string().min(1).max(64).regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and "_"');

/** One line of a checklist: a built-in code the dashboard names, or an admin's own item with its words as written. */
export const CheckItem = z.object({
  code: CheckItemCode,
  /** An admin's own item: its words as written (shown as is); null for a built-in code. */
  label: z.string().trim().min(1).max(200).nullable().default(null),
});
export type CheckItem = z.infer<typeof CheckItem>;

/** A checklist for one kind of institution and one rhythm; editing makes a new version, old checks keep theirs. */
export const CheckTemplate = z.object({
  /** `<institution kind>.<rhythm>`, e.g. general_hospital.daily. */
  id: z.string(),
  institutionKind: InstitutionKind,
  rhythm: CheckRhythm,
  version: z.number().int(),
  items: z.array(CheckItem),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type CheckTemplate = z.infer<typeof CheckTemplate>;

export const templateId = (kind: InstitutionKind, rhythm: CheckRhythm): string => `${kind}.${rhythm}`;

/** Built-in items, by rhythm: what the seeds name (通道, 防火门, 灭火器与消火栓, 电气, 电动自行车充电, 吸烟; 夜间巡查 where people sleep). */
const dailyItems = ['exits_evacuation_routes', 'fire_doors', 'extinguishers_hydrants', 'electrics', 'ebike_charging', 'smoking', 'control_room_on_duty'];
const weeklyItems = ['fire_alarm_system', 'sprinklers_pumps', 'emergency_lighting_signs', 'fire_lanes', 'kitchen_gas', 'hazmat_storage', 'combustibles_storage'];
const monthlyItems = ['leader_walkthrough_key_areas', 'hazard_rectification_progress', 'duty_and_certificates', 'training_and_drills', 'micro_fire_station', 'two_publicities'];
/** Institutions where people stay the night: patrols at night too (夜间防火巡查). */
const overnight: readonly InstitutionKind[] = ['general_hospital', 'tcm_hospital', 'maternal_child', 'specialty_hospital', 'private_hospital', 'elderly_care'];

export function defaultCheckItems(kind: InstitutionKind, rhythm: CheckRhythm): string[] {
  switch (rhythm) {
    case 'daily': return overnight.includes(kind) ? [...dailyItems, 'night_patrol'] : kind === 'childcare' ? [...dailyItems, 'child_areas_heaters'] : dailyItems;
    case 'weekly': return weeklyItems;
    case 'monthly': return monthlyItems;
  }
}

/** How many checks of each rhythm an institution owes per period (day, ISO week, month); 0: none expected. */
export const CheckRhythmPlan = z.object({
  daily: z.number().int().min(0).max(24).default(1),
  weekly: z.number().int().min(0).max(50).default(1),
  monthly: z.number().int().min(0).max(50).default(1),
});
export type CheckRhythmPlan = z.infer<typeof CheckRhythmPlan>;

export const checkResults = ['pass', 'fail'] as const;
export const CheckResult = z.enum(checkResults);

/** A failed item: fixed there and then (即知即改), or a hazard ticket opened for it. */
export const CheckItemResult = z.object({
  code: CheckItemCode,
  result: CheckResult,
  note: z.string().max(2000).default(''),
  /** 即知即改: who fixed it on the spot (a failed item only). */
  fixedOnSpotBy: z.string().trim().min(1).max(64).nullable().default(null),
  /** The hazard ticket opened for a failed item not fixed on the spot. */
  ticketId: z.string().nullable().default(null),
  photos: z.array(z.object({ id: z.string(), url: z.string(), contentType: z.string() })).default([]),
});
export type CheckItemResult = z.infer<typeof CheckItemResult>;

export const Check = z.object({
  id: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  regionCode: z.string(),
  templateId: z.string(),
  templateVersion: z.number().int(),
  rhythm: CheckRhythm,
  /** The period it counts for, local time (Asia/Shanghai): 2026-11-30, 2026-W49, 2026-11. */
  period: z.string(),
  performedAt: z.string(),
  performedBy: z.string(),
  items: z.array(CheckItemResult.extend({ label: z.string().nullable() })),
  passed: z.number().int(),
  failed: z.number().int(),
  /** Failed items fixed on the spot (即知即改), counted apart from the hazards opened. */
  fixedOnSpot: z.number().int(),
  hazardsOpened: z.number().int(),
  createdAt: z.string(),
});
export type Check = z.infer<typeof Check>;

/** A period an institution owed checks for and did fewer: recorded once, the morning after it ended. */
export const MissedCheck = z.object({
  siteId: z.string(),
  siteName: z.string(),
  regionCode: z.string(),
  rhythm: CheckRhythm,
  period: z.string(),
  expected: z.number().int(),
  done: z.number().int(),
  flaggedAt: z.string(),
});
export type MissedCheck = z.infer<typeof MissedCheck>;

/** Checks done against checks owed over a span, for one institution or a region. */
export const CheckCompletion = z.object({
  expected: z.number().int(),
  /** Per period at most what was owed: three checks on Monday do not make up for Tuesday. */
  done: z.number().int(),
  /** done / expected; null when nothing was owed. */
  rate: z.number().nullable(),
  byRhythm: z.record(CheckRhythm, z.object({ expected: z.number().int(), done: z.number().int(), rate: z.number().nullable() })),
  fixedOnSpot: z.number().int(),
  hazardsOpened: z.number().int(),
});
export type CheckCompletion = z.infer<typeof CheckCompletion>;

// --- the duties' figures a bureau sees (overview, monthly report) ---

/**
 * How an institution, or the institutions of a region, keep their duties over a span (this month so far on the
 * overview, the month in the report): 日周月 checks done / owed, periods missed, drill requirements overdue, 查岗
 * answered / missed, operators' certificates expiring within 30 days or expired (as of the span's last day).
 */
export const DutyFigures = z.object({
  checksExpected: z.number().int(),
  /** Per period at most what was owed (see CheckCompletion). */
  checksDone: z.number().int(),
  /** checksDone / checksExpected; null when nothing was owed. */
  checkCompletionRate: z.number().nullable(),
  /** Periods of the span an institution did fewer checks than it owed, as flagged (the morning after). */
  missedChecks: z.number().int(),
  /** Drill requirements (half-yearly on-site, yearly plan and evacuation drills) overdue on the span's last day, summed over the institutions. */
  drillsOverdue: z.number().int(),
  /** 查岗 asked in the span, answered in time, and missed. */
  dutyChecks: z.number().int(),
  dutyChecksAnswered: z.number().int(),
  dutyChecksMissed: z.number().int(),
  /** Operators' certificates ending within 30 days of the span's last day, and those already ended (each operator once per row). */
  certificatesExpiring: z.number().int(),
  certificatesExpired: z.number().int(),
});
export type DutyFigures = z.infer<typeof DutyFigures>;
