// Prometheus metrics (/metrics): read from the counters each part already keeps, at scrape time.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { GatewayStats } from '../gateway/stats.js';
import type { GbStats } from '../gateway/gb26875/stats.js';
import type { ArchiveStatus } from './telemetry/types.js';

export interface MetricSources {
  gateway(): GatewayStats | null;
  connections(): number;
  /** The GB/T 26875.3 edge's counters and connected devices, when it runs. */
  gb26875(): (GbStats & { connected: number }) | null;
  ingest(): { events: number; duplicates: number; alarms: number };
  rules(): { evaluations: number };
  tickets(): { transitions: number };
  telemetry(): { written: number; failed: number; dropped: number };
  archive(): ArchiveStatus | null;
}

/** A counter whose value is read from elsewhere when scraped. */
function mirroredCounter(registry: Registry, name: string, help: string, labelNames: string[], read: (set: (labels: Record<string, string>, value: number) => void) => void): void {
  new Counter({
    name, help, labelNames, registers: [registry],
    collect() {
      this.reset();
      read((labels, value) => this.inc(labels, value));
    },
  });
}

export function createMetrics(sources: MetricSources): Registry {
  const registry = new Registry();
  // process memory, CPU, event-loop lag (nodejs_eventloop_lag_seconds), GC
  collectDefaultMetrics({ register: registry, prefix: 'firenet_' });

  mirroredCounter(registry, 'firenet_messages_in_total', 'Device messages received, by family and channel', ['family', 'channel'], (set) => {
    for (const [key, n] of Object.entries(sources.gateway()?.messagesIn ?? {})) {
      const slash = key.indexOf('/'); // "charging_station/commands/ack"
      set({ family: key.slice(0, slash), channel: key.slice(slash + 1) }, n);
    }
  });
  mirroredCounter(registry, 'firenet_bad_messages_total', 'Device messages refused as malformed (counted per device in the API)', [], (set) => set({}, sources.gateway()?.badMessages ?? 0));
  mirroredCounter(registry, 'firenet_readings_shed_total', 'QoS 0 readings dropped because too many waited behind events', [], (set) => set({}, sources.gateway()?.readingsShed ?? 0));
  mirroredCounter(registry, 'firenet_oversize_packets_total', 'MQTT connections closed for a packet over MQTT_MAX_PACKET_BYTES', [], (set) => set({}, sources.gateway()?.oversizePackets ?? 0));
  mirroredCounter(registry, 'firenet_throttled_total', 'Device messages dropped over the device\'s rate (counted per device in the API)', [], (set) => set({}, sources.gateway()?.throttled ?? 0));
  mirroredCounter(registry, 'firenet_publishes_dropped_total', 'Publishes outside the device\'s own topics', [], (set) => set({}, sources.gateway()?.publishesDropped ?? 0));
  mirroredCounter(registry, 'firenet_connects_refused_total', 'Refused MQTT connections, by reason', ['reason'], (set) => {
    for (const [reason, n] of Object.entries(sources.gateway()?.connectsRefused ?? {})) set({ reason }, n);
  });
  mirroredCounter(registry, 'firenet_events_total', 'Device events stored', [], (set) => set({}, sources.ingest().events));
  mirroredCounter(registry, 'firenet_alarms_raised_total', 'Fire alarms raised or repeated by device events', [], (set) => set({}, sources.ingest().alarms));
  mirroredCounter(registry, 'firenet_rule_evaluations_total', 'Inputs evaluated by the rules engine', [], (set) => set({}, sources.rules().evaluations));
  mirroredCounter(registry, 'firenet_ticket_transitions_total', 'Hazard ticket transitions made by people', [], (set) => set({}, sources.tickets().transitions));
  mirroredCounter(registry, 'firenet_telemetry_written_total', 'Readings stored in the embedded telemetry store', [], (set) => set({}, sources.telemetry().written));
  mirroredCounter(registry, 'firenet_telemetry_failed_total', 'Readings the embedded store could not take', [], (set) => set({}, sources.telemetry().failed));
  mirroredCounter(registry, 'firenet_telemetry_dropped_total', 'QoS 0 readings dropped because more arrived than the store takes', [], (set) => set({}, sources.telemetry().dropped));
  mirroredCounter(registry, 'firenet_archive_written_total', 'Readings written to the archive (InfluxDB)', [], (set) => set({}, sources.archive()?.written ?? 0));
  mirroredCounter(registry, 'firenet_archive_dropped_total', 'Readings dropped because the archive queue was full', [], (set) => set({}, sources.archive()?.dropped ?? 0));

  mirroredCounter(registry, 'firenet_gb26875_frames_total', 'GB/T 26875.3 frames read from transmission devices', [], (set) => set({}, sources.gb26875()?.framesIn ?? 0));
  mirroredCounter(registry, 'firenet_gb26875_bad_frames_total', 'GB/T 26875.3 frames refused, by problem (bad_checksum, bad_end, bad_length, bad_command, bad_unit)', ['problem'], (set) => {
    for (const [problem, n] of Object.entries(sources.gb26875()?.badFrames ?? {})) set({ problem }, n);
  });
  mirroredCounter(registry, 'firenet_gb26875_connects_refused_total', 'Refused transmission device connections, by reason', ['reason'], (set) => {
    for (const [reason, n] of Object.entries(sources.gb26875()?.connectsRefused ?? {})) set({ reason }, n);
  });
  mirroredCounter(registry, 'firenet_gb26875_confirms_total', 'GB/T 26875.3 confirms sent, each after what its frame carried was stored', [], (set) => set({}, sources.gb26875()?.confirms ?? 0));
  new Gauge({ name: 'firenet_gb26875_connections', help: 'Connected transmission devices (GB/T 26875.3)', registers: [registry], collect() { this.set(sources.gb26875()?.connected ?? 0); } });
  new Gauge({ name: 'firenet_mqtt_connections', help: 'Connected devices', registers: [registry], collect() { this.set(sources.connections()); } });
  new Gauge({ name: 'firenet_archive_queue_depth', help: 'Readings waiting on disk for the archive', registers: [registry], collect() { this.set(sources.archive()?.queueDepth ?? 0); } });
  new Gauge({ name: 'firenet_archive_up', help: '1 when the archive accepts writes, 0 when readings are queued on disk', registers: [registry], collect() { this.set(sources.archive()?.state === 'up' ? 1 : 0); } });
  return registry;
}
