// The monthly report submitted upward (每月报送): each institution's report for a month, submitted by its safety
// manager and reviewed by its county bureau; each county's summary of its approved institution reports submitted to
// its city, the cities' to the province, the province's summary last. A submitted report is frozen: its figures are
// kept as they were when it was submitted.
import { z } from 'zod';
import { MonthlyRow } from './reports.js';
import { Region } from './records.js';

/** Who submits: an institution, or a bureau's region (its summary). */
export const submissionLevels = ['site', 'county', 'city', 'province'] as const;
export const SubmissionLevel = z.enum(submissionLevels);
export type SubmissionLevel = z.infer<typeof SubmissionLevel>;

/** A stored report's state: submitted (awaiting review), returned with a reason (to be resubmitted), approved. */
export const submissionStates = ['submitted', 'returned', 'approved'] as const;
export const SubmissionState = z.enum(submissionStates);
export type SubmissionState = z.infer<typeof SubmissionState>;

/** Where a report stands for a month: a state, or not submitted yet (missing) or past its due day (late). */
export const submissionStatuses = ['missing', 'late', ...submissionStates] as const;
export const SubmissionStatus = z.enum(submissionStatuses);
export type SubmissionStatus = z.infer<typeof SubmissionStatus>;

export const SubmissionAction = z.enum(['submitted', 'returned', 'approved']);

export const MonthlySubmission = z.object({
  id: z.string(),
  level: SubmissionLevel,
  /** The institution's id, or the region's code. */
  subject: z.string(),
  name: z.string(),
  /** The region whose bureau reviews it (the county of an institution, the parent of a region); null: none above (the province). */
  reviewerCode: z.string().nullable(),
  month: z.string(),
  state: SubmissionState,
  /** Submitted (last) after its due day. */
  late: z.boolean(),
  dueDate: z.string(),
  /** The figures as submitted (a region's: the sum of the approved reports below it). */
  figures: MonthlyRow,
  /** A region's summary: the approved reports it sums, as they were approved; an institution's: empty. */
  rows: z.array(MonthlyRow),
  submittedAt: z.string(),
  submittedBy: z.string(),
  reviewedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  /** Why it was returned (the latest return), kept after a resubmission. */
  returnReason: z.string().nullable(),
  /** Its trail, oldest first. */
  history: z.array(z.object({ at: z.string(), actor: z.string(), action: SubmissionAction, note: z.string().nullable() })),
});
export type MonthlySubmission = z.infer<typeof MonthlySubmission>;

/** One institution's or region's standing for a month. */
export const SubmissionStatusRow = z.object({
  level: SubmissionLevel,
  subject: z.string(),
  name: z.string(),
  status: SubmissionStatus,
  /** Submitted after the due day, or flagged as not submitted by it. */
  late: z.boolean(),
  submission: MonthlySubmission.nullable(),
});
export type SubmissionStatusRow = z.infer<typeof SubmissionStatusRow>;

export const SubmissionBoard = z.object({
  month: z.string(),
  region: Region,
  /** When the rows' reports are due (YYYY-MM-DD, China time), and the region's own summary. */
  dueDate: z.string(),
  ownDueDate: z.string(),
  /** Whether the month is over (a report is submitted only after its month). */
  monthOver: z.boolean(),
  /** The region's own summary (a county, city or province), or null where the reader submits none (an institution's staff, the country). */
  own: SubmissionStatusRow.nullable(),
  /** The institutions of a county, the counties of a city, the cities of a province (only those with institutions). */
  rows: z.array(SubmissionStatusRow),
  counts: z.record(SubmissionStatus, z.number().int()),
});
export type SubmissionBoard = z.infer<typeof SubmissionBoard>;

export const ReturnBody = z.object({ reason: z.string().trim().min(1).max(2000) });
export const ApproveBody = z.object({ note: z.string().trim().max(2000).optional() });
