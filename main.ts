// `npm start`: gateway, platform, dashboard and (in demo mode) the simulated fleet, in one process. The entry point
// sits outside platform/ because it is the one module that hands the platform the demo fleet (simulators/).
import { pino } from 'pino';
import { startFireNet } from './platform/app.js';
import { StartupError } from './platform/auth/users.js';
import { ConfigError, loadConfig } from './platform/config.js';
import { createLogger } from './platform/logger.js';
import { startFleet } from './simulators/fleet.js';

/** A stop (SIGTERM, SIGINT) must be done by then: orchestrators kill the process soon after. */
const STOP_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      pino().fatal(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  let firenet;
  try {
    firenet = await startFireNet(config, logger, startFleet);
  } catch (err) {
    if (err instanceof StartupError) {
      logger.fatal(err.message);
      process.exit(2);
    }
    logger.fatal({ err }, 'FireNet could not start');
    process.exit(1);
  }
  let stopping = false;
  // Stop accepting, finish the messages being stored and acknowledge them, flush telemetry and the archive queue,
  // close connections; a stop that hangs (a database gone) still ends within the deadline, as a failure.
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    setTimeout(() => {
      logger.error({ deadlineMs: STOP_DEADLINE_MS }, 'could not stop cleanly in time');
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    firenet.close().then(() => {
      logger.info('stopped');
      process.exit(0);
    }, (err: unknown) => {
      logger.error({ err }, 'unclean stop');
      process.exit(1);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
