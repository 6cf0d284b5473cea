// Where the rules' inputs go: to this node's engine when it holds the site's partition (always, for a lone node),
// else to the node that does (forwarding.ts). A device's event is stored and decided by the holder in one batch
// there, and acknowledged to the device once that node answers; readings and heartbeats are sent on unanswered.
import type { Logger } from 'pino';
import type { DeviceEvent } from '../../contracts/device-api.js';
import type { EventBatches } from '../devices/event-batches.js';
import type { Effects } from '../effects/apply.js';
import type { Directory, DeviceEntry } from '../registry/sites.js';
import { NotHeldHere, type RuleRunner } from '../rules/runner.js';
import { AnsweredWithError, type ForwardAnswer, type ForwardedInput, type Forwarder } from './forwarding.js';
import type { PartitionKeeper } from './partition-keeper.js';

/** How often an input waiting for its partition's holder looks again. */
const HANDOVER_RETRY_MS = 250;

interface ClusterLink {
  forwarder: Forwarder;
  keeper: PartitionKeeper;
  node: string;
  /** How long an input waits for its partition to have a holder that answers (a lease's run-out and a takeover). */
  handoverMs: number;
}

export class RuleInputs {
  private cluster: ClusterLink | null = null;
  /** Readings and heartbeats not forwarded, by partition, while it had no holder (a handover under way). */
  private readonly unforwarded = new Map<number, number>();

  constructor(private readonly deps: { rules: RuleRunner; events: EventBatches; effects: Effects; directory: Directory; logger: Logger }) {}

  /** Cluster mode: inputs for partitions held elsewhere are forwarded. */
  joinCluster(cluster: ClusterLink): void {
    this.cluster = cluster;
  }

  /** Stores the event and decides on it where its site's rules run; true: stored now, false: a redelivery. */
  async event(device: DeviceEntry, event: DeviceEvent, receivedAt: number): Promise<boolean> {
    return this.route(device, () => this.deps.events.submit(device, event, receivedAt),
      { kind: 'event', deviceId: device.id, event, receivedAt }, (answer) => answer.stored ?? false);
  }

  /** A reading: decided on where its site's rules run (it was stored here). */
  telemetry(device: DeviceEntry, metrics: Record<string, number | boolean>, port: number | null, at: number): void {
    if (this.local(device)) {
      this.commit(() => this.deps.rules.onTelemetry(device, metrics, port, at), device);
      return;
    }
    this.tell(device, { kind: 'telemetry', deviceId: device.id, metrics, port, at });
  }

  /** The device was heard from (a heartbeat, a command answer). */
  async seen(device: DeviceEntry, at: number): Promise<void> {
    if (this.local(device)) return this.deps.effects.commit(this.deps.rules.onSeen(device, at));
    this.tell(device, { kind: 'seen', deviceId: device.id, at });
  }

  /** An event of the platform itself about a device (an operator found its alarm false). */
  async platform(device: DeviceEntry, type: string, data: Record<string, unknown>): Promise<void> {
    await this.route(device, () => this.deps.effects.commit(this.deps.rules.onPlatformEvent(device, type, data)),
      { kind: 'platform', deviceId: device.id, type, data }, () => undefined);
  }

  /** An input another node sent here; NotHeldHere when this node does not hold its partition (any more). */
  async handle(input: ForwardedInput): Promise<ForwardAnswer> {
    const device = await this.deps.directory.device(input.deviceId);
    if (!device) throw new Error(`device ${input.deviceId} is no longer registered`);
    if (!this.deps.rules.holds(device.siteId)) throw new NotHeldHere(this.deps.rules.partitionOf(device.siteId));
    switch (input.kind) {
      case 'event': return { stored: await this.deps.events.submit(device, input.event, input.receivedAt) };
      case 'telemetry': await this.deps.effects.commit(this.deps.rules.onTelemetry(device, input.metrics, input.port, input.at)); return {};
      case 'seen': await this.deps.effects.commit(this.deps.rules.onSeen(device, input.at)); return {};
      case 'platform': await this.deps.effects.commit(this.deps.rules.onPlatformEvent(device, input.type, input.data)); return {};
    }
  }

  private local(device: DeviceEntry): boolean {
    return this.cluster === null || this.deps.rules.holds(device.siteId);
  }

  private commit(decide: () => ReturnType<RuleRunner['onSeen']>, device: DeviceEntry): void {
    this.deps.effects.commit(decide()).catch((err: unknown) => this.deps.logger.error({ err, deviceId: device.id }, 'rules failed on a reading'));
  }

  /**
   * Carried out here when this node holds the device's partition, else by the node that does. While the partition
   * has no holder, or its holder does not answer (it died: its leases run out and a node takes them, maybe this one),
   * the input waits, up to `handoverMs`: the device's acknowledgement comes late, and its connection stays. Asked
   * again after a timeout, a holder that was only slow stores the event once all the same (events are stored by id).
   */
  private async route<T>(device: DeviceEntry, here: () => Promise<T>, input: ForwardedInput, answered: (answer: ForwardAnswer) => T): Promise<T> {
    if (!this.cluster) return here();
    const { forwarder, keeper, handoverMs } = this.cluster;
    const partition = this.deps.rules.partitionOf(device.siteId);
    const deadline = Date.now() + handoverMs;
    for (;;) {
      const local = this.local(device);
      try {
        return local ? await here() : answered(await forwarder.ask(await this.owner(partition), input));
      } catch (err) {
        // a handover under way: the partition left this node meanwhile, or has no holder that answers yet
        const handover = local ? err instanceof NotHeldHere : !(err instanceof AnsweredWithError);
        if (!handover || Date.now() >= deadline) throw err;
        await new Promise((r) => setTimeout(r, HANDOVER_RETRY_MS));
        await keeper.refresh();
      }
    }
  }

  /** Readings and heartbeats are not kept while their partition has no holder: one line when that starts, one when it ends. */
  private tell(device: DeviceEntry, input: ForwardedInput): void {
    const partition = this.deps.rules.partitionOf(device.siteId);
    this.owner(partition).then((owner) => {
      this.cluster!.forwarder.tell(owner, input);
      const missed = this.unforwarded.get(partition);
      if (missed === undefined) return;
      this.unforwarded.delete(partition);
      this.deps.logger.info({ partition, owner, missed }, 'rules partition held again: its readings and heartbeats are forwarded');
    }, (err: unknown) => {
      const missed = this.unforwarded.get(partition);
      this.unforwarded.set(partition, (missed ?? 0) + 1);
      if (missed === undefined) this.deps.logger.warn({ err: (err as Error).message, partition, deviceId: device.id, input: input.kind }, 'rules partition has no holder now: its readings and heartbeats are not forwarded until it has');
    });
  }

  private async owner(partition: number): Promise<string> {
    const { keeper, node } = this.cluster!;
    let owner = keeper.ownerOf(partition);
    if (owner === null || owner === node) {
      await keeper.refresh();
      owner = keeper.ownerOf(partition);
    }
    // held by nobody (a handover under way), or by this node in the leases but not loaded yet: the device retries
    if (owner === null || owner === node) throw new Error(`rules partition ${partition} has no holder ready`);
    return owner;
  }
}
