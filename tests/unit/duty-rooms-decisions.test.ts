// The demo's simulated duty rooms decide alone (pure): which alarms they answer, how soon, and how; the fleet picks
// incidents of the class asked for. Against a real FireNet in tests/platform/demo-duty-rooms.test.ts.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { planResponse, REAL_TIMING } from '../../platform/demo/duty-rooms.js';
import { pickIncident } from '../../simulators/device.js';

/** A fixed sequence of "random" numbers, repeated. */
const sequence = (...values: number[]) => { let i = 0; return () => values[i++ % values.length]!; };

describe('the duty rooms\' decisions (pure)', () => {
  it('answers a share of alarms, acknowledging within a minute, confirming false alarm or test, closing after', () => {
    expect(planResponse(0.8, REAL_TIMING, sequence(0.9))).toBeNull(); // 0.9 >= 0.8: left for a person
    const plan = planResponse(0.8, REAL_TIMING, sequence(0.1, 0.5, 0.5, 0.5, 0.2))!;
    expect(plan.outcome).toBe('false_alarm');
    expect(plan.ackAfterMs).toBeGreaterThanOrEqual(10_000);
    expect(plan.ackAfterMs).toBeLessThanOrEqual(60_000);
    expect(plan.confirmAfterMs).toBeGreaterThan(plan.ackAfterMs);
    expect(plan.closeAfterMs).toBeGreaterThan(plan.confirmAfterMs);
    expect(planResponse(0.8, REAL_TIMING, sequence(0.1, 0.5, 0.5, 0.5, 0.9))!.outcome).toBe('test');
    // over many alarms, about the share asked for, most of them false alarms, never a "fire"
    const plans = Array.from({ length: 2000 }, () => planResponse(0.8, REAL_TIMING));
    const answered = plans.filter((p) => p !== null);
    expect(answered.length / plans.length).toBeGreaterThan(0.75);
    expect(answered.length / plans.length).toBeLessThan(0.85);
    expect(answered.filter((p) => p.outcome === 'false_alarm').length / answered.length).toBeGreaterThan(0.65);
    expect(answered.every((p) => p.outcome === 'false_alarm' || p.outcome === 'test')).toBe(true);
  });

  it('picks incidents of the class asked for', () => {
    const kinds = [[4, 'false_alarm'], [2, 'fault'], [1, 'battery_low']] as const;
    for (let i = 0; i < 200; i++) {
      expect(pickIncident(kinds, ['false_alarm'], 'alarm')).toBe('false_alarm');
      expect(pickIncident(kinds, ['false_alarm'], 'other')).not.toBe('false_alarm');
    }
    expect(pickIncident([[1, 'fault']] as const, [], 'alarm')).toBeNull();
  });

  it('defaults to a believable province: a few alarms an hour, most answered, few other incidents a minute', () => {
    const config = loadConfig({});
    expect(config.FIRENET_DEMO_ALARMS_PER_HOUR).toBeGreaterThanOrEqual(2);
    expect(config.FIRENET_DEMO_ALARMS_PER_HOUR).toBeLessThanOrEqual(6);
    expect(config.FIRENET_DEMO_ANSWERED).toBeGreaterThanOrEqual(0.7);
    expect(config.FIRENET_DEMO_ANSWERED).toBeLessThan(1);
    expect(config.FIRENET_DEMO_EVENT_RATE).toBeLessThanOrEqual(2);
  });
});
