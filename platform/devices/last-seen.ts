// Last-seen times are kept in memory and written every few seconds (app.ts schedules flush), not one
// update per message: in statements of CHUNK devices, each after the events in hand (`yieldTo`), so a fire
// alarm never waits behind a whole fleet's update. Until a time is written, the API answers from memory
// (seen()), so a device that has just sent something is online at once, not after the next flush.
import type { Logger } from 'pino';
import type { Device } from '../../contracts/records.js';
import type { Store } from '../store/store.js';

/** Devices whose times one statement writes. */
const CHUNK = 500;

export class LastSeen {
  private pending = new Map<string, number>();
  /** The batch being written: still the freshest word on these devices until the write is done. */
  private writing = new Map<string, number>();
  constructor(private readonly store: Store, private readonly logger: Logger, private readonly yieldTo: () => Promise<void> = async () => undefined) {}

  mark(deviceId: string, at: number): void {
    const prev = this.pending.get(deviceId);
    if (prev === undefined || at > prev) this.pending.set(deviceId, at);
  }

  /** When the device was last heard from, if that is not written yet. */
  seen(deviceId: string): number | undefined {
    const pending = this.pending.get(deviceId);
    const writing = this.writing.get(deviceId);
    if (pending === undefined) return writing;
    return writing === undefined ? pending : Math.max(pending, writing);
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.writing = batch;
    const entries = [...batch];
    let written = 0;
    try {
      for (; written < entries.length; written += CHUNK) {
        await this.yieldTo();
        await this.store.touchDevices(new Map(entries.slice(written, written + CHUNK)));
      }
    } catch (err) {
      this.logger.error({ err, devices: entries.length - written }, 'could not record last-seen times; retrying');
      for (const [id, at] of entries.slice(written)) this.mark(id, at);
    } finally {
      this.writing = new Map();
    }
  }
}

/** The device as stored, with a last-seen time not yet written taken into account (online within 3 heartbeats). */
export function withLastSeen(device: Device, heard: number | undefined, now: number): Device {
  if (heard === undefined) return device;
  const stored = device.lastSeenAt ? Date.parse(device.lastSeenAt) : 0;
  if (heard <= stored) return device;
  return { ...device, lastSeenAt: new Date(heard).toISOString(), online: device.online || heard > now - device.heartbeatSec * 3000 };
}
