// Configuration: one zod-validated object read from the environment.
// Defaults run on one machine with nothing else installed.
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const flag = z.enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

export const Config = z.object({
  HTTP_PORT: port.default(8080),
  HTTP_HOST: z.string().min(1).default('0.0.0.0'),
  MQTT_PORT: port.default(1883),
  MQTT_WS_PORT: port.default(8083),
  MQTT_HOST: z.string().min(1).default('0.0.0.0'),
  /** GB/T 26875.3 over TCP for user information transmission devices, on MQTT_HOST; 0 turns it off. */
  GB26875_PORT: port.default(9026),
  /** MQTT over TLS on MQTT_TLS_PORT when both are set (PEM file paths). */
  MQTT_TLS_CERT: z.string().min(1).optional(),
  MQTT_TLS_KEY: z.string().min(1).optional(),
  MQTT_TLS_PORT: port.default(8883),
  /** Messages per second a device may keep sending (0: no cap), and how many at once. */
  MQTT_DEVICE_RATE: z.coerce.number().min(0).default(20),
  MQTT_DEVICE_BURST: z.coerce.number().int().min(1).default(100),
  /** Seconds a new MQTT connection has to send CONNECT (and finish a TLS or WebSocket handshake). */
  MQTT_CONNECT_TIMEOUT_SEC: z.coerce.number().min(1).max(120).default(10),
  /** MQTT connections one client address may hold before they sign in; more are closed at once. */
  MQTT_PENDING_PER_ADDRESS: z.coerce.number().int().min(1).default(256),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  /** Cluster mode: the Redis that carries MQTT messages and pushes between nodes (docs/deploy.md); needs DATABASE_URL. */
  CLUSTER_REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  /** This node's name in the cluster (logs, leases); unset: host name and process id. */
  CLUSTER_NODE_ID: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash, underscore; at most 64').optional(),
  /** Cluster mode: seconds a node holds a lease (the scheduled jobs) without renewing it; a dead node's work moves after it. */
  CLUSTER_LEASE_SEC: z.coerce.number().min(1).max(300).default(10),
  FIRENET_DEMO: flag.default(true),
  /** Demo mode: run the simulated fleet and duty rooms in this process (a cluster runs them on one node only). */
  FIRENET_DEMO_FLEET: flag.default(true),
  /** Demo mode: where the simulated fleet connects (e.g. the load balancer in front of a cluster); unset: this node. */
  FIRENET_DEMO_MQTT_URL: z.string().regex(/^mqtt:\/\/[^/:]+:\d+$/, 'must be mqtt://host:port').optional(),
  FIRENET_DEMO_GB26875_URL: z.string().regex(/^tcp:\/\/[^/:]+:\d+$/, 'must be tcp://host:port').optional(),
  FIRENET_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  /** HMAC key for device secrets (≥ 32 chars); unset, one is made and kept in the database. Every node of a cluster shares it. */
  DEVICE_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  FIRENET_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  FIRENET_DEMO_DEVICES: z.coerce.number().int().min(0).max(100_000).default(1200),
  /** Demo fleet: incidents other than fire alarms (faults, low batteries, doors...) per minute, the whole province. */
  FIRENET_DEMO_EVENT_RATE: z.coerce.number().min(0).default(2),
  /** Demo fleet: fire alarms per hour, the whole province (false alarms and tests, as a province's fleet raises them). */
  FIRENET_DEMO_ALARMS_PER_HOUR: z.coerce.number().min(0).max(3600).default(4),
  /** Demo: share of alarms the simulated duty rooms answer (acknowledge, confirm false alarm or test, close); the rest wait for a person. */
  FIRENET_DEMO_ANSWERED: z.coerce.number().min(0).max(1).default(0.8),
  /** Access-token lifetime; the dashboard renews it with the refresh token before it runs out. */
  TOKEN_TTL_SEC: z.coerce.number().int().min(1).default(15 * 60),
  /** Refresh-token lifetime (POST /api/auth/refresh); each refresh issues a new one. */
  REFRESH_TTL_SEC: z.coerce.number().int().min(60).default(7 * 24 * 3600),
  /** A spent refresh token presented again within this window is refused but does not end the session (two tabs refreshing at once); later, it does. */
  REFRESH_REUSE_GRACE_SEC: z.coerce.number().int().min(0).max(300).default(30),
  /** Sign-in attempts per client address per minute (POST /api/auth/login). */
  LOGIN_RATE_PER_MIN: z.coerce.number().int().min(1).default(20),
  /** Failed sign-ins per username from one address within 15 minutes before that address is locked out of it (429) until they age out; past it, failures from anywhere are answered slower. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  /** Proxies believed about the client's address (addresses or CIDRs, comma-separated, or `loopback`): their X-Forwarded-For on HTTP, their PROXY header (v1 or v2) on MQTT over TCP and GB/T 26875.3; unset: none. */
  TRUST_PROXY: z.string().min(1).optional(),
  MAX_PAYLOAD_BYTES: z.coerce.number().int().min(256).max(256 * 1024).default(8192),
  /** An MQTT packet over this closes its connection when its header arrives (payloads up to it are read, and counted if over MAX_PAYLOAD_BYTES). */
  MQTT_MAX_PACKET_BYTES: z.coerce.number().int().min(1024).max(256 * 1024 * 1024).default(64 * 1024),
  /** Pushes waiting for one dashboard connection before it is dropped as a reader too slow (it reconnects and reloads). */
  REALTIME_MAX_BUFFER_BYTES: z.coerce.number().int().min(64 * 1024).default(8 * 1024 * 1024),
  /** Institutions submit the month's report (每月报送) by this day of the next month (the seeds: the 21st). */
  REPORT_DUE_DAY: z.coerce.number().int().min(1).max(28).default(21),
  /** Each level above has this many more days for its summary: the county's, then the city's, then the province's (never past the 28th). */
  REPORT_SUMMARY_DAYS: z.coerce.number().int().min(0).max(9).default(2),
  /** Hours to register a reported major hazard (重大事故隐患) with its five in place and acceptance criteria; past it, overdue. */
  TICKET_REGISTER_MAJOR_HOURS: z.coerce.number().positive().max(24 * 365).default(24),
  /** Hours to register a reported general hazard (一般事故隐患). */
  TICKET_REGISTER_GENERAL_HOURS: z.coerce.number().positive().max(24 * 365).default(72),
  /** Hours for the institution to verify a rectification submitted to it (待验收). */
  TICKET_VERIFY_HOURS: z.coerce.number().positive().max(24 * 365).default(72),
  /** Hours for the county bureau to approve or reject a verified major hazard's closing (销号). */
  TICKET_APPROVE_HOURS: z.coerce.number().positive().max(24 * 365).default(72),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TELEMETRY_RAW_DAYS: z.coerce.number().positive().max(3650).default(7),
  TELEMETRY_ROLLUP_DAYS: z.coerce.number().positive().max(36500).default(400),
  /** Days device events (alarms, faults, door openings as the devices sent them) are kept; the alarms and orders they made stay. */
  DEVICE_EVENTS_DAYS: z.coerce.number().positive().max(36500).default(400),
  INFLUX_URL: z.url({ protocol: /^https?$/ }).optional(),
  INFLUX_TOKEN: z.string().optional(),
  INFLUX_ORG: z.string().min(1).optional(),
  INFLUX_BUCKET: z.string().min(1).optional(),
  /** Readings kept on disk while the archive is unreachable; past it the oldest are dropped (and counted). */
  INFLUX_QUEUE_MAX: z.coerce.number().int().min(1000).default(5_000_000),
}).superRefine((c, ctx) => {
  if (Boolean(c.MQTT_TLS_CERT) !== Boolean(c.MQTT_TLS_KEY)) {
    ctx.addIssue({ code: 'custom', path: [c.MQTT_TLS_CERT ? 'MQTT_TLS_KEY' : 'MQTT_TLS_CERT'], message: 'MQTT_TLS_CERT and MQTT_TLS_KEY go together' });
  }
  if (c.MQTT_MAX_PACKET_BYTES < c.MAX_PAYLOAD_BYTES + 1024) {
    ctx.addIssue({ code: 'custom', path: ['MQTT_MAX_PACKET_BYTES'], message: `must be at least MAX_PAYLOAD_BYTES + 1024 (${c.MAX_PAYLOAD_BYTES + 1024})` });
  }
  if (c.CLUSTER_REDIS_URL && !c.DATABASE_URL) {
    // every node must see every record: the embedded database belongs to one process
    ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'cluster mode (CLUSTER_REDIS_URL) needs PostgreSQL: the embedded database (PGlite) belongs to one node' });
  }
  if (!c.INFLUX_URL) return;
  for (const key of ['INFLUX_ORG', 'INFLUX_BUCKET'] as const) {
    if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required when INFLUX_URL is set' });
  }
});
export type Config = z.infer<typeof Config>;

export class ConfigError extends Error {}

/** Reads the configuration; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = Config.safeParse(present);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
}
