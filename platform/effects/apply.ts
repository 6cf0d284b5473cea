// Carries out what the rules decided. Records go to their owners (alarms/, workorders/, tickets/), which write them
// in the caller's transaction; once it has committed, each changed record is pushed once, and commands and
// notifications go out. The data walks one way: edge -> rules (decide) -> owners (apply) -> store, then realtime.
import type { Logger } from 'pino';
import type { AlarmService } from '../alarms/service.js';
import type { CommandService } from '../commands/service.js';
import type { Notifier } from '../notify/notifier.js';
import type { Directory, DeviceEntry } from '../registry/sites.js';
import type { Action } from '../rules/actions.js';
import type { Queryable } from '../store/executor.js';
import type { Store } from '../store/store.js';
import type { TicketService } from '../tickets/service.js';
import type { WorkOrderService } from '../workorders/service.js';
import { Changes, type Decision } from './changes.js';

export interface EffectsDeps {
  store: Store;
  directory: Directory;
  alarms: AlarmService;
  workorders: WorkOrderService;
  tickets: TicketService;
  commands: CommandService;
  notifier: Notifier;
  logger: Logger;
}

export class Effects {
  constructor(private readonly deps: EffectsDeps) {}

  /**
   * Writes the records `actions` open or change, in `tx`, into `changes`; commands and notifications wait in
   * `changes.after`. Alarm raises (and zone flags) are gathered and written together, before any other record's
   * change and at the end, so a batch of events raises its alarms in one statement and the order stays as decided.
   */
  async apply(tx: Queryable, actions: readonly Action[], changes: Changes, known?: ReadonlyMap<string, DeviceEntry>): Promise<void> {
    const { directory, alarms, workorders, tickets } = this.deps;
    const raising: Decision[] = [];
    const raise = async () => {
      if (raising.length) await alarms.raise(tx, raising.splice(0), changes);
    };
    for (const action of actions) {
      if (action.kind === 'command' || action.kind === 'notify') { changes.after.push(action); continue; }
      const { deviceId, siteId } = action.cause;
      const device = deviceId ? (known?.get(deviceId) ?? await directory.device(deviceId, tx)) : null;
      const site = await directory.site(siteId, tx);
      if (!site) continue;
      if (action.kind === 'alarm.raise' || action.kind === 'alarm.likely_fire') { raising.push({ action, device, site }); continue; }
      await raise();
      switch (action.kind) {
        case 'alarm.recover':
          await alarms.recover(tx, action, changes);
          break;
        case 'workorder.raise': case 'workorder.recover':
          await workorders.apply(tx, action, device, site, changes);
          break;
        case 'ticket.raise': case 'ticket.recover':
          await tickets.apply(tx, action, device, site, changes);
          break;
      }
    }
    await raise();
  }

  /** Applies `actions` in a transaction of their own, then publishes (a reading, a tick, a platform event). */
  async commit(actions: readonly Action[]): Promise<void> {
    if (actions.length === 0) return;
    const changes = new Changes();
    await this.deps.store.transaction((tx) => this.apply(tx, actions, changes));
    await this.publish(changes);
  }

  /** After the commit: each changed record pushed once by its owner; then commands and notifications. */
  async publish(changes: Changes): Promise<void> {
    const { alarms, workorders, tickets, notifier, commands, directory, logger } = this.deps;
    alarms.publish(changes.alarms.values());
    workorders.publish(changes.workorders.values());
    tickets.publish(changes.tickets.values());
    for (const action of changes.after) {
      try {
        if (action.kind === 'command' && action.cause.deviceId) {
          const port = action.cause.port;
          await commands.send({
            deviceId: action.cause.deviceId, type: action.effect.type, params: { ...action.effect.params, ...(port !== null ? { port } : {}) },
            ruleId: action.rule.id, subject: action.cause.subject, timeoutSec: action.effect.timeoutSec, retries: action.effect.retries,
          });
        } else if (action.kind === 'notify') {
          const site = await directory.site(action.cause.siteId);
          if (site) {
            const { rule, effect, cause } = action;
            notifier.notify(site, {
              kind: 'rule.notify', siteId: site.id, siteName: site.name, at: new Date(cause.at).toISOString(),
              data: {
                ruleId: rule.id, rule: { 'zh-CN': rule.name, en: rule.nameEn ?? null }, message: { 'zh-CN': effect.message, en: effect.messageEn ?? null },
                deviceId: cause.deviceId, port: cause.port,
              },
            });
          }
        }
      } catch (err) {
        logger.error({ err, ruleId: action.rule.id, kind: action.kind }, 'rule effect failed');
      }
    }
  }
}
