// How a FireNet process is started, read from `npm start` (package.json's start script, the one place it is written):
// the environment it sets for the allocator and the Node options before `dist/main.js`. The local cluster and the
// benchmarks start their nodes with exactly this, so they measure and run what a user runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StartCommand {
  /** Variables the script sets before `node` (NAME=value). */
  env: Record<string, string>;
  /** Node's options, between `node` and the entry point. */
  nodeArgs: string[];
}

/** Splits `NAME=value ... node --option ... dist/main.js` into its environment and Node options. */
export function parseStartScript(script: string): StartCommand {
  const words = script.trim().split(/\s+/);
  const node = words.indexOf('node');
  if (node < 0) throw new Error(`the start script does not run node: ${script}`);
  const env: Record<string, string> = {};
  for (const word of words.slice(0, node)) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new Error(`the start script sets something other than a variable before node: ${word}`);
    env[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return { env, nodeArgs: words.slice(node + 1).filter((w) => w.startsWith('--')) };
}

/** The start command of the repository at `root`. */
export function startCommand(root: string): StartCommand {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return parseStartScript(pkg.scripts.start);
}
