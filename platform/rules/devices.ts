// What the engine knows of each device: its facts (as of the latest input) and when it was last heard from.
import { heardFrom, reschedule } from './conditions/absence.js';
import { close, type Step } from './step.js';
import type { DeviceState } from './state.js';
import type { DeviceFacts } from './types.js';

/** A message from the device (event, telemetry, seen): it is alive at `step.at`. */
export function touchDevice(step: Step, facts: DeviceFacts): DeviceState {
  let device = step.state.devices.get(facts.id);
  if (!device) {
    device = { facts, lastSeen: step.at, absence: {} };
    step.state.devices.set(facts.id, device);
  } else {
    device.facts = facts;
    // Inputs may arrive slightly out of order; last seen never moves back.
    if (step.at > device.lastSeen) device.lastSeen = step.at;
  }
  heardFrom(step, device);
  return device;
}

/**
 * A device known to exist. Never heard from: the register time counts as last seen. A lastSeenAt
 * newer than the engine's own counts as hearing from it (it recovers if offline).
 */
export function registerDevice(step: Step, facts: DeviceFacts, lastSeenAt: number | null): void {
  const device = step.state.devices.get(facts.id);
  if (!device) {
    const fresh: DeviceState = { facts, lastSeen: lastSeenAt ?? step.at, absence: {} };
    step.state.devices.set(facts.id, fresh);
    reschedule(step, fresh);
    return;
  }
  device.facts = facts;
  if (lastSeenAt !== null && lastSeenAt > device.lastSeen) {
    device.lastSeen = lastSeenAt;
    heardFrom(step, device);
  }
  reschedule(step, device); // the heartbeat may have changed: deadlines from the current facts
}

/** Drops the device and everything kept for it, its open items included, without effects. */
export function forgetDevice(step: Step, deviceId: string): void {
  const device = step.state.devices.get(deviceId);
  if (!device) return;
  for (const key of [...(device.open ?? [])]) close(step.state, key);
  step.state.devices.delete(deviceId);
}
