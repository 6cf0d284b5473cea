// Rules inputs sent to the node that holds their site's partition (cluster mode), over Redis pub/sub: each node
// listens on its own channel; an input that needs an answer (a device's event, acknowledged to the device only once
// stored) is answered on the asker's channel. No answer in time is an error: the device is not acknowledged and
// sends the event again, to whichever node holds the partition by then.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DeviceEvent } from '../../contracts/device-api.js';

export type ForwardedInput =
  | { kind: 'event'; deviceId: string; event: DeviceEvent; receivedAt: number }
  | { kind: 'telemetry'; deviceId: string; metrics: Record<string, number | boolean>; port: number | null; at: number }
  | { kind: 'seen'; deviceId: string; at: number }
  | { kind: 'platform'; deviceId: string; type: string; data: Record<string, unknown> };

export interface ForwardAnswer { stored?: boolean }

/** What every node must hear of a change made on one: the rules edited, a device added or disabled, an institution edited, rules partitions given back. */
export type ClusterNotice = { kind: 'rules' } | { kind: 'device'; deviceId: string } | { kind: 'site'; siteId: string } | { kind: 'partitions' };

/** The holder answered that it does not hold the partition (it was handed over meanwhile). */
class NotHeldThere extends Error {}

/** The holder carried the input out and it failed there (a constraint, a rule's error): asking again would not help. */
export class AnsweredWithError extends Error {}

interface Request { id: string; from: string; input: ForwardedInput; answer: boolean }
interface Reply { re: string; ok: boolean; stored?: boolean; error?: string; notHeld?: boolean }

const channel = (node: string) => `firenet:rules:${node}`;
const NOTICES = 'firenet:notices';
const ANSWER_TIMEOUT_MS = 5000;

export interface Forwarder {
  /** Sends `input` to `node` and waits for its answer. */
  ask(node: string, input: ForwardedInput): Promise<ForwardAnswer>;
  /** Sends `input` to `node`; no answer is waited for (readings, heartbeats). */
  tell(node: string, input: ForwardedInput): void;
  /** Tells every other node of a change. */
  notify(notice: ClusterNotice): void;
  close(): Promise<void>;
}

export async function startForwarding(deps: {
  pub: Redis; sub: Redis; node: string; logger: Logger;
  /** Carries out an input sent here; throws NotHeldThere-like errors as `notHeld`. */
  handle(input: ForwardedInput): Promise<ForwardAnswer>;
  isNotHeld(err: unknown): boolean;
  /** A change another node made. */
  onNotice(notice: ClusterNotice): Promise<void>;
}): Promise<Forwarder> {
  const { pub, sub, node, logger } = deps;
  const waiting = new Map<string, { resolve(a: ForwardAnswer): void; reject(err: unknown): void; timer: NodeJS.Timeout }>();
  sub.on('message', (from: string, text: string) => {
    if (from === NOTICES) {
      const { node: sender, notice } = JSON.parse(text) as { node: string; notice: ClusterNotice };
      if (sender !== node) deps.onNotice(notice).catch((err: unknown) => logger.error({ err, notice }, 'a change made on another node could not be taken in'));
      return;
    }
    const message = JSON.parse(text) as Request | Reply;
    if ('re' in message) {
      const w = waiting.get(message.re);
      if (!w) return;
      waiting.delete(message.re);
      clearTimeout(w.timer);
      if (message.ok) w.resolve({ stored: message.stored });
      else w.reject(message.notHeld ? new NotHeldThere(message.error) : new AnsweredWithError(`the node holding the rules answered: ${message.error}`));
      return;
    }
    void deps.handle(message.input).then(
      (answer) => message.answer && publish(message.from, { re: message.id, ok: true, stored: answer.stored }),
      (err: unknown) => {
        if (!deps.isNotHeld(err)) logger.error({ err, input: message.input.kind, deviceId: message.input.deviceId }, 'a forwarded rules input failed');
        if (message.answer) publish(message.from, { re: message.id, ok: false, error: err instanceof Error ? err.message : String(err), notHeld: deps.isNotHeld(err) });
      },
    );
  });
  await sub.subscribe(channel(node), NOTICES);
  const publish = (to: string, message: Request | Reply) => {
    pub.publish(channel(to), JSON.stringify(message)).catch((err: unknown) => logger.warn({ err, to }, 'forwarding to another node failed'));
  };
  return {
    ask(to, input) {
      const id = randomUUID();
      return new Promise<ForwardAnswer>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`node ${to} did not answer within ${ANSWER_TIMEOUT_MS} ms`));
        }, ANSWER_TIMEOUT_MS);
        waiting.set(id, { resolve, reject, timer });
        publish(to, { id, from: node, input, answer: true });
      });
    },
    tell(to, input) {
      publish(to, { id: randomUUID(), from: node, input, answer: false });
    },
    notify(notice) {
      pub.publish(NOTICES, JSON.stringify({ node, notice })).catch((err: unknown) => logger.warn({ err, notice }, 'a change could not be told to the other nodes'));
    },
    async close() {
      for (const [id, w] of waiting) {
        clearTimeout(w.timer);
        w.reject(new Error('stopping'));
        waiting.delete(id);
      }
      await sub.unsubscribe(channel(node), NOTICES).catch(() => undefined);
    },
  };
}
