// The bare aedes reference's parent side (the broker itself runs in aedes-child.mjs).
import { startChild, type Child } from '../lib/child.js';
import type { Target } from '../load/mqtt-raw.js';

export interface Counted { telemetry: number; events: number; at: number; lastAt: number }

export interface BareAedes { pid: number; target: Target; child: Child; stop(): Promise<void> }

export async function startBareAedes(): Promise<BareAedes> {
  const child = startChild('servers/aedes-child.mjs', {});
  const { port } = await child.next<{ type: 'ready'; port: number }>('ready', 30_000);
  return { pid: child.pid, target: { host: '127.0.0.1', port }, child, stop: () => child.stop() };
}
