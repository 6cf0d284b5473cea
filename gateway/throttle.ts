// Per-device message rate: a token bucket per device id. Telemetry over the rate is dropped (and counted);
// events and command answers are never dropped for rate: they go into debt, and their device is slowed down
// instead (its acknowledgements wait for the tokens, and aedes reads no more of its socket meanwhile).
// Each device has its own bucket, so one device over its rate does not affect the others.

export interface RateLimit {
  /** Messages per second a device may keep sending; 0 turns the cap off. */
  ratePerSec: number;
  /** Messages a device may send at once after a quiet spell. */
  burst: number;
}

interface Bucket { tokens: number; at: number }

export class DeviceThrottle {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly limit: RateLimit, private readonly now: () => number = Date.now) {}

  /** True when the device may send this message now (and spends a token for it); false: drop it. */
  take(deviceId: string): boolean {
    if (this.limit.ratePerSec <= 0) return true;
    const bucket = this.refill(deviceId);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Spends a token, borrowing when there is none: milliseconds until the borrowed token is earned (0: none borrowed). */
  reserve(deviceId: string): number {
    if (this.limit.ratePerSec <= 0) return 0;
    const bucket = this.refill(deviceId);
    bucket.tokens -= 1;
    return bucket.tokens >= 0 ? 0 : Math.ceil((-bucket.tokens / this.limit.ratePerSec) * 1000);
  }

  private refill(deviceId: string): Bucket {
    const now = this.now();
    const bucket = this.buckets.get(deviceId) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.ratePerSec);
    bucket.at = now;
    this.buckets.set(deviceId, bucket);
    return bucket;
  }
}
