// Device API v1 topic layout: firenet/v1/devices/{deviceId}/{channel}.
export const TOPIC_ROOT = 'firenet/v1/devices';

export const channels = ['events', 'telemetry', 'commands', 'commands/ack'] as const;
export type Channel = (typeof channels)[number];

/** Channels a device may publish on (under its own id only). */
export const uplinkChannels: ReadonlySet<Channel> = new Set(['events', 'telemetry', 'commands/ack']);

export interface DeviceTopic {
  deviceId: string;
  channel: Channel;
}

export function deviceTopic(deviceId: string, channel: Channel): string {
  return `${TOPIC_ROOT}/${deviceId}/${channel}`;
}

/** Parses a concrete topic; returns null for anything outside the device API. */
export function parseDeviceTopic(topic: string): DeviceTopic | null {
  const prefix = `${TOPIC_ROOT}/`;
  if (!topic.startsWith(prefix)) return null;
  const rest = topic.slice(prefix.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return null;
  const deviceId = rest.slice(0, slash);
  const channel = rest.slice(slash + 1);
  if (!(channels as readonly string[]).includes(channel)) return null;
  return { deviceId, channel: channel as Channel };
}
