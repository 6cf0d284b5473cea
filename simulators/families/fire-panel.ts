// Fire-alarm control panel (火灾报警控制器) behind a user information transmission device (GB/T 26875.3).
import type { Command } from '../../contracts/device-api.js';
import { pickIncident, SimulatedDevice, unsupported, type CommandResult, type IncidentClass, type Metrics } from '../device.js';
import { pick, rand, randInt } from '../math.js';

/** Zones (病区) a panel's points belong to. */
export const wardZones = ['1F 急诊科', '2F 门诊大厅', '3F 内科病区', '4F 外科病区', '5F 手术部', '6F 儿科病区', 'B1 药库', '7F ICU'] as const;

export interface PanelPoint {
  loop: number;
  point: number;
  zone: string;
}

export class FirePanel extends SimulatedDevice {
  private mainPowerOk = true;
  private backupPowerOk = true;
  private readonly alarms = new Map<string, PanelPoint>();

  /** A detector on loop/point reports fire: the panel raises fire.alarm for it. */
  fireAlarm(point: PanelPoint, component = 'smoke_detector'): void {
    const key = `${point.loop}/${point.point}`;
    if (this.alarms.has(key)) return;
    this.alarms.set(key, point);
    this.emit('fire.alarm', { ...point, component });
  }

  /** Operator reset at the panel: every point clears and panel.reset is reported. */
  reset(): void {
    for (const p of this.alarms.values()) this.emit('fire.clear', { ...p });
    this.alarms.clear();
    this.emit('panel.reset');
  }

  protected step(): void {
    // Power states change only through incidents.
  }

  protected frames(): Array<{ metrics: Metrics }> {
    return [{ metrics: { main_power_ok: this.mainPowerOk, backup_power_ok: this.backupPowerOk } }];
  }

  protected startIncident(want: IncidentClass): string | null {
    const kind = pickIncident([
      [3, 'false_alarm'], [3, 'fault'], [1, 'isolation'], [1, 'main_power'], [1, 'backup_power'], [1, 'supervisory'],
    ] as const, ['false_alarm'], want);
    const point = this.randomPoint();
    switch (kind) {
      case null:
        return null;
      case 'false_alarm':
        this.beginIncident(kind);
        this.fireAlarm(point);
        this.later(rand(30, 90) * 1000, () => { this.reset(); this.endIncident(); });
        return kind;
      case 'fault': {
        this.beginIncident(kind);
        const fault = pick([{ code: 'LOOP_OPEN' }, { code: 'POINT_LOST' }]);
        this.emit('fault', { ...fault, loop: point.loop, point: point.point });
        this.later(rand(60, 180) * 1000, () => { this.emit('fault.clear', { code: fault.code }); this.endIncident(); });
        return kind;
      }
      case 'isolation': // a point isolated (屏蔽) for maintenance, restored later
        this.beginIncident(kind);
        this.emit('isolation', { ...point });
        this.later(rand(120, 300) * 1000, () => { this.emit('isolation.clear', { ...point }); this.endIncident(); });
        return kind;
      case 'main_power':
        this.beginIncident(kind);
        this.mainPowerOk = false;
        this.emit('power.main_fault');
        this.sendTelemetry();
        this.later(rand(60, 180) * 1000, () => { this.mainPowerOk = true; this.sendTelemetry(); this.endIncident(); });
        return kind;
      case 'backup_power':
        this.beginIncident(kind);
        this.backupPowerOk = false;
        this.emit('power.backup_fault');
        this.sendTelemetry();
        this.later(rand(120, 300) * 1000, () => { this.backupPowerOk = true; this.sendTelemetry(); this.endIncident(); });
        return kind;
      case 'supervisory':
        this.emit('supervisory', { ...point, component: 'sprinkler_valve' });
        return kind;
    }
    return null; // a kind not listed above
  }

  protected execute(command: Command): CommandResult {
    switch (command.type) {
      case 'reset':
        this.reset();
        return { ok: true };
      case 'silence':
        return { ok: true };
      default:
        return unsupported(command);
    }
  }

  private randomPoint(): PanelPoint {
    return { loop: randInt(1, 4), point: randInt(1, 120), zone: pick(wardZones) };
  }
}
