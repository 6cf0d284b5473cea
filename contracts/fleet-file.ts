// The fleet file: which simulated devices exist and how they log in.
// The platform's demo seeding writes it to DATA_DIR/demo-fleet.json; the simulators' CLI reads it
// (simulators/fleet-file.ts loads it from disk).
import { z } from 'zod';
import { DeviceFamily } from './device-api.js';

/** A device id lands in MQTT topics and client ids: no separators, wildcards or spaces. */
const DeviceId = z.string().min(1).max(64).regex(/^[^/+#\s]+$/, 'must not contain "/", "+", "#" or whitespace');

export const FleetDevice = z.object({
  id: DeviceId,
  family: DeviceFamily,
  secret: z.string().min(1),
  heartbeatSec: z.number().positive(),
  siteId: z.string().min(1),
  zone: z.string().min(1).optional(),
  /** A transmission device's GB/T 26875.3 address (12 hex digits): it speaks TCP, not MQTT, and has no use for `secret`. */
  gbAddress: z.string().regex(/^[0-9A-Fa-f]{12}$/).optional(),
});
export type FleetDevice = z.infer<typeof FleetDevice>;

export const FleetFile = z.object({
  devices: z.array(FleetDevice).superRefine((devices, ctx) => {
    const seen = new Set<string>();
    devices.forEach((d, i) => {
      if (seen.has(d.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate device id "${d.id}"` });
      seen.add(d.id);
    });
  }),
});
export type FleetFile = z.infer<typeof FleetFile>;

/** Validates already-parsed JSON; throws an Error whose message names each bad field. */
export function parseFleetFile(input: unknown, source = 'fleet file'): FleetFile {
  const r = FleetFile.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new Error(`${source} is invalid: ${issues}`);
}
