// One share of the reconnect storm, in its own process: on "go" every device opens its connection in the
// same tick (or at most `window` unanswered at a time, if set); each CONNACK is stamped on the shared clock.
// The CONNECTs are encoded beforehand and a CONNACK is read as its 4 bytes, so a generator spends next to
// nothing per connection beyond the socket itself.
import { connect, type Socket } from 'node:net';
import { now } from '../lib/clock.js';
import { send, serve } from '../lib/ipc.js';
import { connectPacket, type Credentials, type Target } from './mqtt-raw.js';

export interface ConnectsJob { target: Target; devices: Credentials[]; window?: number }

const sockets: Socket[] = [];
const job: ConnectsJob = await serve<ConnectsJob>(async (command): Promise<void> => {
  if (command.type === 'close') {
    for (const s of sockets) s.destroy();
    return send({ type: 'closed' });
  }
  if (command.type !== 'go') return;
  const startedAt = now();
  let lastAt = 0;
  const times: number[] = [];
  const failures: string[] = [];
  const one = (i: number) => new Promise<void>((resolve) => {
    const socket = connect({ host: job.target.host, port: job.target.port, noDelay: true });
    let got = Buffer.alloc(0);
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      failures.push(`${job.devices[i]!.id}: ${why}`);
      socket.destroy();
      resolve();
    };
    socket.on('connect', () => socket.write(packets[i]!));
    socket.on('data', function onData(chunk) {
      got = Buffer.concat([got, chunk]);
      if (got.length < 4) return;
      socket.off('data', onData);
      if (got[0] !== 0x20 || got[3] !== 0) return fail(`CONNACK ${got[3]}`);
      settled = true;
      lastAt = now();
      times.push(lastAt);
      sockets.push(socket);
      resolve();
    });
    socket.on('error', (err) => fail(err.message));
    socket.on('close', () => fail('closed before CONNACK'));
  });
  if (job.window) {
    let next = 0;
    await Promise.all(Array.from({ length: job.window }, async () => {
      while (next < job.devices.length) await one(next++);
    }));
  } else {
    await Promise.all(job.devices.map((_, i) => one(i)));
  }
  send({ type: 'done', startedAt, lastAt, times, connected: sockets.length, failures: failures.slice(0, 5), failed: failures.length });
});
const packets = job.devices.map((d) => connectPacket(d));
send({ type: 'ready' });
