// Device fault work orders (logistics): open -> assigned -> fixed -> verified.
// Verified by a person after the fix, or by FireNet itself when the device reports healthy again.
import { z } from 'zod';
import type { Decision } from '../alarms/lifecycle.js';

export const workOrderStates = ['open', 'assigned', 'fixed', 'verified'] as const;
export const WorkOrderState = z.enum(workOrderStates);
export type WorkOrderState = z.infer<typeof WorkOrderState>;

export const WorkOrderAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('assign'), assignee: z.string().min(1).max(64), note: z.string().max(1000).optional() }),
  z.object({ action: z.literal('fix'), note: z.string().max(1000).optional() }),
  z.object({ action: z.literal('verify'), note: z.string().max(1000).optional() }),
  /** The fix did not hold: back to the assignee. */
  z.object({ action: z.literal('reject'), note: z.string().min(1).max(1000) }),
]);
export type WorkOrderAction = z.infer<typeof WorkOrderAction>;

const allowed: Record<WorkOrderAction['action'], readonly WorkOrderState[]> = {
  assign: ['open', 'assigned'],
  fix: ['open', 'assigned'],
  verify: ['fixed'],
  reject: ['fixed'],
};
const target: Record<WorkOrderAction['action'], WorkOrderState> = { assign: 'assigned', fix: 'fixed', verify: 'verified', reject: 'assigned' };

export function decideWorkOrder(current: WorkOrderState, action: WorkOrderAction['action']): Decision<{ state: WorkOrderState }> {
  if (!allowed[action].includes(current)) {
    return { ok: false, status: 409, message: `work order is ${current}; "${action}" needs it to be ${allowed[action].join(' or ')}` };
  }
  return { ok: true, change: { state: target[action] } };
}
