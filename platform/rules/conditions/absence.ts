// absence (offline): a device unheard of for `heartbeats` x its heartbeat interval. One deadline
// timer per (device, rule) sits in the timer heap; hearing from the device only moves lastSeen. When
// the timer pops, the deadline is recomputed from lastSeen: past -> raise, else set again for the
// real deadline. A tick thus costs O(timers due · log n), never a scan of the fleet.
import type { Timer } from '../heap.js';
import type { Rule } from '../../../contracts/rules.js';
import { raise, recover, setTimer, type Step } from '../step.js';
import { openKey, type DeviceState } from '../state.js';

type AbsenceCondition = Extract<Rule['condition'], { kind: 'absence' }>;

const deadline = (rule: Rule, device: DeviceState): number =>
  device.lastSeen + (rule.condition as AbsenceCondition).heartbeats * device.facts.heartbeatSec * 1000;

/** The device was heard from: recover its offline items, and make sure each rule has a deadline timer. */
export function heardFrom(step: Step, device: DeviceState): void {
  for (const rule of step.rules.families[device.facts.family].absence) {
    if (device.open?.size) recover(step, openKey(rule.id, device.facts.id));
    if (device.absence[rule.id] === undefined) schedule(step, rule, device);
  }
}

/** Sets fresh deadline timers (facts such as the heartbeat changed); older ones turn stale. */
export function reschedule(step: Step, device: DeviceState): void {
  for (const rule of step.rules.families[device.facts.family].absence) {
    if (!step.state.open.has(openKey(rule.id, device.facts.id))) schedule(step, rule, device);
  }
}

export function absenceTimer(step: Step, device: DeviceState, timer: Timer): void {
  if (device.absence[timer.key] !== timer.seq) return; // stale
  delete device.absence[timer.key];
  const rule = step.rules.byId.get(timer.key);
  if (!rule || rule.condition.kind !== 'absence' || !rule.families.includes(device.facts.family)) return;
  const due = deadline(rule, device);
  if (step.at < due) {
    schedule(step, rule, device);
    return;
  }
  const { facts } = device;
  raise(step, rule, { subject: facts.id, deviceId: facts.id, siteId: facts.siteId, zone: facts.zone, port: null },
    { lastSeenAt: device.lastSeen, deadline: due });
}

function schedule(step: Step, rule: Rule, device: DeviceState): void {
  device.absence[rule.id] = setTimer(step, 'absence', device.facts.id, rule.id, deadline(rule, device));
}
