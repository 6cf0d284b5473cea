// Where the rules' inputs go: to this node's engine when it holds the site's partition (always, for a lone node),
// else to the node that does (forwarding.ts). A device's event is stored and decided by the holder in one batch
// there, and acknowledged to the device once that node answers; readings and heartbeats are sent on unanswered.
import type { Logger } from 'pino';
import type { DeviceEvent } from '../../contracts/device-api.js';
import type { EventBatches } from '../devices/event-batches.js';
import type { Effects } from '../effects/apply.js';
import type { Directory, DeviceEntry } from '../registry/sites.js';
import { NotHeldHere, type RuleRunner } from '../rules/runner.js';
import { NotHeldThere, type ForwardAnswer, type ForwardedInput, type Forwarder } from './forwarding.js';
import type { PartitionKeeper } from './partition-keeper.js';

export class RuleInputs {
  private cluster: { forwarder: Forwarder; keeper: PartitionKeeper; node: string } | null = null;

  constructor(private readonly deps: { rules: RuleRunner; events: EventBatches; effects: Effects; directory: Directory; logger: Logger }) {}

  /** Cluster mode: inputs for partitions held elsewhere are forwarded. */
  joinCluster(cluster: { forwarder: Forwarder; keeper: PartitionKeeper; node: string }): void {
    this.cluster = cluster;
  }

  /** Stores the event and decides on it where its site's rules run; true: stored now, false: a redelivery. */
  async event(device: DeviceEntry, event: DeviceEvent, receivedAt: number): Promise<boolean> {
    if (this.local(device)) return this.deps.events.submit(device, event, receivedAt);
    const answer = await this.ask(device, { kind: 'event', deviceId: device.id, event, receivedAt });
    return answer.stored ?? false;
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
    if (this.local(device)) return this.deps.effects.commit(this.deps.rules.onPlatformEvent(device, type, data));
    await this.ask(device, { kind: 'platform', deviceId: device.id, type, data });
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

  /** The node holding the device's partition, asked again once if it was handed over meanwhile. */
  private async ask(device: DeviceEntry, input: ForwardedInput): Promise<ForwardAnswer> {
    const { forwarder, keeper } = this.cluster!;
    const partition = this.deps.rules.partitionOf(device.siteId);
    for (let attempt = 1; ; attempt++) {
      const owner = await this.owner(partition);
      try {
        return await forwarder.ask(owner, input);
      } catch (err) {
        if (!(err instanceof NotHeldThere) || attempt === 2) throw err;
        await keeper.refresh();
      }
    }
  }

  private tell(device: DeviceEntry, input: ForwardedInput): void {
    const partition = this.deps.rules.partitionOf(device.siteId);
    this.owner(partition).then((owner) => this.cluster!.forwarder.tell(owner, input), (err: unknown) => {
      this.deps.logger.warn({ err, deviceId: device.id, input: input.kind }, 'rules input not forwarded: its partition has no holder now');
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
