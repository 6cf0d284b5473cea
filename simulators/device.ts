// One simulated device per family, speaking FireNet's device API v1 over MQTT 3.1.1.
// Each device owns its MQTT client, a jittered heartbeat and a small physical model;
// incidents (false alarms, faults, door openings) are started from outside by the fleet.
import { connect as mqttConnect, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { Command, parseEvent, parseTelemetry, type CommandAck, type DeviceFamily, type TelemetryFrame } from '../gateway/payloads.js';
import { deviceTopic } from '../gateway/topics.js';
import type { FleetDevice } from './fleet-file.js';

export interface DeviceCounters {
  telemetrySent: number;
  /** Heartbeats skipped because the device was offline (QoS 0 is not queued). */
  telemetryDropped: number;
  eventsSent: number;
  /** Events the broker acknowledged (PUBACK). */
  eventsAcked: number;
  commandsReceived: number;
  commandAcksSent: number;
  errors: number;
  connects: number;
}

export interface DeviceOptions {
  logger: Logger;
  /** Base reconnect period; each device adds up to 100 % jitter so a restarted broker is not stormed. */
  reconnectPeriodMs?: number;
  connectTimeoutMs?: number;
}

export interface CommandResult {
  ok: boolean;
  message?: string;
}

type Metrics = TelemetryFrame['metrics'];

/** Zones (病区) used when a device has none of its own, e.g. for panel points. */
export const wardZones = ['1F 急诊科', '2F 门诊大厅', '3F 内科病区', '4F 外科病区', '5F 手术部', '6F 儿科病区', 'B1 药库', '7F ICU'] as const;

// ---------------------------------------------------------------- helpers

const rand = (min: number, max: number): number => min + Math.random() * (max - min);
const randInt = (min: number, max: number): number => Math.floor(rand(min, max + 1));
const round = (n: number, digits: number): number => Number(n.toFixed(digits));
const clamp = (n: number, min: number, max: number): number => Math.min(max, Math.max(min, n));
function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}
/** Moves `value` towards `target` as a first-order lag with time constant `tauSec`. */
const relax = (value: number, target: number, dtSec: number, tauSec: number): number =>
  target + (value - target) * Math.exp(-dtSec / tauSec);
/** Stable small hash, so a device keeps its port count across restarts. */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
function weighted<T>(entries: ReadonlyArray<readonly [number, T]>): T {
  const total = entries.reduce((s, [w]) => s + w, 0);
  let r = Math.random() * total;
  for (const [w, v] of entries) {
    r -= w;
    if (r < 0) return v;
  }
  return (entries[entries.length - 1] as readonly [number, T])[1];
}

// ---------------------------------------------------------------- base device

export abstract class SimulatedDevice {
  readonly id: string;
  readonly family: DeviceFamily;
  readonly siteId: string;
  readonly zone: string | undefined;
  readonly heartbeatSec: number;
  readonly counters: DeviceCounters = {
    telemetrySent: 0, telemetryDropped: 0, eventsSent: 0, eventsAcked: 0,
    commandsReceived: 0, commandAcksSent: 0, errors: 0, connects: 0,
  };
  /** Set while a scenario drives this device, so random incidents leave it alone. */
  scenarioActive = false;

  protected readonly log: Logger;
  /** Name of the incident in progress, if any. */
  protected incident: string | null = null;

  private readonly secret: string;
  private readonly options: DeviceOptions;
  private client: MqttClient | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = false;
  private lastStepAt = Date.now();
  private eventSeq = 0;
  private readonly bootTag = Date.now().toString(36);
  private lastErrorMessage = '';

