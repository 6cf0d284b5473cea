// What the harness (run.ts) and the load generator (load.ts) say to each other over the IPC channel.
// Both ends are ours and run from the same checkout, so plain types are the contract.

export interface LoadJob {
  httpUrl: string;
  mqttUrl: string;
  adminPassword: string;
  /** Smoke detectors provisioned through the API, spread over a few sites. */
  devices: number;
  /** Mean events per device per minute (QoS 1), well under FireNet's per-device rate cap. */
  eventsPerDeviceMin: number;
}

/** What a device knows about one of its events: published, and acknowledged (PUBACK) or not. */
export interface PendingEvent { deviceId: string; eventId: string; type: string; ageMs: number }

export interface LoadStats {
  published: number;
  acked: number;
  pending: number;
  /** Devices with a CONNACK right now. */
  connected: number;
  /** CONNACKs received after the first one, over all devices. */
  reconnects: number;
  /** The oldest unacknowledged events (a handful), to name a blocked device while the run goes on. */
  oldest: PendingEvent[];
}

/** What one hostile payload of a fuzz burst is expected to do (see fuzz.ts). */
export type FuzzExpect =
  | 'store'   // valid however odd: acknowledged, and then it must be stored
  | 'refuse'  // a bad frame: acknowledged, counted on the device, never stored
  | 'either'  // valid to the schema but arguably unstorable: acknowledged, then stored or counted as bad
  | 'drop'    // another device's topic: acknowledged, stored under no device
  | 'close';  // over the MQTT packet cap: the connection is closed (QoS 0, nothing to acknowledge)

export interface FuzzCaseResult { name: string; expect: FuzzExpect; eventId: string | null; acked: boolean }

export interface FuzzResult {
  burst: number;
  deviceId: string;
  cases: FuzzCaseResult[];
  /** The good smoke.alarm sent right after the burst. */
  goodEventId: string;
  goodAcked: boolean;
  goodAckMs: number | null;
  /** CONNACKs the fuzz device got during the burst (the over-cap packet costs one). */
  connects: number;
  error: string | null;
}

export interface FinalReport {
  published: number;
  acked: Record<string, string[]>;
  unacked: PendingEvent[];
}

export type ToLoad =
  | { kind: 'stats' }
  | { kind: 'fuzz'; burst: number }
  | { kind: 'stop'; settleMs: number };

export type FromLoad =
  | { kind: 'ready'; devices: string[] }
  | { kind: 'alarm-sent'; deviceId: string; eventId: string; at: number }
  | { kind: 'stats'; stats: LoadStats }
  | { kind: 'fuzz-result'; result: FuzzResult }
  | { kind: 'final'; report: FinalReport }
  | { kind: 'fatal'; message: string };

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes of one machine. */
export const now = (): number => performance.timeOrigin + performance.now();
