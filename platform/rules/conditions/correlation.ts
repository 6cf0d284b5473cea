// correlation: `minDevices` distinct devices of one site and zone report a matching event within
// `windowSec` (two detectors in one ward: probably a real fire). Raises again only when one more
// device joins; no recovery, and the item lapses silently once its window has run empty.
import type { Rule } from '../../../contracts/rules.js';
import { close, raise, type Step } from '../step.js';
import { openKey } from '../state.js';
import type { DeviceFacts, EngineInput } from '../types.js';

type CorrelationCondition = Extract<Rule['condition'], { kind: 'correlation' }>;
type DeviceEvent = Extract<EngineInput, { kind: 'event' }>['event'];

export function correlationCondition(step: Step, rule: Rule, c: CorrelationCondition, device: DeviceFacts, event: DeviceEvent): void {
  if (!c.types.includes(event.type) || !device.zone) return;
  const { at, state } = step;
  const subject = `${device.siteId}/${device.zone}`;
  const key = openKey(rule.id, subject);
  let latest = state.correlation.get(key);
  if (!latest) state.correlation.set(key, (latest = new Map()));
  for (const [id, t] of latest) if (at - t > c.windowSec * 1000) latest.delete(id);
  const open = state.open.has(key) && latest.size > 0;
  if (!open) close(state, key);
  const joins = !latest.has(device.id);
  latest.set(device.id, at);
  if (latest.size < c.minDevices || (open && !joins)) return;
  raise(step, rule, { subject, deviceId: null, siteId: device.siteId, zone: device.zone, port: null },
    { type: event.type, id: event.id, devices: [...latest.keys()] });
}
