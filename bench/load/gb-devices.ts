// One share of the transmission-device fleet, in its own process: on "go" each device opens its TCP connection
// (at most `window` signing in at a time), sends a heartbeat and waits for its confirm, then one every
// `heartbeatSec`; confirm times are stamped on the shared clock. Frames are built beforehand.
import { connect, type Socket } from 'node:net';
import { commands, encodeFrame, epochToTime } from '../../contracts/gb26875/frame.js';
import { FrameReader } from '../../contracts/gb26875/reader.js';
import { now } from '../lib/clock.js';
import { send, serve } from '../lib/ipc.js';

export interface GbDevicesJob { host: string; port: number; addresses: string[]; heartbeatSec: number; window: number }

const sockets: Socket[] = [];
const timers: NodeJS.Timeout[] = [];
let confirms = 0;
let heartbeats = 0;
const latencies: number[] = [];

const job: GbDevicesJob = await serve<GbDevicesJob>(async (command) => {
  if (command.type === 'stats') return send({ type: 'stats', confirms, heartbeats, connected: sockets.filter((s) => !s.destroyed).length, latencies: latencies.splice(0) });
  if (command.type === 'close') {
    for (const t of timers) clearInterval(t);
    for (const s of sockets) s.destroy();
    return send({ type: 'closed' });
  }
  if (command.type !== 'go') return;
  const failures: string[] = [];
  const one = (address: string) => new Promise<void>((resolve) => {
    const socket = connect({ host: job.host, port: job.port, noDelay: true });
    const reader = new FrameReader();
    let serial = 0;
    let sentAt = 0;
    let first = true;
    const beat = () => {
      serial = serial >= 0xffff ? 1 : serial + 1;
      sentAt = now();
      heartbeats++;
      socket.write(encodeFrame({ serial, version: 0x0101, time: epochToTime(Date.now()), source: address, destination: '000000015B38', command: commands.send, data: new Uint8Array(0) }));
    };
    socket.on('connect', beat);
    socket.on('data', (chunk) => {
      for (const r of reader.push(chunk)) {
        if (r.kind !== 'frame' || r.frame.command !== commands.confirm) continue;
        confirms++;
        latencies.push(now() - sentAt);
        if (first) {
          first = false;
          sockets.push(socket);
          // spread the heartbeats over the interval
          const t = setTimeout(() => { beat(); timers.push(setInterval(beat, job.heartbeatSec * 1000)); }, Math.random() * job.heartbeatSec * 1000);
          timers.push(t);
          resolve();
        }
      }
    });
    socket.on('error', (err) => { if (first) { failures.push(`${address}: ${err.message}`); first = false; resolve(); } });
    socket.on('close', () => { if (first) { failures.push(`${address}: closed`); first = false; resolve(); } });
  });
  let next = 0;
  const startedAt = now();
  await Promise.all(Array.from({ length: job.window }, async () => {
    while (next < job.addresses.length) await one(job.addresses[next++]!);
  }));
  send({ type: 'connected', ms: now() - startedAt, connected: sockets.length, failed: failures.length, failures: failures.slice(0, 3) });
});
send({ type: 'ready' });
