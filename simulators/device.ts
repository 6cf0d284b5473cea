// The simulated device: one MQTT client speaking FireNet's device API v1 (MQTT 3.1.1), a jittered
// heartbeat, command handling and acks. Each family (families/*.ts) adds its physical model and
// incidents; incidents are started from outside, by the fleet or a scenario.
import { connect as mqttConnect, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { Command, parseEvent, parseTelemetry, type CommandAck, type DeviceFamily, type TelemetryFrame } from '../contracts/device-api.js';
import { deviceTopic } from '../contracts/topics.js';
import type { FleetDevice } from '../contracts/fleet-file.js';
import { rand, weighted } from './math.js';

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

export type Metrics = TelemetryFrame['metrics'];

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
  /** Prefix of event ids: unique per device run, so ids never repeat across restarts. */
  private readonly bootTag = Date.now().toString(36) + Math.random().toString(36).slice(2, 5);
  private lastErrorMessage = '';
  private refusals = 0;

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
      this.refusals = 0;
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
    client.on('error', (err) => {
      this.fail('mqtt error', err, isTransient(err));
      // mqtt.js gives up after a refused CONNACK; a real device retries, backing off from 30 s to 5 min.
      if (/^Connection refused/.test(err.message)) {
        const backoff = Math.min(300_000, 30_000 * 2 ** this.refusals++) * rand(1, 1.5);
        this.log.debug({ retryInSec: Math.round(backoff / 1000) }, 'connection refused, will retry');
        this.later(backoff, () => { if (this.client === client && !client.connected) client.reconnect(); });
      }
    });
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

  /**
   * Starts one random incident fitting the family: `alarm` only one that raises a fire alarm (a false alarm, a test),
   * `other` anything else (faults, low battery, a door...), `any` either. Returns its name, or null if the device is
   * busy or has no such incident.
   */
  triggerIncident(want: IncidentClass = 'any'): string | null {
    if (this.busy || !this.running) return null;
    const name = this.startIncident(want);
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
  protected abstract startIncident(want: IncidentClass): string | null;
  protected abstract execute(command: Command): CommandResult;

  private scheduleHeartbeat(first: boolean): void {
    const period = this.heartbeatSec * 1000;
    // A device reports its state soon after (re)connecting, the way real ones do on power-up; the first beat
    // lands anywhere in the first 5 s (or one period) and later ones wander ±10 %, so a fleet never beats in lockstep.
    const delay = first ? Math.random() * Math.min(period, 5000) : period * rand(0.9, 1.1);
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

export const unsupported = (command: Command): CommandResult => ({ ok: false, message: `unsupported command "${command.type}"` });

/** Which incidents a caller asks for: those raising a fire alarm, the others, or any. */
export type IncidentClass = 'any' | 'alarm' | 'other';

/** A weighted pick among `entries` of the class asked for (`alarms` names the kinds that raise a fire alarm); null when none fits. */
export function pickIncident<K>(entries: ReadonlyArray<readonly [number, K]>, alarms: readonly K[], want: IncidentClass): K | null {
  const fitting = entries.filter(([, kind]) => want === 'any' || (want === 'alarm') === alarms.includes(kind));
  return fitting.length ? weighted(fitting) : null;
}
