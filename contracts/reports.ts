// The shapes of the overview's risk figures, inspections and the monthly report: one zod source for
// validation, serialisation, OpenAPI and the TypeScript types.
import { z } from 'zod';
import { RiskLevel } from './risks.js';
import { OverviewRow, Region, TicketState } from './records.js';
import { DutyFigures } from './duties.js';

const Count = z.number().int();

/** Open hazard tickets by risk level. */
export const HazardCounts = z.object({ major: Count, significant: Count, general: Count, low: Count });
export type HazardCounts = z.infer<typeof HazardCounts>;

/** The calendar reports count days and months in (China's time); SQL buckets by it too (`at time zone`). */
export const REPORT_TIME_ZONE = 'Asia/Shanghai';

/** The open tickets of a child region (or an institution), as the store counts them for the overview. */
export interface OpenTicketFigures {
  open: HazardCounts;
  /** 待受理: reported, not yet registered by the institution. */
  fresh: number;
  /** 处置中: registered, being rectified or awaiting verification. */
  inProgress: number;
  overdue: number;
  majorGrade: number;
  /** Under a bureau's 挂牌督办 not yet lifted (closed ones too, until lifted). */
  supervised: number;
}

/** Open hazards by where they stand: newHazards + inProgressHazards = every open hazard. */
const HazardProgress = {
  /** 待受理: reported, the institution has not yet registered it (with the five in place). */
  newHazards: Count,
  /** 处置中: registered, being rectified or awaiting verification; not yet closed (销号). */
  inProgressHazards: Count,
};

export const OverviewChild = OverviewRow.extend({
  /** The worst risk among open hazards of the institutions below; null: none open (grey on the map). */
  worstRisk: RiskLevel.nullable(),
  /** The worst level among the registered risk points (risk register) below; null: none registered. */
  worstRegisteredRisk: RiskLevel.nullable(),
  openHazards: HazardCounts,
  ...HazardProgress,
  /** Open hazards past the deadline of their state (to register, to rectify, to verify, to approve). */
  overdueRectifications: Count,
  /** Major hazards (重大事故隐患) not yet cleared: open, or closed while their 挂牌督办 is not yet lifted. */
  majorHazardsOpen: Count,
  /** Hazards under a bureau's 挂牌督办 not yet lifted (not the overdue ones, unless a bureau put them up). */
  supervisedHazards: Count,
  /** The institutions' own duties this month so far (issue 15). */
  duties: DutyFigures,
});
export type OverviewChild = z.infer<typeof OverviewChild>;

export const MajorHazard = z.object({
  id: z.string(),
  title: z.string(),
  /** A rule-made hazard's English title; null: as written (see Ticket). */
  titleEn: z.string().nullable(),
  siteId: z.string(),
  siteName: z.string(),
  regionCode: z.string(),
  level: RiskLevel,
  state: TicketState,
  reportedAt: z.string(),
  deadline: z.string().nullable(),
  /** The deadline of the state it is in. */
  stateDeadline: z.string().nullable(),
  overdue: z.boolean(),
  /** Under a bureau's 挂牌督办 not yet lifted, and that supervision's deadline. */
  supervised: z.boolean(),
  supervisionDeadline: z.string().nullable(),
});
export type MajorHazard = z.infer<typeof MajorHazard>;

export const TrendDay = z.object({ date: z.string(), alarms: Count, hazardsReported: Count, hazardsClosed: Count });
export type TrendDay = z.infer<typeof TrendDay>;

export const OverviewSummary = z.object({
  institutions: Count,
  devices: Count,
  online: Count,
  /** online / devices now (live, not the month's average); null without devices. */
  onlineRate: z.number().nullable(),
  worstRisk: RiskLevel.nullable(),
  worstRegisteredRisk: RiskLevel.nullable(),
  /** Raised since local midnight (Asia/Shanghai). */
  alarmsToday: Count,
  /** Not closed: newAlarms + inProgressAlarms. */
  activeAlarms: Count,
  /** 待受理: nobody has acknowledged them yet. */
  newAlarms: Count,
  /** 处置中: acknowledged or confirmed, not closed. */
  inProgressAlarms: Count,
  openHazards: HazardCounts,
  ...HazardProgress,
  overdueRectifications: Count,
  supervisedHazards: Count,
  /**
   * Major hazards not yet cleared (open, or closed with their 挂牌督办 not yet lifted), overdue first, then oldest:
   * the "dynamic zero" (动态清零) counter is its length.
   */
  majorHazards: z.array(MajorHazard),
  /** The last 30 local days, oldest first, today last. */
  trends: z.array(TrendDay),
  /** The institutions' own duties this month so far (issue 15). */
  duties: DutyFigures,
});
export type OverviewSummary = z.infer<typeof OverviewSummary>;

