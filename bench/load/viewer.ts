// A control-room screen in its own process: socket.io signed in as admin, stamping every `alarm` push.
import { io } from 'socket.io-client';
import { now } from '../lib/clock.js';
import { send, serve } from '../lib/ipc.js';

export interface ViewerJob { url: string; token: string }
/** One alarm as pushed; `message` numbers the socket.io message it came in (an `alarms` push carries several). */
export interface Push { id: string; deviceId: string; likelyFire: boolean; count: number; at: number; message: number }

const alarms: Push[] = [];
const others = new Map<string, number>();
const job = await serve<ViewerJob>((command) => {
  if (command.type === 'report') send({ type: 'report', alarms: alarms.splice(0), others: Object.fromEntries(others) });
});
const socket = io(job.url, { auth: { token: job.token }, transports: ['websocket'], reconnection: false });
type Pushed = Omit<Push, 'at' | 'message'>;
let messages = 0;
const heard = (a: Pushed, at: number) => alarms.push({ id: a.id, deviceId: a.deviceId, likelyFire: a.likelyFire, count: a.count, at, message: messages });
// an institution's alarms raised together come in one `alarms` message (contracts/realtime.ts), each alarm once
socket.on('alarm', (a: Pushed) => { messages++; heard(a, now()); });
socket.on('alarms', (list: Pushed[]) => { messages++; const at = now(); for (const a of list) heard(a, at); });
socket.onAny((event: string) => { if (event !== 'alarm' && event !== 'alarms') others.set(event, (others.get(event) ?? 0) + 1); });
socket.on('disconnect', (reason) => process.stderr.write(`viewer disconnected: ${reason}\n`));
await new Promise<void>((resolve, reject) => {
  socket.once('connect', () => resolve());
  socket.once('connect_error', reject);
});
send({ type: 'ready' });
