// Logistics' side of device faults: assign, fix, verify (or reject the fix).
import type { Logger } from 'pino';
import { HttpError } from '../errors.js';
import type { Publisher } from '../realtime/publisher.js';
import type { Changes } from '../effects/changes.js';
import type { DeviceEntry } from '../registry/sites.js';
import type { SiteScope } from '../../contracts/scope.js';
import type { Action } from '../rules/actions.js';
import type { CommandRecord } from '../store/commands.js';
import type { Queryable } from '../store/executor.js';
import type { Site, User, WorkOrder } from '../../contracts/records.js';
import type { Store } from '../store/store.js';
import { decideWorkOrder, type WorkOrderAction } from './lifecycle.js';

export class WorkOrderService {
  constructor(private readonly deps: { store: Store; publisher: Publisher; logger: Logger; now?: () => number }) {}

  /** Applies a rule's decision about device-fault work orders inside the caller's transaction. */
  async apply(tx: Queryable, action: Action, device: DeviceEntry | null, site: Site, changes: Changes): Promise<void> {
    const { store } = this.deps;
    const cause = action.cause;
    if (action.kind === 'workorder.raise' && device) {
      changes.workorder(await store.workorders.raise(tx, {
        ruleId: action.rule.id, subject: cause.subject, deviceId: device.id, siteId: site.id, regionCode: site.regionCode,
        category: action.effect.category, data: cause.kind === 'raise' ? cause.data : {}, at: cause.at,
      }));
    } else if (action.kind === 'workorder.recover') {
      const order = await store.workorders.recover(tx, action.rule.id, cause.subject, cause.at, action.close);
      if (order) changes.workorder(order);
    }
  }

  /** A command the device never answered: someone has to go and look (and cut the power by hand). */
  async commandFailed(c: CommandRecord, site: Site): Promise<WorkOrder> {
    const order = await this.deps.store.transaction((tx) => this.deps.store.workorders.raise(tx, {
      ruleId: 'command.failed', subject: `${c.deviceId}#${c.type}`, deviceId: c.deviceId, siteId: site.id, regionCode: site.regionCode,
      category: 'command_failed', data: { commandId: c.id, type: c.type, payload: c.payload, attempts: c.attempts }, at: (this.deps.now ?? Date.now)(),
    }));
    this.publish([order]);
    return order;
  }

  /** After the commit: each changed work order to its viewers, once (an institution's together, in one push). */
  publish(orders: Iterable<WorkOrder>): void {
    this.deps.publisher.workorders([...orders]);
  }

  async act(id: string, request: WorkOrderAction, user: User, scopes: readonly SiteScope[]): Promise<WorkOrder> {
    const { store, publisher, logger } = this.deps;
    const order = await store.workorders.get(id, scopes);
    if (!order) throw new HttpError(404, `id: no work order ${id}`);
    const decision = decideWorkOrder(order, request.action, user.username);
    if (!decision.ok) throw new HttpError(decision.status, decision.message, undefined, decision.code);
    const assignee = request.action === 'assign' ? request.assignee : undefined;
    const changed = await store.workorders.transition(id, order.state, decision.change.state, { assignee, actor: user.username, note: request.note }, (this.deps.now ?? Date.now)());
    if (!changed) throw new HttpError(409, 'the work order changed meanwhile: reload it');
    logger.info({ workOrderId: id, deviceId: changed.deviceId, siteId: changed.siteId, userId: user.id, state: changed.state }, 'work order updated');
    publisher.workorder(changed);
    return changed;
  }
}