export const Overview = z.object({ region: Region, children: z.array(OverviewChild), summary: OverviewSummary });

export const inspectionKinds = ['daily', 'weekly', 'monthly'] as const;
/** The 日周月 rhythm: front-line staff daily, department heads weekly, leaders monthly. */
export const InspectionKind = z.enum(inspectionKinds);
export type InspectionKind = z.infer<typeof InspectionKind>;

export const Inspection = z.object({
  id: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  regionCode: z.string(),
  kind: InspectionKind,
  inspector: z.string(),
  performedAt: z.string(),
  findings: z.string(),
  hazardsFound: Count,
  createdBy: z.string(),
  createdAt: z.string(),
});
export type Inspection = z.infer<typeof Inspection>;

export const MonthlyRow = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['country', 'province', 'city', 'county', 'site']),
  /** Inspections performed in the month. */
  checks: Count,
  /** 查岗 (duty checks) asked of the control rooms in the month, and of those missed (not answered in time). */
  dutyChecks: Count,
  dutyChecksMissed: Count,
  /** Hazard tickets reported in the month. */
  hazardsFound: Count,
  /** Hazard tickets closed (销号) in the month. */
  hazardsRectified: Count,
  /** Open at the month's end (or now, for the current month) with the five in place (registered or later). */
  openWithPlans: Count,
  /** Open at the month's end and not yet registered. */
  openWithoutPlans: Count,
  /** Fire alarms raised in the month. */
  alarms: Count,
  /** Of those, confirmed by the control room as fire, false alarm or test: the false-alarm rate's denominator. */
  confirmedAlarms: Count,
  /** Of those, confirmed as false alarms. */
  falseAlarms: Count,
  /** falseAlarms / confirmedAlarms (not / alarms: an alarm nobody has judged yet is neither); null when none was confirmed. */
  falseAlarmRate: z.number().nullable(),
  devices: Count,
  /** Devices online now. */
  online: Count,
  /** online / devices now (live); null without devices. */
  onlineRateNow: z.number().nullable(),
  /** The month's average share of devices online (sampled every 15 minutes); online now / devices for a month with no samples; null without devices. */
  onlineRate: z.number().nullable(),
  onlineRateFrom: z.enum(['samples', 'now']),
  // added with the monthly report submitted upward (issue 16): after the fields a reader already expects
  /** Of hazardsFound: found by people (checklist checks and hazards reported by hand). */
  hazardsFoundByChecks: Count,
  /** Of hazardsFound: raised by a sensor's rule. */
  hazardsFoundBySensors: Count,
  /** Open at the month's end (or now, for the current month) and of grade major (重大事故隐患). */
  majorHazardsOpen: Count,
  /** Open at the month's end, being rectified then (registered or rectifying) and past their deadline. */
  overdueRectifications: Count,
  /** hazardsRectified / (hazardsRectified + open at the month's end): the share of the month's hazards on the books closed in it; null when there were none. */
  rectificationRate: z.number().nullable(),
  // the institutions' own duties in the month (issue 15): after the figures a bureau's sheets already expect; dutyChecks
  // and dutyChecksMissed above are the duty figures' (a 查岗 past its time counts as missed before the sweep marks it)
  ...DutyFigures.omit({ dutyChecks: true, dutyChecksMissed: true }).shape,
});
export type MonthlyRow = z.infer<typeof MonthlyRow>;

export const MonthlyReport = z.object({
  region: Region,
  month: z.string(),
  /** The month's bounds in local time (Asia/Shanghai), as ISO instants: [from, to). */
  from: z.string(),
  to: z.string(),
  rows: z.array(MonthlyRow),
  /** The region as a whole (every institution of the caller's scope in it). */
  total: MonthlyRow,
});
export type MonthlyReport = z.infer<typeof MonthlyReport>;
