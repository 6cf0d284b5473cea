// Group commit for device events. Events that arrive while a transaction is running go into the next one, up to
// MAX_BATCH at a time; when nothing is running, an event starts a transaction after one turn of the event loop (the
// events read in that turn join it, and while a burst is still being read, the next turns'), so a lone alarm waits
// for nothing else. A batch is written together: its events in one statement, the alarms they raise in one more.
// Should that fail (a rule error, a constraint), the batch is written again one event at a time, each under its own
// savepoint: the one that fails is rolled back alone and its batch-mates still commit. An event's promise settles
// only after its batch has committed, and the gateway acknowledges (PUBACK) only then: nothing acknowledged is missing
// from the database.
import type { Logger } from 'pino';
import type { DeviceEvent } from '../../contracts/device-api.js';
import { Changes } from '../effects/changes.js';
import type { Effects } from '../effects/apply.js';
import type { DeviceEntry } from '../registry/sites.js';
import type { Action } from '../rules/actions.js';
import type { Queryable } from '../store/executor.js';
import type { Store } from '../store/store.js';

export const MAX_BATCH = 1024;
/** New events in a turn that make a batch wait for one more turn: a burst still being read. */
export const GATHER_MIN_NEW = 8;
/** The longest a batch waits for a burst to be read. */
export const GATHER_MAX_MS = 50;

interface Pending {
  device: DeviceEntry;
  event: DeviceEvent;
  receivedAt: number;
  /** What the rules decided on it, once (kept should the batch be written again event by event). */
  actions?: Action[];
  /** true: stored now; false: a redelivery of an event already stored. */
  resolve(stored: boolean): void;
  reject(err: unknown): void;
}

type Outcome = { ok: true; stored: boolean } | { ok: false; err: unknown };

export interface EventBatchDeps {
  store: Pick<Store, 'transaction' | 'insertEvents'>;
  /** The rules' decision on one event, read in `tx`. */
  decide(device: DeviceEntry, event: DeviceEvent, at: number, tx: Queryable): Promise<Action[]>;
  effects: Pick<Effects, 'apply' | 'publish'>;
  logger: Logger;
}

export class EventBatches {
  private queue: Pending[] = [];
  private draining: Promise<void> | null = null;
  /** Batches committed, and the events in them (for /metrics and the benchmark). */
  batches = 0;
  batched = 0;

  constructor(private readonly deps: EventBatchDeps) {}

  /** Stores `event` and carries out what the rules decide, in the next batch; settles once that batch has committed. */
  submit(device: DeviceEntry, event: DeviceEvent, receivedAt: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ device, event, receivedAt, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Resolves once no batch is queued or committing (the readings sent at most once wait for it between slices). */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /**
   * Resolves at a moment no event waits: once a turn of the event loop has read what the sockets hold and no batch is
   * queued or committing. Background statements (last-seen times, rollups, scheduled jobs) wait for it: PGlite runs a
   * statement on this thread, so without the turn a run of them would keep a storm's alarms unread in the sockets
   * until the last one is done.
   */
  async idle(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (!this.draining) return;
      await this.settled();
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        await this.gather();
        await this.commit(this.queue.splice(0, MAX_BATCH));
      }
    } finally {
      this.draining = null;
    }
  }

  /**
   * Turns of the event loop before a batch starts. One turn first: PGlite works synchronously, so without it a
   * transaction would commit before the loop read the other devices' sockets, and a storm would be committed one event
   * at a time. More turns while each brings a burst's worth of new events (a storm whose packets were still arriving
   * when the first turn read the sockets), within GATHER_MAX_MS: else the storm's second part would wait behind the
   * first's transaction and then behind what the sockets gathered meanwhile, and reach the screen 50-80 ms later.
   * A lone alarm, or a trickle, still takes one turn.
   */
  private async gather(): Promise<void> {
    const started = performance.now();
    let before = 0;
    while (this.queue.length - before >= (before === 0 ? 1 : GATHER_MIN_NEW) && this.queue.length < MAX_BATCH
      && performance.now() - started < GATHER_MAX_MS) {
      before = this.queue.length;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    let written: { outcomes: Outcome[]; changes: Changes };
    try {
      written = await this.write(batch, (tx, changes) => this.together(tx, batch, changes));
    } catch (err) {
      this.deps.logger.warn({ err, events: batch.length }, 'a batch of events failed together; writing it event by event');
      try {
        written = await this.write(batch, async (tx, changes) => {
          const done: Outcome[] = [];
          for (const item of batch) done.push(await this.alone(tx, item, changes));
          return done;
        });
      } catch (err) {
        // the batch did not commit (the database is gone): nothing of it is acknowledged, the devices resend
        for (const item of batch) item.reject(err);
        return;
      }
    }
    this.batches++;
    this.batched += batch.length;
    batch.forEach((item, i) => {
      const outcome = written.outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.stored);
      else item.reject(outcome.err);
    });
    await this.deps.effects.publish(written.changes).catch((err: unknown) => this.deps.logger.error({ err }, 'publishing a batch of events failed'));
  }

  /** One transaction for the batch; what it changed is published only if it commits. */
  private async write(batch: Pending[], fn: (tx: Queryable, changes: Changes) => Promise<Outcome[]>): Promise<{ outcomes: Outcome[]; changes: Changes }> {
    const changes = new Changes();
    const outcomes = await this.deps.store.transaction((tx) => fn(tx, changes));
    return { outcomes, changes };
  }

  /** The whole batch at once: its events in one statement, then what the rules decided on the new ones. */
  private async together(tx: Queryable, batch: Pending[], changes: Changes): Promise<Outcome[]> {
    const stored = await this.deps.store.insertEvents(tx, batch.map((item) => ({ deviceId: item.device.id, event: item.event, receivedAt: item.receivedAt })));
    const actions: Action[] = [];
    const known = new Map<string, DeviceEntry>();
    for (const [i, item] of batch.entries()) {
      if (!stored[i]) continue;
      actions.push(...await this.decide(tx, item));
      known.set(item.device.id, item.device);
    }
    await this.deps.effects.apply(tx, actions, changes, known);
    return stored.map((s) => ({ ok: true, stored: s }));
  }

  /** One event under its own savepoint: its failure rolls back only what it wrote. */
  private async alone(tx: Queryable, item: Pending, batchChanges: Changes): Promise<Outcome> {
    await tx.query('savepoint event');
    try {
      const changes = new Changes();
      const [stored] = await this.deps.store.insertEvents(tx, [{ deviceId: item.device.id, event: item.event, receivedAt: item.receivedAt }]);
      if (stored) await this.deps.effects.apply(tx, await this.decide(tx, item), changes, new Map([[item.device.id, item.device]]));
      await tx.query('release savepoint event');
      batchChanges.merge(changes);
      return { ok: true, stored: stored! };
    } catch (err) {
      await tx.query('rollback to savepoint event'); // if even this fails, the transaction is gone: the whole batch fails
      this.deps.logger.warn({ err, deviceId: item.device.id, eventId: item.event.id }, 'event rolled back alone; its batch goes on');
      return { ok: false, err };
    }
  }

  /** The rules decide on an event once, however often its batch is written. */
  private async decide(tx: Queryable, item: Pending): Promise<Action[]> {
    item.actions ??= await this.deps.decide(item.device, item.event, item.receivedAt, tx);
    return item.actions;
  }
}
