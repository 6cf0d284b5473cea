// The fire control room's duty (消防控制室 24 小时值班): operators' certificates, the roster of shifts with two certified
// operators and a leader on duty (领导带班), signing on and off with a handover, and the bureau's 查岗 (duty check)
// that the operator on duty must answer within minutes.
import { z } from 'zod';
import { PlausibleDay as Day, PlausibleIso } from './times.js';

/** 消防设施操作员 vocational levels, from 五级 (初级工) to 一级 (高级技师). */
export const certificateLevels = ['junior', 'intermediate', 'senior', 'technician', 'senior_technician'] as const;
export const CertificateLevel = z.enum(certificateLevels);
export type CertificateLevel = z.infer<typeof CertificateLevel>;

const Username = z.string().min(1).max(64);

export const NewCertificate = z.object({
  /** The certificate's number (证书编号). */
  number: z.string().trim().min(1).max(64),
  level: CertificateLevel,
  /** Valid to the end of this day (China time). */
  expiresOn: Day,
});
export type NewCertificate = z.infer<typeof NewCertificate>;

/** valid; expiring: within 30 days; expired. */
export const certificateStates = ['valid', 'expiring', 'expired'] as const;
export const CertificateState = z.enum(certificateStates);
export type CertificateState = z.infer<typeof CertificateState>;

export const Certificate = NewCertificate.extend({
  username: Username,
  siteIds: z.array(z.string()),
  state: CertificateState,
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type Certificate = z.infer<typeof Certificate>;

export const Leader = z.object({ name: z.string().trim().min(1).max(64), post: z.string().trim().max(64).nullable().default(null) });

/** A shift on the roster: who is on duty at a control room from when to when, and the leader on duty. */
export const NewShift = z.object({
  siteId: z.string().min(1).max(64),
  startsAt: PlausibleIso,
  endsAt: PlausibleIso,
  /** Operators on duty: at least two, each with a certificate valid to the shift's end. */
  operators: z.array(Username).min(1).max(10),
  leader: Leader,
});
export type NewShift = z.infer<typeof NewShift>;

export const Shift = z.object({
  id: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  regionCode: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  operators: z.array(Username),
  leader: Leader,
  createdBy: z.string(),
  createdAt: z.string(),
});
export type Shift = z.infer<typeof Shift>;

/** What a leaving operator hands over: what is still open, what happened in the shift. */
export const Handover = z.object({
  open: z.string().trim().max(4000).default(''),
  happened: z.string().trim().max(4000).default(''),
});

/** One operator's time on duty at a control room, from signing on to signing off (with the handover). */
export const DutySession = z.object({
  id: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  regionCode: z.string(),
  username: Username,
  signedOnAt: z.string(),
  signedOffAt: z.string().nullable(),
  handover: z.object({ open: z.string(), happened: z.string() }).nullable(),
});
export type DutySession = z.infer<typeof DutySession>;

/** A control room now: who is signed on, the shift on the roster and its leader, and whether two certified are there. */
export const OnDuty = z.object({
  siteId: z.string(),
  siteName: z.string(),
  regionCode: z.string(),
  signedOn: z.array(z.object({ username: Username, since: z.string(), certificate: CertificateState.nullable() })),
  shift: Shift.nullable(),
  /** At least two operators with a valid certificate are signed on. */
  staffed: z.boolean(),
});
export type OnDuty = z.infer<typeof OnDuty>;

export const dutyCheckStates = ['waiting', 'answered', 'missed'] as const;
export const DutyCheckState = z.enum(dutyCheckStates);
export type DutyCheckState = z.infer<typeof DutyCheckState>;

/** A bureau's 查岗: the operator on duty answers on the desk by `answerBy`; a transmission device is asked too. */
export const DutyCheck = z.object({
  id: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  regionCode: z.string(),
  askedBy: z.string(),
  askedAt: z.string(),
  answerBy: z.string(),
  state: DutyCheckState,
  answeredAt: z.string().nullable(),
  answeredBy: z.string().nullable(),
  /** The 查岗 sent to the control room's transmission device (GB/T 26875.3, type 91), and when it answered (type 24). */
  deviceId: z.string().nullable(),
  commandId: z.string().nullable(),
  deviceAnsweredAt: z.string().nullable(),
});
export type DutyCheck = z.infer<typeof DutyCheck>;

export const NewDutyCheck = z.object({
  siteId: z.string().min(1).max(64),
  /** Minutes to answer (default 10). */
  timeoutMin: z.number().int().min(1).max(255).default(10),
});