  constructor(spec: FleetDevice, options: DeviceOptions) {
    this.id = spec.id;
    this.family = spec.family;
    this.siteId = spec.siteId;
    this.zone = spec.zone;
    this.heartbeatSec = spec.heartbeatSec;
    this.secret = spec.secret;
    this.options = options;
    this.log = options.logger.child({ deviceId: spec.id, siteId: spec.siteId, family: spec.family });
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  get busy(): boolean {
    return this.scenarioActive || this.incident !== null;
  }

  /**
   * Starts the MQTT client and the heartbeat. Resolves true once connected, false on the first
   * refusal or after the timeout; the client keeps reconnecting on its own either way.
   */
  connect(url: string): Promise<boolean> {
    if (this.client) throw new Error(`device ${this.id} is already started`);
    this.running = true;
    const base = this.options.reconnectPeriodMs ?? 3000;
    const client = mqttConnect(url, {
      protocolVersion: 4,
      clientId: this.id,
      username: this.id,
      password: this.secret,
      clean: true,
      keepalive: 60,
      reconnectPeriod: Math.round(base * (1 + Math.random())),
      connectTimeout: this.options.connectTimeoutMs ?? 10_000,
      queueQoSZero: false,
      resubscribe: false,
    });
    this.client = client;
    const commands = deviceTopic(this.id, 'commands');

    client.on('connect', () => {
      this.counters.connects++;
      this.lastErrorMessage = '';
      if (this.counters.connects === 1) this.scheduleHeartbeat(true);
      else this.log.debug('reconnected');
      client.subscribe(commands, { qos: 1 }, (err, granted) => {
        if (err) return this.fail('subscribe to commands failed', err);
        if (granted?.some((g) => g.qos === 128)) this.fail('subscribe to commands refused by broker');
      });
    });
    client.on('message', (topic, payload) => {
      if (topic === commands) this.onCommand(payload);
    });
    client.on('error', (err) => this.fail('mqtt error', err, isTransient(err)));
    client.on('offline', () => this.log.debug('offline'));

    return new Promise((resolve) => {
      const settle = (ok: boolean): void => {
        clearTimeout(timer);
        client.off('connect', onConnect);
        client.off('error', onError);
        client.off('end', onError);
        resolve(ok);
      };
      const onConnect = (): void => settle(true);
      const onError = (): void => settle(false);
      const timer = setTimeout(() => settle(false), (this.options.connectTimeoutMs ?? 10_000) + 1000);
      client.on('connect', onConnect);
      client.on('error', onError);
      client.once('end', onError); // stopped before it ever connected
    });
  }

  /** Stops timers and disconnects, waiting briefly for in-flight events to be acknowledged. */
  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const client = this.client;
    if (!client) return;
    this.client = null;
    let timer: NodeJS.Timeout | undefined;
    const graceful = client.endAsync(false).then(() => true, () => false);
    const timedOut = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), 3000); });
    const clean = await Promise.race([graceful, timedOut]);
    clearTimeout(timer);
    if (!clean) await client.endAsync(true).catch(() => undefined);
  }

  /** Publishes an event with QoS 1 and returns its id; the payload is checked against the contract first. */
  emit(type: string, data: Record<string, unknown> = {}): string {
    const event = { id: `${this.bootTag}-${++this.eventSeq}`, ts: Date.now(), type, data };
    const checked = parseEvent(this.family, event);
    if (!checked.ok) {
      this.fail(`bug: event ${type} breaks the device contract: ${checked.reason}`);
      return event.id;
    }
    const client = this.client;
    if (!client) return event.id;
    // QoS 1 is queued by mqtt.js while offline and delivered on reconnect, like a device's buffer.
    this.counters.eventsSent++;
    client.publish(deviceTopic(this.id, 'events'), JSON.stringify(event), { qos: 1 }, (err) => {
      if (err) this.fail(`event ${type} not delivered`, err);
      else this.counters.eventsAcked++;
    });
    this.log.debug({ eventId: event.id, type, data }, 'event sent');
    return event.id;
  }

  /** Samples the model now and publishes every telemetry frame of the device. */
  sendTelemetry(): void {
    this.advance();
    for (const frame of this.frames()) this.publishFrame(frame);
  }

  /** Starts one random incident fitting the family; returns its name, or null if the device is busy. */
  triggerIncident(): string | null {
    if (this.busy || !this.running) return null;
    const name = this.startIncident();
    if (name) this.log.info({ incident: name }, 'incident started');
    return name;
  }

  /** Advances the physical model to now. */
  protected advance(): void {
    const now = Date.now();
    const dt = Math.max(0, (now - this.lastStepAt) / 1000);
    this.lastStepAt = now;
    this.step(dt);
  }

  protected publishFrame(frame: { metrics: Metrics; port?: number }): void {
    const body: TelemetryFrame = { ts: Date.now(), ...frame };
    const checked = parseTelemetry(body);
    if (!checked.ok) return this.fail(`bug: telemetry breaks the device contract: ${checked.reason}`);
    const client = this.client;
    if (!client?.connected) {
      this.counters.telemetryDropped++;
      return;
    }
    this.counters.telemetrySent++;
    client.publish(deviceTopic(this.id, 'telemetry'), JSON.stringify(body), { qos: 0 }, (err) => {
      if (err) this.fail('telemetry not sent', err);
    });
  }

  /** Runs `fn` after `ms` unless the device is stopped first. */
  protected later(ms: number, fn: () => void): void {
    if (!this.running) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.running) fn();
    }, ms);
    this.timers.add(timer);
  }

  protected beginIncident(name: string): string {
    this.incident = name;
    return name;
  }

  protected endIncident(): void {
    if (this.incident) this.log.info({ incident: this.incident }, 'incident over');
    this.incident = null;
  }

  /**
   * Counts an error and logs it unless it repeats the previous one (a refused device retries forever).
   * Transient network errors go to debug: a broker restart would otherwise log once per device.
   */
  protected fail(message: string, err?: Error, transient = false): void {
    this.counters.errors++;
    const text = err ? `${message}: ${err.message}` : message;
    if (text === this.lastErrorMessage) return;
    this.lastErrorMessage = text;
    this.log[transient ? 'debug' : 'warn']({ err: err?.message }, message);
  }

  protected abstract step(dtSec: number): void;
  protected abstract frames(): Array<{ metrics: Metrics; port?: number }>;
  protected abstract startIncident(): string | null;
  protected abstract execute(command: Command): CommandResult;

  private scheduleHeartbeat(first: boolean): void {
    const period = this.heartbeatSec * 1000;
    // The first beat lands anywhere in one period and later ones wander ±10 %, so a fleet never beats in lockstep.
    const delay = first ? Math.random() * period : period * rand(0.9, 1.1);
    this.later(delay, () => {
      this.sendTelemetry();
      this.scheduleHeartbeat(false);
    });
  }

  private onCommand(payload: Buffer): void {
    this.counters.commandsReceived++;
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      return this.fail('command is not JSON');
    }
    const parsed = Command.safeParse(json);
    if (!parsed.success) {
      this.fail('malformed command');
      const id = (json as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && id.length > 0 && id.length <= 64) this.ack({ id, ok: false, message: 'malformed command' });
      return;
    }
    const command = parsed.data;
    let result: CommandResult;
    try {
      result = this.execute(command);
    } catch (err) {
      result = { ok: false, message: (err as Error).message };
    }
    this.log.info({ commandId: command.id, type: command.type, ok: result.ok, reason: result.message }, 'command handled');
    this.ack({ id: command.id, ok: result.ok, ...(result.message ? { message: result.message.slice(0, 256) } : {}) });
  }

  private ack(ack: CommandAck): void {
    const client = this.client;
    if (!client) return;
    this.counters.commandAcksSent++;
    client.publish(deviceTopic(this.id, 'commands/ack'), JSON.stringify(ack), { qos: 1 }, (err) => {
      if (err) this.fail('command ack not delivered', err);
    });
  }
}

const transientCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** Network trouble the fleet reports in aggregate; anything else (a refused login, a bug) is worth a line per device. */
function isTransient(err: Error): boolean {
  const code = (err as Error & { code?: unknown }).code;
  return (typeof code === 'string' && transientCodes.has(code)) || /connack timeout|keepalive timeout/i.test(err.message);
}

const unsupported = (command: Command): CommandResult => ({ ok: false, message: `unsupported command "${command.type}"` });

// ---------------------------------------------------------------- smoke detector (独立式感烟探测器)

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

  protected startIncident(): string | null {
    const kind = weighted([[4, 'false_alarm'], [2, 'fault'], [1, 'battery_low'], [1, 'tamper'], [2, 'selftest']] as const);
    switch (kind) {
      case 'false_alarm': // steam, dust or a cigarette: alarm, then clear once the air is clean
        this.beginIncident(kind);
        this.raiseSmokeAlarm();
        this.later(rand(15, 45) * 1000, () => { this.clearSmoke(); this.endIncident(); });
        return kind;
      case 'fault': {
        this.beginIncident(kind);
        const fault = pick([{ code: 'E01', message: '烟雾传感器故障 smoke sensor fault' }, { code: 'E03', message: '迷宫污染 chamber contaminated' }]);
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

// ---------------------------------------------------------------- fire-alarm control panel (火灾报警控制器)

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

  protected startIncident(): string | null {
    const kind = weighted([
      [3, 'false_alarm'], [3, 'fault'], [1, 'isolation'], [1, 'main_power'], [1, 'backup_power'], [1, 'supervisory'],
    ] as const);
    const point = this.randomPoint();
    switch (kind) {
      case 'false_alarm':
        this.beginIncident(kind);
        this.fireAlarm(point);
        this.later(rand(30, 90) * 1000, () => { this.reset(); this.endIncident(); });
        return kind;
      case 'fault': {
        this.beginIncident(kind);
        const fault = pick([
          { code: 'LOOP_OPEN', message: `回路${point.loop}断线 loop ${point.loop} open circuit` },
          { code: 'POINT_LOST', message: `${point.loop}-${point.point} 探测器丢失 detector missing` },
        ]);
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

// ---------------------------------------------------------------- charging station (电动自行车充电桩)

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

  protected startIncident(): string | null {
    const kind = weighted([[2, 'overcurrent'], [1, 'fault']] as const);
    switch (kind) {
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
        const fault = pick([{ code: 'METER_COMM', message: '电能计量通信故障 meter communication lost' }, { code: 'RELAY_STUCK', message: '继电器粘连 relay stuck' }]);
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

// ---------------------------------------------------------------- hazardous-chemical cabinet (危化品柜)

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

  protected startIncident(): string | null {
    const kind = weighted([[5, 'access'], [1, 'fan_fault']] as const);
    switch (kind) {
      case 'access': // two people fetch a reagent, then lock up
        if (this.doorOpen) return null;
        this.beginIncident(kind);
        this.openDoor();
        this.later(rand(30, 120) * 1000, () => { this.closeDoor(); this.endIncident(); });
        return kind;
      case 'fan_fault':
        this.beginIncident(kind);
        this.fanOn = false;
        this.emit('fault', { code: 'FAN_STALL', message: '排风扇停转 exhaust fan stalled' });
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
        if (this.doorOpen) return { ok: false, message: '柜门未关闭，无法上锁 door is open' };
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

// ---------------------------------------------------------------- factory

export function createDevice(spec: FleetDevice, options: DeviceOptions): SimulatedDevice {
  switch (spec.family) {
    case 'smoke_detector': return new SmokeDetector(spec, options);
    case 'fire_panel': return new FirePanel(spec, options);
    case 'charging_station': return new ChargingStation(spec, options);
    case 'hazmat_cabinet': return new HazmatCabinet(spec, options);
  }
}
