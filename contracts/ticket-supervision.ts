// A hazard under the bureaus' eye: 挂牌督办 as its own record (put up by a bureau with a deadline and a note, lifted
// 摘牌 by that bureau or one above after the hazard is closed), and a request to extend the rectification deadline
// (with a reason, applied only once a bureau approves it).
import { z } from 'zod';
import { PlausibleIso } from './times.js';

const Note = z.string().trim().min(1).max(2000);

export const TicketSupervision = z.object({
  id: z.string(),
  ticketId: z.string(),
  /** The region of the bureau that put it up ('000000' for an admin): that bureau, or one above it, lifts it. */
  regionCode: z.string(),
  putUpBy: z.string(),
  putUpAt: z.string(),
  /** The bureau's deadline for the hazard's closing. */
  deadline: z.string(),
  note: z.string(),
  liftedBy: z.string().nullable(),
  liftedAt: z.string().nullable(),
  liftNote: z.string().nullable(),
});
export type TicketSupervision = z.infer<typeof TicketSupervision>;

export const extensionStates = ['pending', 'approved', 'rejected'] as const;
export const ExtensionState = z.enum(extensionStates);

export const TicketExtension = z.object({
  id: z.string(),
  ticketId: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  /** The rectification deadline asked for, and the one it would replace. */
  deadline: z.string(),
  previousDeadline: z.string(),
  reason: z.string(),
  state: ExtensionState,
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
});
export type TicketExtension = z.infer<typeof TicketExtension>;

/** POST /api/tickets/:id/supervision: a bureau puts the hazard under its supervision. */
export const PutUpSupervision = z.object({ deadline: PlausibleIso, note: Note });
/** POST /api/tickets/:id/supervision/lift: 摘牌, once the hazard is closed. */
export const LiftSupervision = z.object({ note: Note });
/** POST /api/tickets/:id/extensions: the institution asks for a later rectification deadline. */
export const NewExtension = z.object({ deadline: PlausibleIso, reason: Note });
/** POST /api/tickets/:id/extensions/:extensionId/decision: a bureau approves or refuses it. */
export const ExtensionDecision = z.object({ approve: z.boolean(), note: z.string().trim().max(2000).optional() });
