// Gateway counters, read by /api/health (and /metrics later).
export interface GatewayStats {
  connectsAccepted: number;
  connectsRefused: Record<string, number>;
  /** Refused sign-ins answered late, because their client id or address kept being refused. */
  refusalsDelayed: number;
  messagesIn: Record<string, number>;
  badMessages: number;
  publishesDropped: number;
  subscriptionsRefused: number;
  storeFailures: number;
  /** Messages dropped because their device was over its rate. */
  throttled: number;
  /** Connections closed for a packet over the hard size cap. */
  oversizePackets: number;
  /** QoS 0 readings dropped because too many waited behind events (reading-queue.ts). */
  readingsShed: number;
}

export function newGatewayStats(): GatewayStats {
  return { connectsAccepted: 0, connectsRefused: {}, refusalsDelayed: 0, messagesIn: {}, badMessages: 0, publishesDropped: 0, subscriptionsRefused: 0, storeFailures: 0, throttled: 0, oversizePackets: 0, readingsShed: 0 };
}

export function bump(counter: Record<string, number>, key: string): void {
  counter[key] = (counter[key] ?? 0) + 1;
}
