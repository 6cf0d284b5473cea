// Independent smoke detector (独立式感烟探测器), typically NB-IoT: smoke level, battery, signal.
import type { Command } from '../../contracts/device-api.js';
import { pickIncident, SimulatedDevice, unsupported, type CommandResult, type IncidentClass, type Metrics } from '../device.js';
import { clamp, pick, rand, randInt, relax, round } from '../math.js';

const SMOKE_BASELINE_DB_M = 0.01;
const LOW_BATTERY_PCT = 20;

export class SmokeDetector extends SimulatedDevice {
  private smokeDbM = SMOKE_BASELINE_DB_M;
  private smokeTarget = SMOKE_BASELINE_DB_M;
  private batteryPct = rand(45, 100);
  private rssiDbm = randInt(-100, -65);
  private alarming = false;
  private lowBatteryReported = false;

  get inAlarm(): boolean {
    return this.alarming;
  }

  /** Smoke enters the chamber: the obscuration rises to `dbM` and smoke.alarm goes out with a fresh frame. */
  raiseSmokeAlarm(dbM = rand(0.18, 0.35)): void {
    this.smokeTarget = dbM;
    this.smokeDbM = dbM;
    if (!this.alarming) {
      this.alarming = true;
      this.emit('smoke.alarm', { smoke_db_m: round(dbM, 3) });
    }
    this.sendTelemetry();
  }

  clearSmoke(): void {
    this.smokeTarget = SMOKE_BASELINE_DB_M;
    this.smokeDbM = SMOKE_BASELINE_DB_M * 2;
    if (this.alarming) {
      this.alarming = false;
      this.emit('smoke.clear');
    }
    this.sendTelemetry();
  }

  protected step(dt: number): void {
    // About half a percent an hour: visible over a demo, years on a real detector.
    this.batteryPct = Math.max(1, this.batteryPct - dt * (0.5 / 3600) * rand(0.5, 1.5));
    if (this.batteryPct < LOW_BATTERY_PCT && !this.lowBatteryReported) {
      this.lowBatteryReported = true;
      this.emit('battery.low', { battery_pct: round(this.batteryPct, 1) });
    }
    this.rssiDbm = clamp(this.rssiDbm + randInt(-2, 2), -110, -55);
    this.smokeDbM = Math.max(0.001, relax(this.smokeDbM, this.smokeTarget, dt, 20) + rand(-0.003, 0.003));
  }

  protected frames(): Array<{ metrics: Metrics }> {
    return [{ metrics: { smoke_db_m: round(this.smokeDbM, 3), battery_pct: round(this.batteryPct, 1), rssi_dbm: Math.round(this.rssiDbm) } }];
  }

  protected startIncident(want: IncidentClass): string | null {
    const kind = pickIncident([[4, 'false_alarm'], [2, 'fault'], [1, 'battery_low'], [1, 'tamper'], [2, 'selftest']] as const, ['false_alarm'], want);
    switch (kind) {
      case null:
        return null;
      case 'false_alarm': // steam, dust or a cigarette: alarm, then clear once the air is clean
        this.beginIncident(kind);
        this.raiseSmokeAlarm();
        this.later(rand(15, 45) * 1000, () => { this.clearSmoke(); this.endIncident(); });
        return kind;
      case 'fault': {
        this.beginIncident(kind);
        // a code only: the dashboard words it in the viewer's language
        const fault = pick([{ code: 'E01' }, { code: 'E03' }]);
        this.emit('fault', fault);
        this.later(rand(30, 90) * 1000, () => { this.emit('fault.clear', { code: fault.code }); this.endIncident(); });
        return kind;
      }
      case 'battery_low':
        if (this.lowBatteryReported) return null;
        this.batteryPct = Math.min(this.batteryPct, rand(LOW_BATTERY_PCT - 4, LOW_BATTERY_PCT - 0.5));
        this.sendTelemetry(); // step() sees the threshold and reports battery.low
        return kind;
      case 'tamper':
        this.emit('tamper');
        return kind;
      case 'selftest':
        this.emit('selftest', { result: 'pass' });
        return kind;
    }
    return null; // a kind not listed above
  }

  protected execute(command: Command): CommandResult {
    switch (command.type) {
      case 'selftest':
        this.emit('selftest', { result: 'pass' });
        return { ok: true };
      case 'silence':
        return { ok: true };
      default:
        return unsupported(command);
    }
  }
}
