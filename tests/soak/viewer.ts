// The duty room, as the soak sees it: a socket.io viewer signed in as admin that times each of the
// load generator's smoke.alarm events from publish to push, and an operator that confirms every
// soak alarm as a test and closes it. Closing matters for the timing: the next smoke.alarm of that
// detector then opens a new alarm whose `data.id` is the event's id, so a push is matched to its
// event exactly; a smoke.alarm that arrives while the detector's alarm is still open only raises
// its count and is not timed (never guessed).
import { io, type Socket } from 'socket.io-client';
import type { AdminApi } from './api.js';
import { now } from './protocol.js';

interface AlarmPush { id: string; deviceId: string; status: string; data?: { id?: unknown } }

export interface LatencySample { sentAt: number; ms: number }

const FORGET_MS = 120_000;

export class AlarmViewer {
  private readonly socket: Socket;
  private readonly sent = new Map<string, number>();     // deviceId/eventId -> publish time
  private readonly early = new Map<string, number>();    // pushed before the load generator's word arrived
  private window: LatencySample[] = [];
  readonly all: LatencySample[] = [];
  private readonly toClose = new Set<string>();
  private closing = false;
  private tokenStale = false;
  pushes = 0;
  closed = 0;
  reconnects = 0;

  constructor(httpUrl: string, private readonly api: AdminApi, private readonly ours: (deviceId: string) => boolean) {
    this.socket = io(httpUrl, {
      transports: ['websocket'], reconnectionDelay: 500, reconnectionDelayMax: 2000,
      // asked on every (re)connect: a fresh sign-in after a refusal (FireNet restarted, token expired)
      auth: (cb) => {
        const token = this.tokenStale ? api.login() : api.currentToken();
        this.tokenStale = false;
        token.then((t) => cb({ token: t }), () => cb({ token: '' }));
      },
    });
    this.socket.on('connect_error', () => { this.tokenStale = true; });
    this.socket.io.on('reconnect', () => { this.reconnects++; void this.sweep(); });
    this.socket.on('alarm', (a: AlarmPush) => this.onAlarm(a));
    this.socket.on('alarms', (list: AlarmPush[]) => { for (const a of list) this.onAlarm(a); });
  }

  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('connect', () => resolve()));
  }

  /** The load generator published a smoke.alarm. */
  onSent(deviceId: string, eventId: string, at: number): void {
    const key = `${deviceId}/${eventId}`;
    const pushedAt = this.early.get(key);
    if (pushedAt !== undefined) { this.early.delete(key); this.record(at, pushedAt - at); return; }
    this.sent.set(key, at);
  }

  /** Latency samples since the last call. */
  takeWindow(): LatencySample[] {
    const w = this.window;
    this.window = [];
    const cutoff = now() - FORGET_MS; // repeats of an open alarm are never pushed under their own id
    for (const [k, at] of this.sent) if (at < cutoff) this.sent.delete(k);
    for (const [k, at] of this.early) if (at < cutoff) this.early.delete(k);
    return w;
  }

  /** Closes soak alarms the viewer missed (pushed while it was reconnecting, or lost with a killed FireNet). */
  async sweep(): Promise<void> {
    try {
      const res = await this.api.call<AlarmPush[]>('GET', '/api/alarms?status=active&limit=1000');
      if (res.status !== 200) return;
      for (const a of res.body) if (this.ours(a.deviceId)) this.toClose.add(a.id);
      void this.closeQueued();
    } catch { /* FireNet is down; the next sweep will do */ }
  }

  close(): void {
    this.socket.disconnect();
  }

  private onAlarm(a: AlarmPush): void {
    if (!this.ours(a.deviceId)) return;
    this.pushes++;
    if (a.status === 'new' && typeof a.data?.id === 'string') {
      const key = `${a.deviceId}/${a.data.id}`;
      const t = now();
      const at = this.sent.get(key);
      if (at !== undefined) { this.sent.delete(key); this.record(at, t - at); } else this.early.set(key, t);
    }
    if (a.status !== 'closed') { this.toClose.add(a.id); void this.closeQueued(); }
  }

  private record(sentAt: number, ms: number): void {
    const s = { sentAt, ms };
    this.window.push(s);
    this.all.push(s);
  }

  /** One alarm at a time, as one operator would: confirm as a test, then close. */
  private async closeQueued(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    try {
      for (const id of this.toClose) {
        this.toClose.delete(id);
        const path = `/api/alarms/${encodeURIComponent(id)}`;
        const confirmed = await this.api.call('POST', `${path}/confirm`, { outcome: 'test', note: 'soak' });
        if (confirmed.status !== 200 && confirmed.status !== 409) continue;
        const closed = await this.api.call('POST', `${path}/close`, {});
        if (closed.status === 200) this.closed++;
      }
    } catch { /* FireNet is down: the sweep after the reconnect finds what is left */ } finally {
      this.closing = false;
    }
  }
}
