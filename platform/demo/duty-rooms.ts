// Demo mode: the simulated institutions' fire control rooms (消防控制室). Like real ones they watch their alarms and
// answer most of them through the API: acknowledge within a minute, confirm as a false alarm or a test, close. Some
// are left for the person trying the demo to see and answer, and so is any alarm flagged a likely real fire.
// They sign in with an API token of the operator role over the demo institutions (audit: token:<name>).
import type { Logger } from 'pino';
import type { Users } from '../auth/users.js';

/** The name the duty rooms' API token goes by (in the token list and, as token:<name>, in the audit log). */
export const DUTY_ROOMS_TOKEN_NAME = '演示值班室';

/** Revokes the duty rooms' tokens of earlier demo starts (and, outside demo mode, every one of them). */
export async function retireDutyRoomTokens(users: Users): Promise<void> {
  for (const old of await users.apiTokens.list()) {
    if (old.name === DUTY_ROOMS_TOKEN_NAME && old.createdBy === 'demo' && !old.revokedAt) await users.revokeApiToken(old.id);
  }
}

/** A fresh operator token over the demo institutions; the one of the previous start is revoked. */
export async function dutyRoomToken(users: Users, siteIds: string[]): Promise<string> {
  await retireDutyRoomTokens(users);
  const issued = await users.apiTokens.issue({
    name: DUTY_ROOMS_TOKEN_NAME, scope: { role: 'operator', regionCode: null, siteIds }, readOnly: false, expiresAt: null, createdBy: 'demo',
  });
  return issued.token;
}

export type DutyOutcome = 'false_alarm' | 'test';

/** How one alarm is answered: the delays count from when the room first sees it. */
export interface DutyPlan {
  ackAfterMs: number;
  confirmAfterMs: number;
  closeAfterMs: number;
  outcome: DutyOutcome;
}

export interface DutyTiming {
  /** Acknowledged within this span after it is seen, ms [min, max]. */
  ack: [number, number];
  /** Confirmed this long after the acknowledgement. */
  confirm: [number, number];
  /** Closed this long after the confirmation. */
  close: [number, number];
}

/** A duty room answers within a minute, judges within two, closes a minute or two later. */
export const REAL_TIMING: DutyTiming = { ack: [10_000, 50_000], confirm: [20_000, 90_000], close: [30_000, 120_000] };

/** Share of answered alarms confirmed as false alarms; the rest were tests. */
const FALSE_ALARM_SHARE = 0.75;

/** Decides, for one alarm, whether the room answers it and how (pure: `random` is the only input). */
export function planResponse(answerShare: number, timing: DutyTiming, random: () => number = Math.random): DutyPlan | null {
  if (random() >= answerShare) return null;
  const within = ([min, max]: [number, number]) => Math.round(min + random() * (max - min));
  const ackAfterMs = within(timing.ack);
  const confirmAfterMs = ackAfterMs + within(timing.confirm);
  return { ackAfterMs, confirmAfterMs, closeAfterMs: confirmAfterMs + within(timing.close), outcome: random() < FALSE_ALARM_SHARE ? 'false_alarm' : 'test' };
}

interface ActiveAlarm {
  id: string;
  status: 'new' | 'acknowledged' | 'confirmed' | 'closed';
  likelyFire?: boolean;
}

export interface DutyRoomsOptions {
  httpUrl: string;
  /** An API token, operator role, over the demo institutions. */
  token: string;
  /** Share of alarms the rooms answer (0..1); the rest wait for a person. */
  answerShare: number;
  logger: Logger;
  timing?: DutyTiming;
  pollMs?: number;
  random?: () => number;
}

export interface DutyRooms {
  /** Alarms answered to the end (closed), and left for a person. */
  stats(): { closed: number; leftAlone: number };
  stop(): void;
}

