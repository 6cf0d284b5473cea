// Logistics' side of device faults: assign, fix, verify (or reject the fix).
import type { Logger } from 'pino';
import { HttpError } from '../errors.js';
import type { Publisher } from '../realtime/publisher.js';
import type { SiteScope } from '../registry/scope.js';
import type { User, WorkOrder } from '../schemas.js';
import type { Store } from '../store/store.js';
import { decideWorkOrder, type WorkOrderAction } from './lifecycle.js';

export class WorkOrderService {
  constructor(private readonly deps: { store: Store; publisher: Publisher; logger: Logger; now?: () => number }) {}

  async act(id: string, request: WorkOrderAction, user: User, scopes: readonly SiteScope[]): Promise<WorkOrder> {
    const { store, publisher, logger } = this.deps;
    const order = await store.workorders.get(id, scopes);
    if (!order) throw new HttpError(404, `id: no work order ${id}`);
    const decision = decideWorkOrder(order.state, request.action);
    if (!decision.ok) throw new HttpError(decision.status, decision.message);
    const assignee = request.action === 'assign' ? request.assignee : undefined;
    const changed = await store.workorders.transition(id, order.state, decision.change.state, { assignee, actor: user.username, note: request.note }, (this.deps.now ?? Date.now)());
    if (!changed) throw new HttpError(409, 'the work order changed meanwhile: reload it');
    logger.info({ workOrderId: id, deviceId: changed.deviceId, siteId: changed.siteId, userId: user.id, state: changed.state }, 'work order updated');
    publisher.workorder(changed);
    return changed;
  }
}
