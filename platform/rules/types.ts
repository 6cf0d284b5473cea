// The engine's inputs and outputs: plain data, so the engine is a pure function of
// (state, input, context) and the shell (platform/rules/runner.ts) does all I/O and timekeeping.
import type { DeviceFacts, Rule, SpecialPeriod } from '../../contracts/rules.js';

export type { DeviceFacts };

export interface SiteFacts {
  id: string;
  /** Badges allowed to open hazmat cabinets (双人双锁); empty = any badge counts. */
  authorisedBadges: readonly string[];
}

export type EngineInput =
  /** A stored, de-duplicated device event; `at` is FireNet's receipt time (the engine's clock). */
  | { kind: 'event'; device: DeviceFacts; event: { id: string; ts: number; type: string; data: Record<string, unknown> }; at: number }
  | { kind: 'telemetry'; device: DeviceFacts; metrics: Record<string, number | boolean>; port: number | null; at: number }
  /** Any other sign of life (a command ack, a connect). */
  | { kind: 'seen'; device: DeviceFacts; at: number }
  /** A device known to exist, with when it was last heard from (null: never), so absence can be tracked from start-up. */
  | { kind: 'register'; device: DeviceFacts; lastSeenAt: number | null; at: number }
  | { kind: 'forget'; deviceId: string; at: number }
  /** The clock: held, metric-duration and absence conditions mature on ticks. */
  | { kind: 'tick'; at: number };

export interface EngineContext {
  /** Enabled and disabled rules alike; the engine skips disabled ones. */
  rules: readonly Rule[];
  periods: readonly SpecialPeriod[];
  site(siteId: string): SiteFacts | undefined;
}

/**
 * What a rule did. `subject` identifies the thing that is in the rule's condition: the device
 * (plus its source: a port, a panel loop/point) or, for correlation, the site and zone. There is
 * at most one open item per (ruleId, subject); the shell keys alarms, work orders and tickets on it.
 */
export type EngineEffect =
  /** The condition became true (`repeat: false`) or fired again while open (`repeat: true`). */
  | { kind: 'raise'; ruleId: string; subject: string; deviceId: string | null; siteId: string; zone: string | null; port: number | null; repeat: boolean; at: number; data: Record<string, unknown> }
  /** The condition cleared (clear event, metric back past its hysteresis, device heard from again, held state ended). */
  | { kind: 'recover'; ruleId: string; subject: string; deviceId: string | null; siteId: string; at: number };
