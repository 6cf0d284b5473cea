// Device API v1 payloads: the public contract between devices and FireNet.
// Every uplink payload is parsed here, per device family, before anything else sees it.
import { z } from 'zod';

/** `transmission_device`: a user information transmission device (用传) reporting its panels over GB/T 26875.3 (TCP). */
export const deviceFamilies = ['smoke_detector', 'fire_panel', 'charging_station', 'hazmat_cabinet', 'transmission_device'] as const;
export const DeviceFamily = z.enum(deviceFamilies);
export type DeviceFamily = z.infer<typeof DeviceFamily>;

/** Largest uplink payload accepted, in bytes; larger frames are counted as bad. */
export const MAX_PAYLOAD_BYTES = 8 * 1024;

/** NUL, and a UTF-16 surrogate without its pair: neither is text PostgreSQL can store (text or jsonb). */
export const NUL = /\u0000/;
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const UNSTORABLE_TEXT = new RegExp(`${NUL.source}|${LONE_SURROGATE.source}`);

/** `text` with NUL and unpaired surrogates replaced by U+FFFD, for keeping garbage (in a reason, an audit entry). */
export function storableText(text: string): string {
  return text.replace(new RegExp(UNSTORABLE_TEXT.source, 'g'), '\ufffd');
}

/** The range a device's clock may claim: anything outside is a wrong clock or garbage, and could not be stored. */
export const MIN_TS = Date.UTC(2000, 0, 1);
export const MAX_TS = Date.UTC(2100, 0, 1);
const TS_RANGE = 'epoch milliseconds between 2000 and 2100 expected';

/** Epoch milliseconds or an ISO-8601 string, normalised to epoch ms. */
export const Timestamp = z.union([
  z.number().int().min(MIN_TS, TS_RANGE).max(MAX_TS, TS_RANGE),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)).refine((ms) => ms >= MIN_TS && ms <= MAX_TS, TS_RANGE),
]);

const NoData = z.object({}).catchall(z.unknown());
const Port = z.number().int().min(0).max(255);
const FaultData = z.object({ code: z.string().max(64).optional(), message: z.string().max(256).optional() }).catchall(z.unknown());
const PanelPoint = z.object({
  loop: z.number().int().min(0),
  point: z.number().int().min(0),
  zone: z.string().max(128).optional(),
  component: z.string().max(64).optional(),
}).catchall(z.unknown());
const PortData = z.object({ port: Port }).catchall(z.unknown());

/** A fire-alarm control panel's events, whether the panel speaks MQTT itself or reaches FireNet through a transmission device. */
const panelEvents = {
  'fire.alarm': PanelPoint,
  'fire.clear': PanelPoint.partial(),
  'panel.reset': NoData,
  fault: FaultData,
  'fault.clear': FaultData,
  isolation: PanelPoint,
  'isolation.clear': PanelPoint,
  supervisory: PanelPoint.partial(),
  'linkage.start': PanelPoint.partial(),
  'linkage.feedback': PanelPoint.partial(),
  'power.main_fault': NoData,
  'power.backup_fault': NoData,
} as const;

/** Event types each family may send, with the shape of their `data`. */
export const eventData = {
  smoke_detector: {
    'smoke.alarm': NoData,
    'smoke.clear': NoData,
    fault: FaultData,
    'fault.clear': FaultData,
    'battery.low': NoData,
    tamper: NoData,
    selftest: NoData,
  },
  fire_panel: panelEvents,
  // the same events, made by the gateway from GB/T 26875.3 status reports (gateway/gb26875/mapping.ts)
  transmission_device: panelEvents,
  charging_station: {
    'charger.overtemp': PortData,
    'charger.overcurrent': PortData,
    'charger.smoke': PortData,
    'charger.power_off': PortData,
    fault: FaultData,
    'fault.clear': FaultData,
  },
  hazmat_cabinet: {
    'cabinet.door_open': z.object({ badges: z.array(z.string().min(1).max(64)).max(16) }).catchall(z.unknown()),
    'cabinet.door_close': NoData,
    'cabinet.leak': NoData,
    fault: FaultData,
    'fault.clear': FaultData,
  },
} as const satisfies Record<DeviceFamily, Record<string, z.ZodType>>;

export type EventType = { [F in DeviceFamily]: keyof (typeof eventData)[F] }[DeviceFamily] & string;

/** Event types that are fire alarms: they become alarm records at once. */
export const fireAlarmTypes: ReadonlySet<string> = new Set(['smoke.alarm', 'fire.alarm']);

export const EventEnvelope = z.object({
  id: z.string().min(1).max(64),
  ts: Timestamp,
  type: z.string().min(1).max(64),
  data: z.record(z.string(), z.unknown()).default({}),
});

