// FireNet as a separate process (`tsx main.ts`), for tests that kill it.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The one way a test or `npm run cluster` finds a free loopback port. */
export { freePort } from '../../platform/cluster/local/ports.js';

export interface FireNetProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string | null>;
}

/** Starts FireNet and resolves once it logs that it runs (or rejects with its output if it exits first). */
export function spawnFireNet(env: Record<string, string>, readyPattern: RegExp | null = /FireNet running/): Promise<FireNetProcess> {
  // tsx as a loader in this very process (its CLI would fork a child that a SIGKILL leaves behind)
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: root,
    env: { ...process.env, HTTP_HOST: '127.0.0.1', MQTT_HOST: '127.0.0.1', LOG_LEVEL: 'info', GB26875_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += String(d); });
  child.stderr!.on('data', (d) => { out += String(d); });
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const proc: FireNetProcess = { child, output: () => out, exited };
  if (!readyPattern) return Promise.resolve(proc);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`FireNet did not start:\n${out}`)); }, 60_000);
    child.stdout!.on('data', () => {
      if (readyPattern.test(out)) { clearTimeout(timer); resolve(proc); }
    });
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`FireNet exited (${code}) before it was ready:\n${out}`)); });
  });
}
