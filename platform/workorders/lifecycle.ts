// Device fault work orders (logistics): open -> assigned -> fixed -> verified.
// Verified by a person after the fix, or by FireNet itself when the device reports healthy again; the person
// who fixed it does not verify it (pass or reject): a second pair of eyes is the point of verification.
import type { Decision } from '../alarms/lifecycle.js';
import type { WorkOrderState } from '../../contracts/records.js';
import type { WorkOrderAction } from '../../contracts/http.js';

export { WorkOrderState, workOrderStates } from '../../contracts/records.js';
export { WorkOrderAction } from '../../contracts/http.js';

const allowed: Record<WorkOrderAction['action'], readonly WorkOrderState[]> = {
  assign: ['open', 'assigned'],
  fix: ['open', 'assigned'],
  verify: ['fixed'],
  reject: ['fixed'],
};
const target: Record<WorkOrderAction['action'], WorkOrderState> = { assign: 'assigned', fix: 'fixed', verify: 'verified', reject: 'assigned' };

/** The verification steps, which the one who fixed the order may not take. */
export const verifyActions: readonly WorkOrderAction['action'][] = ['verify', 'reject'];

export function decideWorkOrder(
  order: { state: WorkOrderState; fixedBy: string | null },
  action: WorkOrderAction['action'],
  actor: string,
): Decision<{ state: WorkOrderState }> {
  const current = order.state;
  if (!allowed[action].includes(current)) {
    return { ok: false, status: 409, message: `work order is ${current}; "${action}" needs it to be ${allowed[action].join(' or ')}` };
  }
  if (verifyActions.includes(action) && order.fixedBy === actor) {
    return { ok: false, status: 403, code: 'verify.own_work', message: `${actor} fixed this work order and may not ${action} the fix: someone else verifies it` };
  }
  return { ok: true, change: { state: target[action] } };
}
