// The parent side of a bench process: forked with its own event loop, so load generators, viewers and
// reference brokers never share the bench's (or FireNet's) CPU time slice.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { reapOnExit } from './reap.js';

export interface Message { type: string; [k: string]: any }

export interface Child {
  readonly pid: number;
  send(message: object): void;
  /** The next message of `type` (kept if it arrived before the call); rejects if the process exits first. */
  next<T extends Message = Message>(type: string, ms?: number): Promise<T>;
  /** Sends `message` and waits for the answer of type `reply` (by default the message's own type). */
  ask<T extends Message = Message>(message: Message, reply?: string, ms?: number): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Forks `file` (relative to bench/) and sends it `job` as its first message once it says hello. TypeScript files run
 * under tsx; a `.mjs` file runs on plain node, so no loader thread adds to what it measures.
 */
export function startChild(file: string, job: object): Child {
  const path = fileURLToPath(new URL(`../${file}`, import.meta.url));
  const child: ChildProcess = fork(path, [], {
    execArgv: path.endsWith('.mjs') ? [] : ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  reapOnExit(child);
  const inbox: Message[] = [];
  const waiting: { type: string; resolve(m: Message): void; reject(e: Error): void }[] = [];
  let exited: Error | null = null;
  child.on('message', (m: Message) => {
    if (m.type === 'hello') return child.send(job); // it listens now: a message sent earlier could be lost
    const i = waiting.findIndex((w) => w.type === m.type);
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(m);
    else inbox.push(m);
  });
  child.on('exit', (code, signal) => {
    exited = new Error(`${file} exited (${code ?? signal})`);
    for (const w of waiting.splice(0)) w.reject(exited);
  });

  const next = <T extends Message>(type: string, ms = 300_000) => new Promise<T>((resolve, reject) => {
    const i = inbox.findIndex((m) => m.type === type);
    if (i >= 0) return resolve(inbox.splice(i, 1)[0] as T);
    if (exited) return reject(exited);
    const timer = setTimeout(() => reject(new Error(`${file}: no "${type}" within ${ms} ms`)), ms);
    waiting.push({
      type,
      resolve: (m) => { clearTimeout(timer); resolve(m as T); },
      reject: (e) => { clearTimeout(timer); reject(e); },
    });
  });

  return {
    pid: child.pid!,
    send: (message) => { if (!exited) child.send(message); },
    next,
    ask(message, reply = message.type, ms) {
      const answer = next(reply, ms);
      child.send(message);
      return answer as any;
    },
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}
