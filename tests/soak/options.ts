// `npm run soak -- --minutes N [...]`: the command line, one zod-validated object.
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const faultKinds = ['kill', 'pg', 'fuzz'] as const;
export type FaultKind = (typeof faultKinds)[number];

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const SoakOptions = z.object({
  minutes: z.coerce.number().positive().max(24 * 60).default(10),
  /** Smoke detectors of the load generator, and their events per minute each. */
  devices: count(1, 500).default(40),
  rate: z.coerce.number().positive().max(600).default(20),
  /** The demo fleet FireNet simulates in-process (FIRENET_DEMO_DEVICES); small on a 2-core machine. */
  demoDevices: count(0, 100_000).default(300),
  /** Mean seconds between faults; by default a fifth of the run, between 20 s and 2 minutes. */
  faultEvery: z.coerce.number().positive().optional(),
  faults: z.string().default(faultKinds.join(','))
    .transform((s) => s.split(',').map((k) => k.trim()).filter(Boolean))
    .pipe(z.array(z.enum(faultKinds))),
  seed: count(0, 2 ** 31 - 1).default(() => Math.floor(Math.random() * 2 ** 31)),
  /** RSS growth that fails the run, in MB per 10 minutes (see memoryTrend in stats.ts). */
  rssLimit: z.coerce.number().positive().default(20),
  keep: z.boolean().default(false),
});
export type SoakOptions = z.infer<typeof SoakOptions>;

const USAGE = `usage: npm run soak -- [--minutes 10] [--devices 40] [--rate 20] [--demo-devices 300]
                     [--fault-every SEC] [--faults kill,pg,fuzz] [--seed N] [--rss-limit 20] [--keep]`;

export function readOptions(argv: string[]): SoakOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string' }, devices: { type: 'string' }, rate: { type: 'string' }, 'demo-devices': { type: 'string' },
      'fault-every': { type: 'string' }, faults: { type: 'string' }, seed: { type: 'string' }, 'rss-limit': { type: 'string' },
      keep: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { process.stdout.write(`${USAGE}\n`); process.exit(0); }
  const parsed = SoakOptions.safeParse({
    minutes: values.minutes, devices: values.devices, rate: values.rate, demoDevices: values['demo-devices'],
    faultEvery: values['fault-every'], faults: values.faults, seed: values.seed, rssLimit: values['rss-limit'], keep: values.keep,
  });
  if (!parsed.success) {
    const flag = (path: PropertyKey[]) => path.join('.').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const lines = parsed.error.issues.map((i) => `  --${flag(i.path)}: ${i.message}`);
    process.stderr.write(`${USAGE}\n${lines.join('\n')}\n`);
    process.exit(2);
  }
  return parsed.data;
}
