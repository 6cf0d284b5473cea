// Who may connect, publish and subscribe: a device speaks only for itself.
import type { AuthenticateError, Client, Subscription } from 'aedes';
import type { Logger } from 'pino';
import type { DeviceDirectory, DeviceSession } from '../contracts/ports.js';
import { peerAddress } from './peer.js';
import { SignInRefusals } from './refusals.js';
import { bump, type GatewayStats } from './stats.js';
import { deviceTopic, parseDeviceTopic, uplinkChannels, type DeviceTopic } from '../contracts/topics.js';

/** Dropped publishes are re-addressed here: a `$` topic no device may subscribe to (and `#` never matches). */
export const DROPPED_TOPIC = '$firenet/dropped';

const CONNACK_BAD_CREDENTIALS = 4;
const CONNACK_NOT_AUTHORIZED = 5;

export class DeviceSessions {
  private readonly sessions = new WeakMap<Client, DeviceSession>();
  get(client: Client | null): DeviceSession | undefined {
    return client ? this.sessions.get(client) : undefined;
  }
  set(client: Client, session: DeviceSession): void {
    this.sessions.set(client, session);
  }
}

function refusal(returnCode: number, reason: string): AuthenticateError {
  const err = new Error(reason) as AuthenticateError;
  err.returnCode = returnCode;
  return err;
}

export function createAuthenticate(deps: { directory: DeviceDirectory; sessions: DeviceSessions; stats: GatewayStats; logger: Logger; refusals?: SignInRefusals }) {
  const { directory, sessions, stats, logger } = deps;
  const refusals = deps.refusals ?? new SignInRefusals();
  return function authenticate(client: Client, username: Readonly<string> | undefined, password: Readonly<Buffer> | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void): void {
    const refuse = (reason: string, code: number) => {
      const remote = remoteAddress(client);
      bump(stats.connectsRefused, reason);
      logger.warn({ deviceId: client.id, username, remote, reason }, 'device connection refused');
      const wait = refusals.refuse(client.id, remote ?? 'unknown');
      if (wait === 0) return done(refusal(code, reason), false);
      stats.refusalsDelayed++;
      setTimeout(() => done(refusal(code, reason), false), wait);
    };
    if (!username || !password) return refuse('missing_credentials', CONNACK_BAD_CREDENTIALS);
    if (username !== client.id) return refuse('client_id_mismatch', CONNACK_NOT_AUTHORIZED);
    directory.authenticate(username, password.toString('utf8')).then((result) => {
      if (!result.ok) return refuse(result.reason, result.reason === 'bad_secret' ? CONNACK_BAD_CREDENTIALS : CONNACK_NOT_AUTHORIZED);
      sessions.set(client, result.device);
      stats.connectsAccepted++;
      logger.debug({ deviceId: result.device.id, siteId: result.device.siteId }, 'device connected');
      done(null, true);
    }, (err: unknown) => {
      // while the database is down every device retries: one line each, without the stack
      logger.warn({ err: err instanceof Error ? err.message : String(err), deviceId: client.id }, 'device authentication failed: directory unavailable');
      done(refusal(3, 'server_unavailable'), false);
    });
  };
}

function remoteAddress(client: Client): string | undefined {
  return peerAddress(client.conn as { remoteAddress?: string } | undefined) ?? (client.req as { socket?: { remoteAddress?: string } } | undefined)?.socket?.remoteAddress;
}

/** The device's own uplink topic, or null when the publish is not its to make. */
export function ownUplink(session: DeviceSession | undefined, topic: string): DeviceTopic | null {
  const parsed = parseDeviceTopic(topic);
  if (!session || !parsed || parsed.deviceId !== session.id || !uplinkChannels.has(parsed.channel)) return null;
  return parsed;
}

export function createAuthorizeSubscribe(deps: { sessions: DeviceSessions; stats: GatewayStats; logger: Logger }) {
  const { sessions, stats, logger } = deps;
  return function authorizeSubscribe(client: Client | null, sub: Subscription, done: (err: Error | null, sub?: Subscription | null) => void): void {
    const session = sessions.get(client);
    if (session && sub.topic === deviceTopic(session.id, 'commands')) return done(null, sub);
    stats.subscriptionsRefused++;
    logger.warn({ deviceId: session?.id ?? client?.id, topic: sub.topic }, 'subscription refused');
    done(null, null); // SUBACK 0x80 for this topic; the connection stays up
  };
}

