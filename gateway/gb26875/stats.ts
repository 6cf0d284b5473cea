// Counters of the GB/T 26875.3 edge, read by /api/health beside the MQTT gateway's.
export interface GbStats {
  connections: number;
  connectsAccepted: number;
  /** Connections closed at their first frame: `unknown_address`, `disabled`, `address_mismatch`, `directory_unavailable`. */
  connectsRefused: Record<string, number>;
  framesIn: number;
  /** Frames refused by the codec, by problem: `bad_checksum`, `bad_end`, `bad_length`, `bad_command`, and units that do not decode (`bad_unit`). */
  badFrames: Record<string, number>;
  /** Bytes dropped looking for a start marker. */
  skippedBytes: number;
  confirms: number;
  denies: number;
  heartbeats: number;
  events: number;
  readings: number;
  storeFailures: number;
  commandsSent: number;
  answers: number;
}

export function newGbStats(): GbStats {
  return {
    connections: 0, connectsAccepted: 0, connectsRefused: {}, framesIn: 0, badFrames: {}, skippedBytes: 0, confirms: 0, denies: 0,
    heartbeats: 0, events: 0, readings: 0, storeFailures: 0, commandsSent: 0, answers: 0,
  };
}
