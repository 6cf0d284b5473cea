// One evaluate() call in progress, and what every condition does with it: raise, recover and
// set timers. The open-item registry is the one place that decides repeat: false or true.
import type { CompiledRules } from './compile.js';
import type { Timer } from './heap.js';
import type { Rule } from '../../contracts/rules.js';
import { openKey, type EngineState, type OpenItem } from './state.js';
import type { EngineContext, EngineEffect } from './types.js';

export interface Step {
  state: EngineState;
  ctx: EngineContext;
  rules: CompiledRules;
  /** The clock: the input's `at`. */
  at: number;
  effects: EngineEffect[];
}

/** What a raise is about. */
export interface Target {
  subject: string;
  deviceId: string | null;
  siteId: string;
  zone: string | null;
  port: number | null;
}

/** Raises, or repeats when the (rule, subject) item is already open. */
export function raise(step: Step, rule: Rule, target: Target, data: Record<string, unknown>): void {
  const { state, at } = step;
  const key = openKey(rule.id, target.subject);
  const repeat = state.open.has(key);
  if (!repeat) {
    state.open.set(key, { ruleId: rule.id, subject: target.subject, deviceId: target.deviceId, siteId: target.siteId, since: at });
    const device = target.deviceId === null ? undefined : state.devices.get(target.deviceId);
    if (device) (device.open ??= new Set()).add(key);
  }
  step.effects.push({ kind: 'raise', ruleId: rule.id, ...target, repeat, at, data });
}

/** Recovers the open item with this key, if there is one. */
export function recover(step: Step, key: string): void {
  const item = close(step.state, key);
  if (item) step.effects.push({ kind: 'recover', ruleId: item.ruleId, subject: item.subject, deviceId: item.deviceId, siteId: item.siteId, at: step.at });
}

/** Forgets an open item without an effect (a rate or correlation window that ran empty, a forgotten device). */
export function close(state: EngineState, key: string): OpenItem | undefined {
  const item = state.open.get(key);
  if (!item) return undefined;
  state.open.delete(key);
  if (item.deviceId !== null) state.devices.get(item.deviceId)?.open?.delete(key);
  return item;
}

/** The device's open items of one rule. */
export function openKeysOf(step: Step, deviceId: string, ruleId: string): string[] {
  const keys = step.state.devices.get(deviceId)?.open;
  if (!keys) return [];
  const prefix = `${ruleId} `;
  return [...keys].filter((k) => k.startsWith(prefix));
}

/** Sets a timer and returns its seq, which the owning record keeps to recognise its live timer. */
export function setTimer(step: Step, kind: Timer['kind'], deviceId: string, key: string, due: number): number {
  const seq = ++step.state.seq;
  step.state.timers.push({ due, seq, kind, deviceId, key });
  return seq;
}

/** The subject of a device's source: `fp-1#1:17` for loop 1 point 17; the device id without source fields. */
export function sourceSubject(deviceId: string, sourceFields: readonly string[], data: Record<string, unknown>): string {
  if (sourceFields.length === 0) return deviceId;
  return `${deviceId}#${sourceFields.map((f) => sourceValue(data[f])).join(':')}`;
}

/** True when the data names every source field, so a clear or end event concerns one source only. */
export function namesSource(sourceFields: readonly string[], data: Record<string, unknown>): boolean {
  return sourceFields.every((f) => data[f] !== undefined && data[f] !== null);
}

function sourceValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** A port named in event data, else null. */
export function portOf(data: Record<string, unknown>): number | null {
  return typeof data.port === 'number' ? data.port : null;
}
