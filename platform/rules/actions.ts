// From what a rule did (raise / recover) to what must happen: the rule's effects, as plain actions.
// Pure. Records (alarms, work orders, tickets) are written in the same transaction as the event;
// commands and notifications go out after it commits.
import type { Effect, Rule } from '../../contracts/rules.js';
import type { EngineEffect } from './types.js';

type Raise = Extract<EngineEffect, { kind: 'raise' }>;
type Recover = Extract<EngineEffect, { kind: 'recover' }>;
type Of<K extends Effect['kind']> = Extract<Effect, { kind: K }>;

export type Action =
  | { kind: 'alarm.raise'; rule: Rule; cause: Raise }
  | { kind: 'alarm.likely_fire'; rule: Rule; cause: Raise }
  | { kind: 'workorder.raise'; rule: Rule; effect: Of<'workorder'>; cause: Raise }
  | { kind: 'ticket.raise'; rule: Rule; effect: Of<'hazard'>; cause: Raise }
  | { kind: 'alarm.recover' | 'workorder.recover' | 'ticket.recover'; rule: Rule; close: boolean; cause: Recover }
  | { kind: 'command'; rule: Rule; effect: Of<'command'>; cause: Raise }
  | { kind: 'notify'; rule: Rule; effect: Of<'notify'>; cause: Raise };

/**
 * A first raise carries out every effect; a repeat only counts on the open records (no second
 * power-off, no second notification); a recovery follows each effect's `recovery` setting.
 */
export function plan(effects: readonly EngineEffect[], rules: ReadonlyMap<string, Rule>): Action[] {
  const actions: Action[] = [];
  for (const cause of effects) {
    const rule = rules.get(cause.ruleId);
    if (!rule) continue;
    for (const effect of rule.effects) {
      if (cause.kind === 'recover') {
        if (effect.kind === 'alarm' || effect.kind === 'workorder' || effect.kind === 'hazard') {
          if (effect.recovery === 'none') continue;
          const kind = effect.kind === 'hazard' ? 'ticket.recover' : `${effect.kind}.recover` as const;
          actions.push({ kind, rule, close: effect.recovery === 'close', cause });
        }
        continue;
      }
      switch (effect.kind) {
        case 'alarm':
          // a zone-wide subject (correlation) flags the zone's alarms; a device subject raises its own
          actions.push({ kind: cause.deviceId === null || effect.likelyFire ? 'alarm.likely_fire' : 'alarm.raise', rule, cause });
          break;
        case 'workorder':
          if (cause.deviceId !== null) actions.push({ kind: 'workorder.raise', rule, effect, cause });
          break;
        case 'hazard':
          actions.push({ kind: 'ticket.raise', rule, effect, cause });
          break;
        case 'command':
          if (!cause.repeat && cause.deviceId !== null) actions.push({ kind: 'command', rule, effect, cause });
          break;
        case 'notify':
          if (!cause.repeat) actions.push({ kind: 'notify', rule, effect, cause });
          break;
      }
    }
  }
  return actions;
}
