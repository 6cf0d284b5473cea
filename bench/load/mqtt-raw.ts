// A bare MQTT 3.1.1 client over a plain socket (mqtt-packet for the bytes): a generator holding
// thousands of connections must cost far less than the broker it loads, which mqtt.js's per-client
// machinery (stores, timers, reconnect logic) does not.
import { connect, type Socket } from 'node:net';
import mqttPacket, { type Packet } from 'mqtt-packet';

export interface Credentials { id: string; secret: string }
export interface Target { host: string; port: number }

export const topicOf = (id: string, channel: 'events' | 'telemetry') => `firenet/v1/devices/${id}/${channel}`;

export function connectPacket(device: Credentials, keepalive = 900): Buffer {
  return mqttPacket.generate({
    cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive,
    clientId: device.id, username: device.id, password: Buffer.from(device.secret),
  });
}

export function publishPacket(topic: string, payload: string, qos: 0 | 1, messageId?: number): Buffer {
  return mqttPacket.generate({ cmd: 'publish', topic, payload, qos, messageId, retain: false, dup: false });
}

export class RawClient {
  onPacket: (packet: Packet) => void = () => undefined;
  constructor(readonly socket: Socket) {}
  write(bytes: Buffer): boolean { return this.socket.write(bytes); }
  drained(): Promise<void> { return new Promise((resolve) => this.socket.once('drain', resolve)); }
  close(): void { this.socket.destroy(); }
}

/**
 * Connects and signs in; resolves at the CONNACK (return code 0), rejects on a refusal or a closed socket.
 * `onConnack` is called synchronously with the CONNACK, before any promise machinery, for timing.
 */
export function open(target: Target, device: Credentials, opts: { localAddress?: string; onConnack?: () => void } = {}): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port, localAddress: opts.localAddress, noDelay: true });
    const client = new RawClient(socket);
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    let signedIn = false;
    parser.on('packet', (packet: Packet) => {
      if (signedIn) return client.onPacket(packet);
      if (packet.cmd !== 'connack') return;
      if (packet.returnCode !== 0) {
        socket.destroy();
        return reject(new Error(`${device.id}: CONNACK ${packet.returnCode}`));
      }
      signedIn = true;
      opts.onConnack?.();
      resolve(client);
    });
    socket.on('data', (chunk) => parser.parse(chunk));
    socket.on('connect', () => socket.write(connectPacket(device)));
    socket.on('error', (err) => { if (!signedIn) reject(new Error(`${device.id}: ${err.message}`)); });
    socket.on('close', () => { if (!signedIn) reject(new Error(`${device.id}: closed before CONNACK`)); });
  });
}

/** Connects every device, at most `window` sign-ins at a time (setup, not a storm: the gateway caps unsigned connections per address). */
export async function openAll(target: Target, devices: Credentials[], window = 100): Promise<RawClient[]> {
  const clients: RawClient[] = new Array(devices.length);
  let next = 0;
  const worker = async () => {
    while (next < devices.length) {
      const i = next++;
      clients[i] = await open(target, devices[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, devices.length) }, worker));
  return clients;
}
