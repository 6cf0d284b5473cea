// Telemetry as the stores see it: one reading per frame, tagged with where the device is.
import type { DeviceFamily } from '../../contracts/device-api.js';

export interface Reading {
  deviceId: string;
  family: DeviceFamily;
  siteId: string;
  regionCode: string;
  /** Charging-station port, when the frame was for one. */
  port: number | null;
  /** Epoch ms: the device's timestamp, or receipt time when it gave none or an absurd one. */
  ts: number;
  metrics: Record<string, number | boolean>;
}

/** An archive that readings are copied to (InfluxDB). It must never make ingest wait. */
export interface ArchiveSink {
  /** Queues readings; returns at once. */
  write(readings: readonly Reading[]): void;
  /** For /api/health and /metrics. */
  status(): ArchiveStatus;
  /** Flushes what it can and stops (the on-disk queue keeps the rest for the next start). */
  close(): Promise<void>;
}

export interface ArchiveStatus {
  kind: string;
  /** up: writing; down: the last write failed and readings are queued on disk. */
  state: 'up' | 'down';
  queueDepth: number;
  written: number;
  dropped: number;
  lastError: string | null;
}
