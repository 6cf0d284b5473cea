// A control-room screen in its own process: socket.io signed in as admin, stamping every `alarm` push.
import { io } from 'socket.io-client';
import { now } from '../lib/clock.js';
import { send, serve } from '../lib/ipc.js';

export interface ViewerJob { url: string; token: string }
export interface Push { id: string; deviceId: string; likelyFire: boolean; count: number; at: number }

const alarms: Push[] = [];
const others = new Map<string, number>();
const job = await serve<ViewerJob>((command) => {
  if (command.type === 'report') send({ type: 'report', alarms: alarms.splice(0), others: Object.fromEntries(others) });
});
const socket = io(job.url, { auth: { token: job.token }, transports: ['websocket'], reconnection: false });
socket.on('alarm', (a: Omit<Push, 'at'>) => { alarms.push({ id: a.id, deviceId: a.deviceId, likelyFire: a.likelyFire, count: a.count, at: now() }); });
socket.onAny((event: string) => { if (event !== 'alarm') others.set(event, (others.get(event) ?? 0) + 1); });
socket.on('disconnect', (reason) => process.stderr.write(`viewer disconnected: ${reason}\n`));
await new Promise<void>((resolve, reject) => {
  socket.once('connect', () => resolve());
  socket.once('connect_error', reject);
});
send({ type: 'ready' });
