// A bureau's supervision records beside the hazard loop: 通报 (a notice to institutions of its region, with the
// findings) and 约谈 (an interview with an institution's responsible person). Each institution concerned sees and
// acknowledges them; both count in the scorecard.
import { z } from 'zod';
import { PlausibleDay as Day } from './times.js';

const Text = (max: number) => z.string().trim().min(1).max(max);

export const supervisionKinds = ['notice', 'interview'] as const;
export const SupervisionKind = z.enum(supervisionKinds);
export type SupervisionKind = z.infer<typeof SupervisionKind>;

export const NewNotice = z.object({
  title: Text(200),
  /** What the bureau found (通报的问题). */
  findings: Text(8000),
  /** The institutions it goes to: all of the bureau's region. */
  siteIds: z.array(z.string().min(1).max(64)).min(1).max(1000),
});
export type NewNotice = z.infer<typeof NewNotice>;

export const NewInterview = z.object({
  siteId: z.string().min(1).max(64),
  /** When the interview was held. */
  on: Day,
  /** Who attended, from the bureau and the institution (its responsible person first). */
  attendees: Text(2000),
  issues: Text(8000),
  commitments: Text(8000),
  /** When the bureau follows up. */
  followUpOn: Day,
});
export type NewInterview = z.infer<typeof NewInterview>;

/** One institution a record concerns, and whether it has acknowledged it. */
export const SupervisionTarget = z.object({
  siteId: z.string(),
  siteName: z.string(),
  regionCode: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
});

export const SupervisionRecord = z.object({
  id: z.string(),
  kind: SupervisionKind,
  /** The region of the bureau that issued it. */
  regionCode: z.string(),
  issuedBy: z.string(),
  issuedAt: z.string(),
  title: z.string(),
  /** A notice's findings; an interview's issues. */
  findings: z.string(),
  /** An interview's facts (null for a notice). */
  interview: z.object({ on: Day, attendees: z.string(), commitments: z.string(), followUpOn: Day }).nullable(),
  /** The institutions it concerns that the reader sees. */
  targets: z.array(SupervisionTarget),
});
export type SupervisionRecord = z.infer<typeof SupervisionRecord>;