export const metricNames = [
  'smoke_db_m', 'battery_pct', 'rssi_dbm', 'temperature_c', 'current_a', 'voltage_v', 'voc_ppm',
  'humidity_pct', 'door_open', 'locked', 'fan_on', 'main_power_ok', 'backup_power_ok',
  // analog values a transmission device reports for its systems (GB/T 26875.3 type 3)
  'pressure_kpa', 'gas_lel_pct', 'level_m',
] as const;
export const MetricName = z.enum(metricNames);
export type MetricName = z.infer<typeof MetricName>;

/**
 * What each metric can plausibly read: a value outside is a faulty sensor (a bad reading, counted), and
 * would otherwise poison rollups and charts. Switches read true/false or 1/0.
 */
export const metricRanges: Record<MetricName, readonly [number, number]> = {
  smoke_db_m: [0, 100], battery_pct: [0, 100], rssi_dbm: [-200, 30], temperature_c: [-60, 1500],
  current_a: [-2000, 2000], voltage_v: [-2000, 2000], voc_ppm: [0, 1_000_000], humidity_pct: [0, 100],
  door_open: [0, 1], locked: [0, 1], fan_on: [0, 1], main_power_ok: [0, 1], backup_power_ok: [0, 1],
  pressure_kpa: [-100_000, 100_000], gas_lel_pct: [0, 100], level_m: [-1000, 1000],
};

const MetricValue = z.union([z.number().finite(), z.boolean()]);
/** The metrics a frame may carry, each at most once; an object of optional keys, which zod checks faster than a record. */
const Metrics = z.strictObject(
  Object.fromEntries(metricNames.map((name) => [name, MetricValue.optional()])) as Record<MetricName, z.ZodOptional<typeof MetricValue>>,
).superRefine((metrics, ctx) => {
  for (const name in metrics) {
    const value = metrics[name as MetricName];
    const [min, max] = metricRanges[name as MetricName];
    if (typeof value === 'number' && (value < min || value > max)) {
      ctx.addIssue({ code: 'custom', path: [name], message: `${value} is outside ${min}..${max}` });
    }
  }
}).refine((m) => Object.keys(m).length > 0, 'at least one metric');

export const TelemetryFrame = z.object({
  ts: Timestamp.optional(),
  metrics: Metrics,
  port: Port.optional(),
}).strict();
export type TelemetryFrame = z.infer<typeof TelemetryFrame>;

export interface DeviceEvent {
  id: string;
  ts: number;
  type: string;
  data: Record<string, unknown>;
}

/** What a person may send a charging station from the API (远程断电): cut one port's power. Rules send the same. */
export const ChargerCommand = z.object({ type: z.literal('power_off'), port: Port });
export type ChargerCommand = z.infer<typeof ChargerCommand>;
/** A charging station's command is answered within this, else sent again, as the shipped rules' power_off. */
export const CHARGER_COMMAND_TIMEOUT_SEC = 10;
export const CHARGER_COMMAND_RETRIES = 2;

export const CommandAck = z.object({ id: z.string().min(1).max(64), ok: z.boolean(), message: z.string().max(256).optional() });
export type CommandAck = z.infer<typeof CommandAck>;

export const Command = z.object({ id: z.string().min(1).max(64), type: z.string().min(1).max(64) }).catchall(z.unknown());
export type Command = z.infer<typeof Command>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown): Parsed<T> {
  const r = schema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, reason: describe(r.error) };
}

/** Validates an event envelope and its `data` for the device's family. */
export function parseEvent(family: DeviceFamily, input: unknown): Parsed<DeviceEvent> {
  const envelope = parseWith(EventEnvelope, input);
  if (!envelope.ok) return envelope;
  const types: Record<string, z.ZodType> = eventData[family];
  // own properties only: a type of `constructor` or `__proto__` must not find Object's members
  const dataSchema = Object.hasOwn(types, envelope.value.type) ? types[envelope.value.type] : undefined;
  if (!dataSchema) return { ok: false, reason: `type: unknown event type "${envelope.value.type}" for ${family}` };
  const data = parseWith(dataSchema, envelope.value.data);
  if (!data.ok) return { ok: false, reason: `data.${data.reason}` };
  return { ok: true, value: { ...envelope.value, data: data.value as Record<string, unknown> } };
}

export function parseTelemetry(input: unknown): Parsed<TelemetryFrame> {
  return parseWith(TelemetryFrame, input);
}

export function parseCommandAck(input: unknown): Parsed<CommandAck> {
  return parseWith(CommandAck, input);
}
