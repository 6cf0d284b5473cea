// event: a matching event raises (or repeats); a clear event recovers the source it names, or
// every source of the device when it names none (a panel reset clears all its points).
import type { Rule } from '../../../contracts/rules.js';
import { namesSource, openKeysOf, portOf, raise, recover, sourceSubject, type Step } from '../step.js';
import { openKey } from '../state.js';
import type { DeviceFacts, EngineInput } from '../types.js';
import { passesWhere } from '../where.js';

type EventCondition = Extract<Rule['condition'], { kind: 'event' }>;
type DeviceEvent = Extract<EngineInput, { kind: 'event' }>['event'];

export function eventCondition(step: Step, rule: Rule, c: EventCondition, device: DeviceFacts, event: DeviceEvent): void {
  if (c.types.includes(event.type)) {
    const authorised = () => step.ctx.site(device.siteId)?.authorisedBadges ?? [];
    if (!passesWhere(c.where, event.data, authorised)) return;
    const subject = sourceSubject(device.id, c.sourceFields, event.data);
    const target = { subject, deviceId: device.id, siteId: device.siteId, zone: device.zone, port: portOf(event.data) };
    raise(step, rule, target, { type: event.type, id: event.id, data: event.data });
  } else if (c.clearTypes.includes(event.type)) {
    const keys = namesSource(c.sourceFields, event.data)
      ? [openKey(rule.id, sourceSubject(device.id, c.sourceFields, event.data))]
      : openKeysOf(step, device.id, rule.id);
    for (const key of keys) recover(step, key);
  }
}
