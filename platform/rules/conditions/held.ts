// held: a start event opens a pending state per source; it raises once when still not ended
// `forSec` later (on a tick, or on any input from the device), and recovers when it ends.
import type { Timer } from '../heap.js';
import type { Rule } from '../../../contracts/rules.js';
import { namesSource, portOf, raise, recover, setTimer, sourceSubject, type Step } from '../step.js';
import { openKey, type DeviceState, type HeldEntry } from '../state.js';
import type { EngineInput } from '../types.js';

type HeldCondition = Extract<Rule['condition'], { kind: 'held' }>;
type DeviceEvent = Extract<EngineInput, { kind: 'event' }>['event'];

export function heldCondition(step: Step, rule: Rule, c: HeldCondition, device: DeviceState, event: DeviceEvent): void {
  const deviceId = device.facts.id;
  if (c.startTypes.includes(event.type)) {
    const subject = sourceSubject(deviceId, c.sourceFields, event.data);
    const key = openKey(rule.id, subject);
    const held = (device.held ??= new Map());
    // A repeated start (the panel reporting the same isolation again) keeps the original clock.
    if (held.has(key)) return;
    const entry: HeldEntry = {
      ruleId: rule.id, subject, since: step.at, port: portOf(event.data),
      event: { type: event.type, id: event.id, data: event.data }, raised: false, timer: 0,
    };
    entry.timer = setTimer(step, 'held', deviceId, key, step.at + c.forSec * 1000);
    held.set(key, entry);
  } else if (c.endTypes.includes(event.type) && device.held) {
    const keys = namesSource(c.sourceFields, event.data)
      ? [openKey(rule.id, sourceSubject(deviceId, c.sourceFields, event.data))]
      : [...device.held.values()].filter((e) => e.ruleId === rule.id).map((e) => openKey(e.ruleId, e.subject));
    for (const key of keys) {
      const entry = device.held.get(key);
      if (!entry) continue;
      device.held.delete(key);
      if (entry.raised) recover(step, key);
    }
  }
}

/** Raises the device's held states that have lasted `forSec` by now. */
export function matureHeld(step: Step, device: DeviceState): void {
  if (!device.held?.size) return;
  for (const [key, entry] of device.held) if (!entry.raised) mature(step, device, key, entry);
}

export function heldTimer(step: Step, device: DeviceState, timer: Timer): void {
  const entry = device.held?.get(timer.key);
  if (!entry || entry.timer !== timer.seq) return; // stale: ended, restarted or forgotten
  entry.timer = 0;
  mature(step, device, timer.key, entry);
}

function mature(step: Step, device: DeviceState, key: string, entry: HeldEntry): void {
  const rule = step.rules.byId.get(entry.ruleId);
  if (!rule || rule.condition.kind !== 'held' || !rule.families.includes(device.facts.family)) {
    device.held!.delete(key); // the rule was disabled or changed: its pending state no longer means anything
    return;
  }
  const due = entry.since + rule.condition.forSec * 1000;
  if (step.at < due) {
    // forSec may have changed since the timer was set; keep exactly one live timer at the right time.
    if (entry.timer === 0) entry.timer = setTimer(step, 'held', device.facts.id, key, due);
    return;
  }
  entry.raised = true;
  entry.timer = 0;
  const { facts } = device;
  raise(step, rule, { subject: entry.subject, deviceId: facts.id, siteId: facts.siteId, zone: facts.zone, port: entry.port },
    { ...entry.event, since: entry.since });
}
