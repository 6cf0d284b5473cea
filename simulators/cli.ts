// firenet-sim: runs a fleet of simulated devices against a FireNet gateway.
//   tsx simulators/cli.ts --url mqtt://127.0.0.1:1883 --fleet data/demo-fleet.json --devices 200 --rate 6
//   tsx simulators/cli.ts --url mqtt://127.0.0.1:1883 --api http://127.0.0.1:8080 --user admin --password X --devices 50
import { parseArgs } from 'node:util';
import { pino, type Logger } from 'pino';
import type { FleetDevice } from '../contracts/fleet-file.js';
import { loadFleetFile } from './fleet-file.js';
import { startFleet, type Fleet } from './fleet.js';
import { login, provisionDevices } from './provision.js';
import { runScenario, scenarioNames, type ScenarioName } from './scenarios.js';
import type { DeviceFamily } from '../contracts/device-api.js';

const usage = `Usage: firenet-sim --url mqtt://HOST:PORT (--fleet FILE | --api URL --user NAME --password PW) [options]

  --url URL            broker to connect to (mqtt://, mqtts://, ws://, wss://)
  --fleet FILE         fleet file (as written by the platform's demo seeding)
  --api URL            provision devices on this FireNet instead (with --user, --password;
                       the password may also come from FIRENET_PASSWORD)
  --devices N          first N devices of the fleet file, or N devices to provision
  --rate R             random incidents per minute across the fleet (default 1; 0 = none)
  --scenario NAME      ${scenarioNames.join(' | ')}
  --duration SECONDS   stop after this long (default: run until Ctrl-C)
  --concurrency N      connections opened at once while starting (default 20)
  --gb26875 HOST:PORT  where the fleet file's transmission devices connect (GB/T 26875.3 over TCP);
                       without it they are left out
  --help               this text

Logs are pino JSON on stdout; LOG_LEVEL=debug shows every event.
`;

const scenarioFamily: Record<ScenarioName, DeviceFamily> = {
  'ward-fire': 'smoke_detector',
  'charger-overheat': 'charging_station',
  'cabinet-left-open': 'hazmat_cabinet',
};

/** A bad command line: the message names the flag. */
class UsageError extends Error {}

interface Config {
  url: string;
  source: { kind: 'fleet'; path: string } | { kind: 'api'; api: string; user: string; password: string };
  devices: number | undefined;
  rate: number;
  scenario: ScenarioName | undefined;
  durationSec: number | undefined;
  concurrency: number;
  gb26875: { host: string; port: number } | null;
}

function positiveInt(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${flag} must be a whole number >= 1, got "${raw}"`);
  return n;
}

function number(flag: string, raw: string | undefined, min: number, exclusive: boolean): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || (exclusive ? n <= min : n < min)) {
    throw new UsageError(`--${flag} must be a number ${exclusive ? '>' : '>='} ${min}, got "${raw}"`);
  }
  return n;
}

function httpUrl(flag: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--${flag} must be a URL such as http://127.0.0.1:8080, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--${flag} must be an http:// or https:// URL, got "${raw}"`);
  return raw;
}

function parseConfig(argv: string[]): Config | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' }, fleet: { type: 'string' }, api: { type: 'string' }, user: { type: 'string' },
        password: { type: 'string' }, devices: { type: 'string' }, rate: { type: 'string' }, scenario: { type: 'string' },
        duration: { type: 'string' }, concurrency: { type: 'string' }, gb26875: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';

  if (!values.url) throw new UsageError('--url is required, e.g. --url mqtt://127.0.0.1:1883');
  let broker: URL;
  try {
    broker = new URL(values.url);
  } catch {
    throw new UsageError(`--url must be a URL such as mqtt://127.0.0.1:1883, got "${values.url}"`);
  }
  if (!['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:'].includes(broker.protocol)) {
    throw new UsageError(`--url must use mqtt://, mqtts://, ws:// or wss://, got "${values.url}"`);
  }

  if (values.fleet && values.api) throw new UsageError('--fleet and --api exclude each other: use one source of devices');
  if (!values.fleet && !values.api) throw new UsageError('give --fleet FILE or --api URL (with --user and --password)');
  let source: Config['source'];
  const devices = positiveInt('devices', values.devices);
  if (values.fleet) {
    for (const flag of ['user', 'password'] as const) if (values[flag]) throw new UsageError(`--${flag} only goes with --api`);
    source = { kind: 'fleet', path: values.fleet };
  } else {
    const password = values.password ?? process.env['FIRENET_PASSWORD'];
    if (!values.user) throw new UsageError('--user is required with --api');
    if (!password) throw new UsageError('--password is required with --api (or set FIRENET_PASSWORD)');
    if (devices === undefined) throw new UsageError('--devices is required with --api: how many devices to provision');
    source = { kind: 'api', api: httpUrl('api', values.api as string), user: values.user, password };
  }

  const scenario = values.scenario;
  if (scenario !== undefined && !(scenarioNames as readonly string[]).includes(scenario)) {
    throw new UsageError(`--scenario must be one of ${scenarioNames.join(', ')}, got "${scenario}"`);
  }
  return {
    url: values.url,
    source,
    devices,
    rate: number('rate', values.rate, 0, false) ?? 1,
    scenario: scenario as ScenarioName | undefined,
    durationSec: number('duration', values.duration, 0, true),
    concurrency: positiveInt('concurrency', values.concurrency) ?? 20,
    gb26875: values.gb26875 === undefined ? null : hostPort('gb26875', values.gb26875),
  };
}

