// Per-device message rate: a token bucket per device id. A device over its rate has its further
// messages dropped until the bucket refills; the others have their own buckets and are unaffected.

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

  /** True when the device may send this message now (and spends a token for it). */
  take(deviceId: string): boolean {
    if (this.limit.ratePerSec <= 0) return true;
    const now = this.now();
    const bucket = this.buckets.get(deviceId) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.ratePerSec);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(deviceId, bucket);
    return allowed;
  }
}
