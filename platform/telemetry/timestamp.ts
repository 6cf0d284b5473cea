// Which time a reading is kept under. Pure.

/** Readings stamped further ahead than this are from a device with a wrong clock. */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

/**
 * The device's own timestamp, or the receipt time when it gave none or an absurd one
 * (in the future, or older than the raw window: it could never be kept or rolled up where it belongs).
 */
export function readingTime(deviceTs: number | undefined, receivedAt: number, rawWindowMs: number): number {
  if (deviceTs === undefined) return receivedAt;
  if (deviceTs > receivedAt + MAX_CLOCK_AHEAD_MS || deviceTs < receivedAt - rawWindowMs) return receivedAt;
  return deviceTs;
}