function hostPort(flag: string, raw: string): { host: string; port: number } {
  const m = /^([^:\s]+):(\d{1,5})$/.exec(raw.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) throw new UsageError(`--${flag} must be HOST:PORT such as 127.0.0.1:9026, got "${raw}"`);
  return { host: m[1]!, port };
}

async function loadDevices(config: Config, logger: Logger): Promise<FleetDevice[]> {
  if (config.source.kind === 'api') {
    const { api, user, password } = config.source;
    const token = await login(api, user, password);
    return provisionDevices({ api, token, count: config.devices as number, logger });
  }
  const { path } = config.source;
  let all: FleetDevice[];
  try {
    ({ devices: all } = await loadFleetFile(path));
  } catch (err) {
    throw new UsageError(`--fleet: ${(err as Error).message}`);
  }
  if (config.devices !== undefined && config.devices > all.length) {
    throw new UsageError(`--devices ${config.devices} is more than the ${all.length} devices in ${path}`);
  }
  return all.slice(0, config.devices ?? all.length);
}

async function main(): Promise<void> {
  const logger = pino({ name: 'firenet-sim', level: process.env['LOG_LEVEL'] ?? 'info' });
  let config: Config;
  let devices: FleetDevice[];
  try {
    const parsed = parseConfig(process.argv.slice(2));
    if (parsed === 'help') {
      process.stdout.write(usage);
      return;
    }
    config = parsed;
    devices = await loadDevices(config, logger);
    if (devices.length === 0) throw new UsageError('no devices to simulate: the fleet is empty');
    const needed = config.scenario && scenarioFamily[config.scenario];
    if (needed && !devices.some((d) => d.family === needed)) {
      throw new UsageError(`--scenario ${config.scenario} needs a ${needed}, and none of the ${devices.length} devices is one`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      logger.error(err.message);
      process.stderr.write(`firenet-sim: ${err.message}\nRun with --help for usage.\n`);
      process.exitCode = 2;
    } else {
      logger.error({ err }, `cannot start: ${(err as Error).message}`);
      process.stderr.write(`firenet-sim: cannot start: ${(err as Error).message}\n`);
      process.exitCode = 1;
    }
    return;
  }

  const fleet: Fleet = startFleet({ url: config.url, devices, eventRatePerMin: config.rate, logger, connectConcurrency: config.concurrency, gb26875: config.gb26875 });
  const abort = new AbortController();
  const statsTimer = setInterval(() => logger.info(fleet.stats(), 'fleet stats'), 10_000);
  let durationTimer: NodeJS.Timeout | undefined;
  let scenarioRun: Promise<unknown> = Promise.resolve();

  let shuttingDown = false;
  const shutdown = async (reason: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ reason }, 'stopping');
    abort.abort();
    clearInterval(statsTimer);
    clearTimeout(durationTimer);
    await scenarioRun;
    await fleet.stop();
    logger.info({ summary: fleet.stats() }, 'simulation finished');
    // Every socket and timer is gone now; this only guards against a stuck broker connection.
    setTimeout(() => process.exit(), 2000).unref();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (shuttingDown) process.exit(130); // a second Ctrl-C does not wait
      void shutdown(signal);
    });
  }
  if (config.durationSec !== undefined) durationTimer = setTimeout(() => void shutdown('duration elapsed'), config.durationSec * 1000);

  await fleet.ready;
  if (config.scenario && !shuttingDown) {
    const name = config.scenario;
    scenarioRun = runScenario(name, fleet, { logger, signal: abort.signal }).then(
      (report) => logger.info({ report }, `scenario ${name} ${report.aborted ? 'aborted' : 'finished'}`),
      (err: unknown) => {
        logger.error({ err }, `scenario ${name} failed: ${(err as Error).message}`);
        process.exitCode = 1;
      },
    );
  }
}

void main();