/** Watches the active alarms (polling the API) and answers them per planResponse. */
export function startDutyRooms(options: DutyRoomsOptions): DutyRooms {
  const { httpUrl, token, answerShare, logger } = options;
  const timing = options.timing ?? REAL_TIMING;
  const pollMs = options.pollMs ?? 5000;
  const log = logger.child({ component: 'duty-rooms' });
  /** Alarms already seen: their timers, or null when left alone. */
  const seen = new Map<string, ReturnType<typeof setTimeout>[] | null>();
  let closed = 0;
  let leftAlone = 0;
  let stopped = false;

  const call = async (path: string, body?: unknown): Promise<Response> => fetch(`${httpUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });

  /** One step of one alarm; a 409 means someone else (a person) acted on it first: the room lets it be. */
  const step = async (alarmId: string, action: 'ack' | 'confirm' | 'close', body: unknown = {}): Promise<boolean> => {
    if (stopped) return false;
    try {
      const res = await call(`/api/alarms/${encodeURIComponent(alarmId)}/${action}`, body);
      if (res.ok) return true;
      if (res.status !== 409) log.warn({ alarmId, action, status: res.status }, 'duty room could not answer an alarm');
    } catch (err) {
      log.warn({ alarmId, action, err: (err as Error).message }, 'duty room could not reach the platform');
    }
    cancel(alarmId);
    return false;
  };

  const cancel = (alarmId: string): void => {
    for (const timer of seen.get(alarmId) ?? []) clearTimeout(timer);
    if (seen.get(alarmId)) seen.set(alarmId, []);
  };

  /**
   * Acknowledges, confirms and closes, each step once the one before is done (a confirm sent while the acknowledgement
   * is still on its way would find the alarm moved and give up). Its timers, for cancel() and stop() to clear.
   */
  const answer = (alarm: ActiveAlarm, plan: DutyPlan): ReturnType<typeof setTimeout>[] => {
    const timers: ReturnType<typeof setTimeout>[] = [];
    const after = (ms: number) => new Promise<void>((resolve) => { timers.push(setTimeout(resolve, ms)); });
    void (async () => {
      await after(plan.ackAfterMs);
      if (alarm.status === 'new' && !(await step(alarm.id, 'ack'))) return;
      await after(plan.confirmAfterMs - plan.ackAfterMs);
      if (!(await step(alarm.id, 'confirm', { outcome: plan.outcome }))) return;
      await after(plan.closeAfterMs - plan.confirmAfterMs);
      if (await step(alarm.id, 'close')) closed++;
    })();
    return timers;
  };

  const poll = async (): Promise<void> => {
    const res = await call('/api/alarms?status=active&limit=1000');
    if (!res.ok) {
      log.warn({ status: res.status }, 'duty rooms could not list the alarms');
      return;
    }
    const active = (await res.json()) as ActiveAlarm[];
    const ids = new Set(active.map((a) => a.id));
    for (const alarm of active) {
      if (seen.has(alarm.id)) continue;
      // a likely real fire, or one a person is already handling, is theirs
      const plan = alarm.likelyFire || alarm.status !== 'new' ? null : planResponse(answerShare, timing, options.random);
      if (!plan) leftAlone++;
      seen.set(alarm.id, plan ? answer(alarm, plan) : null);
    }
    // forget what is no longer active (closed, by the room or by a person)
    for (const [id, timers] of seen) {
      if (ids.has(id)) continue;
      for (const timer of timers ?? []) clearTimeout(timer);
      seen.delete(id);
    }
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const loop = (): void => {
    if (stopped) return;
    poll().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'duty rooms poll failed')).finally(() => {
      if (!stopped) timer = setTimeout(loop, pollMs);
    });
  };
  loop();
  log.info({ answerShare, pollMs }, 'simulated duty rooms answering alarms');

  return {
    stats: () => ({ closed, leftAlone }),
    stop() {
      stopped = true;
      clearTimeout(timer);
      for (const timers of seen.values()) for (const t of timers ?? []) clearTimeout(t);
      seen.clear();
    },
  };
}
