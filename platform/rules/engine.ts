// The rules engine core: a pure function of (state, input, context) -> (state, effects).
// No clock but `input.at`, no timers, no I/O, no randomness: the same inputs give the same effects.
// For speed, evaluate() updates `state` in place and returns that same object: a caller that needs
// the state from before an input must serialise it first (serializeState).
// Rules are compiled once per `ctx.rules` array (by identity): pass a new array when rules change.
import { absenceTimer } from './conditions/absence.js';
import { correlationCondition } from './conditions/correlation.js';
import { eventCondition } from './conditions/event.js';
import { heldCondition, heldTimer, matureHeld } from './conditions/held.js';
import { metricTelemetry, metricTimer } from './conditions/metric.js';
import { rateCondition } from './conditions/rate.js';
import { compileRules } from './compile.js';
import { forgetDevice, registerDevice, touchDevice } from './devices.js';
import type { EngineState } from './state.js';
import type { Step } from './step.js';
import type { EngineContext, EngineEffect, EngineInput } from './types.js';

export { initialState, serializeState, deserializeState, STATE_VERSION } from './state.js';
export type { EngineState } from './state.js';

export function evaluate(state: EngineState, input: EngineInput, ctx: EngineContext): { state: EngineState; effects: EngineEffect[] } {
  const step: Step = { state, ctx, rules: compileRules(ctx.rules), at: input.at, effects: [] };
  switch (input.kind) {
    case 'event': onEvent(step, input); break;
    case 'telemetry': onTelemetry(step, input); break;
    case 'seen': matureHeld(step, touchDevice(step, input.device)); break;
    case 'register': registerDevice(step, input.device, input.lastSeenAt); break;
    case 'forget': forgetDevice(step, input.deviceId); break;
    case 'tick': onTick(step); break;
  }
  return { state, effects: step.effects };
}

function onEvent(step: Step, input: Extract<EngineInput, { kind: 'event' }>): void {
  const device = touchDevice(step, input.device);
  const { event } = input;
  for (const rule of step.rules.families[input.device.family].byEventType.get(event.type) ?? []) {
    const c = rule.condition;
    switch (c.kind) {
      case 'event': eventCondition(step, rule, c, input.device, event); break;
      case 'held': heldCondition(step, rule, c, device, event); break;
      case 'rate': rateCondition(step, rule, c, device, event); break;
      case 'correlation': correlationCondition(step, rule, c, input.device, event); break;
    }
  }
  // After the event's own rules, so an end event arriving just as forSec elapses ends the state quietly.
  matureHeld(step, device);
}

function onTelemetry(step: Step, input: Extract<EngineInput, { kind: 'telemetry' }>): void {
  const device = touchDevice(step, input.device);
  for (const m of step.rules.families[input.device.family].metric) metricTelemetry(step, m, device, input.metrics, input.port);
  matureHeld(step, device);
}

/** Pops every timer due by now, in (due, seq) order; stale ones are skipped by their handlers. */
function onTick(step: Step): void {
  const { timers, devices } = step.state;
  for (let next = timers.peek(); next !== undefined && next.due <= step.at; next = timers.peek()) {
    const timer = timers.pop()!;
    const device = devices.get(timer.deviceId);
    if (!device) continue; // forgotten
    switch (timer.kind) {
      case 'absence': absenceTimer(step, device, timer); break;
      case 'held': heldTimer(step, device, timer); break;
      case 'metric': metricTimer(step, device, timer); break;
    }
  }
}
