// E-bike charging station (电动自行车充电桩): per port current, voltage and temperature; remote power cut.
import type { Command } from '../../contracts/device-api.js';
import { pickIncident, SimulatedDevice, unsupported, type CommandResult, type DeviceOptions, type IncidentClass, type Metrics } from '../device.js';
import type { FleetDevice } from '../../contracts/fleet-file.js';
import { hash, pick, rand, relax, round } from '../math.js';

const OVERTEMP_C = 65;
const CHARGER_SMOKE_C = 90;
const RUNAWAY_MAX_C = 130;

interface ChargerPort {
  readonly no: number;
  plugged: boolean;
  powered: boolean;
  /** Current the attached e-bike charger draws while powered. */
  drawA: number;
  currentA: number;
  voltageV: number;
  temperatureC: number;
  /** Extra heating in °C/s: a failing battery pack in thermal runaway. */
  runawayCPerSec: number;
  overtempReported: boolean;
  smokeReported: boolean;
}

export interface PortReading {
  port: number;
  powered: boolean;
  currentA: number;
  temperatureC: number;
}

export class ChargingStation extends SimulatedDevice {
  readonly portCount: number;
  private readonly ambientC = rand(24, 30);
  private readonly ports: ChargerPort[];

  constructor(spec: FleetDevice, options: DeviceOptions) {
    super(spec, options);
    this.portCount = 2 + (hash(spec.id) % 9);
    this.ports = Array.from({ length: this.portCount }, (_, i) => {
      const plugged = Math.random() < 0.5;
      const drawA = rand(1.2, 3.2);
      return {
        no: i + 1, plugged, powered: true, drawA, currentA: plugged ? drawA : 0, voltageV: 220,
        temperatureC: this.ambientC + (plugged ? 3 * drawA : 1), runawayCPerSec: 0, overtempReported: false, smokeReported: false,
      };
    });
  }

  reading(port: number): PortReading {
    this.advance();
    const p = this.port(port);
    return { port: p.no, powered: p.powered, currentA: p.currentA, temperatureC: p.temperatureC };
  }

  /** Makes the port's temperature climb so it crosses 65 °C after about `secondsToOvertemp`, until power is cut. */
  startThermalRunaway(port: number, secondsToOvertemp = 40): void {
    this.advance();
    const p = this.port(port);
    p.plugged = true;
    p.powered = true;
    p.runawayCPerSec = Math.max(0.2, (OVERTEMP_C + 2 - p.temperatureC) / secondsToOvertemp);
    this.log.info({ port, temperatureC: round(p.temperatureC, 1) }, 'thermal runaway started');
  }

  /** Picks a port that is charging now, or any port. */
  busiestPort(): number {
    this.advance();
    const charging = this.ports.filter((p) => p.currentA > 0);
    return (charging.length ? pick(charging) : pick(this.ports)).no;
  }

  sendPortTelemetry(port: number): void {
    this.advance();
    this.publishFrame(this.portFrame(this.port(port)));
  }

  protected step(dt: number): void {
    for (const p of this.ports) {
      if (p.runawayCPerSec === 0 && p.powered) {
        // Riders come and go: a free port is taken within ~15 min, a charge ends within ~1 h.
        if (!p.plugged && Math.random() < 1 - Math.exp(-dt / 900)) { p.plugged = true; p.drawA = rand(1.2, 3.2); }
        else if (p.plugged && Math.random() < 1 - Math.exp(-dt / 3600)) p.plugged = false;
      }
      const live = p.powered && p.plugged;
      p.currentA = live ? Math.max(0, p.drawA + rand(-0.08, 0.08)) : 0;
      p.voltageV = p.powered ? rand(216, 224) : 0;
      if (p.powered && p.runawayCPerSec > 0) {
        p.temperatureC = Math.min(RUNAWAY_MAX_C, p.temperatureC + p.runawayCPerSec * dt);
      } else {
        p.temperatureC = relax(p.temperatureC, this.ambientC + 3 * p.currentA, dt, p.powered ? 120 : 45) + rand(-0.1, 0.1);
      }
      this.checkThresholds(p);
    }
  }

  protected frames(): Array<{ metrics: Metrics; port: number }> {
    return this.ports.map((p) => this.portFrame(p));
  }

  protected startIncident(want: IncidentClass): string | null {
    const kind = pickIncident([[2, 'overcurrent'], [1, 'fault']] as const, [], want);
    switch (kind) {
      case null:
        return null;
      case 'overcurrent': { // a brief surge the port's breaker rides out
        this.advance();
        const charging = this.ports.filter((p) => p.currentA > 0);
        if (!charging.length) return null;
        const p = pick(charging);
        this.emit('charger.overcurrent', { port: p.no, current_a: round(rand(8, 12), 2) });
        return kind;
      }
      case 'fault': {
        this.beginIncident(kind);
        const fault = pick([{ code: 'METER_COMM' }, { code: 'RELAY_STUCK' }]);
        this.emit('fault', fault);
        this.later(rand(60, 180) * 1000, () => { this.emit('fault.clear', { code: fault.code }); this.endIncident(); });
        return kind;
      }
    }
  }

  protected execute(command: Command): CommandResult {
    if (command.type !== 'power_off' && command.type !== 'power_on') return unsupported(command);
    const raw = command['port'];
    const targets = raw === undefined ? this.ports : this.ports.filter((p) => p.no === raw);
    if (!targets.length) return { ok: false, message: `no port ${JSON.stringify(raw)} (ports 1-${this.portCount})` };
    for (const p of targets) {
      if (command.type === 'power_off') this.cutPower(p.no, 'remote');
      else this.restorePower(p.no);
    }
    return { ok: true };
  }

  /** Opens the port's relay: heating stops, current reads 0, and charger.power_off is reported. */
  cutPower(port: number, reason: 'remote' | 'thermal_fuse'): void {
    this.advance();
    const p = this.port(port);
    p.powered = false;
    p.runawayCPerSec = 0;
    p.currentA = 0;
    p.voltageV = 0;
    this.emit('charger.power_off', { port: p.no, reason });
    this.publishFrame(this.portFrame(p));
  }

  restorePower(port: number): void {
    this.advance();
    const p = this.port(port);
    p.powered = true;
    this.publishFrame(this.portFrame(p));
  }

  private checkThresholds(p: ChargerPort): void {
    if (p.temperatureC >= OVERTEMP_C && !p.overtempReported) {
      p.overtempReported = true;
      this.emit('charger.overtemp', { port: p.no, temperature_c: round(p.temperatureC, 1) });
    } else if (p.temperatureC < OVERTEMP_C - 10) {
      p.overtempReported = false;
    }
    if (p.temperatureC >= CHARGER_SMOKE_C && !p.smokeReported) {
      p.smokeReported = true;
      this.emit('charger.smoke', { port: p.no, temperature_c: round(p.temperatureC, 1) });
    } else if (p.temperatureC < OVERTEMP_C) {
      p.smokeReported = false;
    }
  }

  private portFrame(p: ChargerPort): { metrics: Metrics; port: number } {
    return { port: p.no, metrics: { current_a: round(p.currentA, 2), voltage_v: round(p.voltageV, 1), temperature_c: round(p.temperatureC, 1) } };
  }

  private port(no: number): ChargerPort {
    const p = this.ports[no - 1];
    if (!p) throw new Error(`charger ${this.id} has no port ${no} (ports 1-${this.portCount})`);
    return p;
  }
}
