// Hazardous-chemical cabinet (危化品柜): VOC, climate, door, lock and exhaust fan; 双人双锁 opening.
import type { Command } from '../../contracts/device-api.js';
import { pickIncident, SimulatedDevice, unsupported, type CommandResult, type IncidentClass, type Metrics } from '../device.js';
import { clamp, pick, rand, randInt, relax, round } from '../math.js';

const LEAK_VOC_PPM = 50;
const VOC_MAX_PPM = 500;

export class HazmatCabinet extends SimulatedDevice {
  private readonly vocBaseline = rand(0.2, 0.8);
  private vocPpm = this.vocBaseline;
  private temperatureC = rand(18, 24);
  private humidityPct = rand(40, 55);
  private doorOpen = false;
  private locked = true;
  private fanOn = true;
  /** VOC climb in ppm/s: a spill or a loose cap. */
  private vocRisePerSec = 0;
  private leakReported = false;
  /** Badges authorised on this cabinet (双人双锁 needs two different ones). */
  private readonly badges = Array.from({ length: 5 }, () => `B${randInt(100000, 999999)}`);

  get isDoorOpen(): boolean {
    return this.doorOpen;
  }

  get voc(): number {
    return this.vocPpm;
  }

  /** Door opens with the given badges (two for a proper 双人 opening); defaults to two authorised people. */
  openDoor(badges: string[] = this.twoBadges()): void {
    if (this.doorOpen) return;
    this.doorOpen = true;
    this.locked = false;
    this.emit('cabinet.door_open', { badges });
    this.sendTelemetry();
  }

  closeDoor(): void {
    if (!this.doorOpen) return;
    this.doorOpen = false;
    this.locked = true;
    this.vocRisePerSec = 0;
    this.emit('cabinet.door_close');
    this.sendTelemetry();
  }

  oneBadge(): string {
    return pick(this.badges);
  }

  startVocRise(ppmPerSec: number): void {
    this.vocRisePerSec = ppmPerSec;
  }

  protected step(dt: number): void {
    if (this.vocRisePerSec > 0) this.vocPpm = Math.min(VOC_MAX_PPM, this.vocPpm + this.vocRisePerSec * dt * rand(0.8, 1.2));
    else this.vocPpm = relax(this.vocPpm, this.vocBaseline, dt, this.fanOn ? 120 : 900);
    this.vocPpm = Math.max(0, this.vocPpm + rand(-0.02, 0.02));
    this.temperatureC = clamp(this.temperatureC + rand(-0.1, 0.1), 15, 30);
    this.humidityPct = clamp(this.humidityPct + rand(-0.3, 0.3), 30, 70);
    if (this.vocPpm >= LEAK_VOC_PPM && !this.leakReported) {
      this.leakReported = true;
      this.emit('cabinet.leak', { voc_ppm: round(this.vocPpm, 2) });
    } else if (this.vocPpm < LEAK_VOC_PPM / 2) {
      this.leakReported = false;
    }
  }

  protected frames(): Array<{ metrics: Metrics }> {
    return [{
      metrics: {
        voc_ppm: round(this.vocPpm, 2), temperature_c: round(this.temperatureC, 1), humidity_pct: round(this.humidityPct, 1),
        door_open: this.doorOpen, locked: this.locked, fan_on: this.fanOn,
      },
    }];
  }

  protected startIncident(want: IncidentClass): string | null {
    const kind = pickIncident([[5, 'access'], [1, 'fan_fault']] as const, [], want);
    switch (kind) {
      case null:
        return null;
      case 'access': // two people fetch a reagent, then lock up
        if (this.doorOpen) return null;
        this.beginIncident(kind);
        this.openDoor();
        this.later(rand(30, 120) * 1000, () => { this.closeDoor(); this.endIncident(); });
        return kind;
      case 'fan_fault':
        this.beginIncident(kind);
        this.fanOn = false;
        this.emit('fault', { code: 'FAN_STALL' });
        this.sendTelemetry();
        this.later(rand(60, 180) * 1000, () => {
          this.fanOn = true;
          this.emit('fault.clear', { code: 'FAN_STALL' });
          this.sendTelemetry();
          this.endIncident();
        });
        return kind;
    }
  }

  protected execute(command: Command): CommandResult {
    switch (command.type) {
      case 'fan_on':
      case 'fan_off':
        this.fanOn = command.type === 'fan_on';
        this.sendTelemetry();
        return { ok: true };
      case 'lock':
        if (this.doorOpen) return { ok: false, message: 'DOOR_OPEN: door is open' };
        this.locked = true;
        this.sendTelemetry();
        return { ok: true };
      default:
        return unsupported(command);
    }
  }

  private twoBadges(): string[] {
    const first = pick(this.badges);
    return [first, pick(this.badges.filter((b) => b !== first))];
  }
}
