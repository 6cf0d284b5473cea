import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Where to look for a free port: below the kernel's ephemeral range. A port the kernel handed out (listen(0)) is
 * free only until it hands it out again, as the local end of some process's next outgoing connection: between the
 * asking and the listening, another test's client could take it (EADDRINUSE). Ports below that range are never
 * handed out, so only a server that picked the same one could. Null: the range is unknown (not Linux).
 */
function belowEphemeral(): [number, number] | null {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low && low > 11_000 ? [10_000, low - 1] : null;
  } catch {
    return null;
  }
}

const range = belowEphemeral();

function listenOn(port: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(null) : reject(err)));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}

/** A loopback port free at the moment of asking, chosen where no outgoing connection will take it meanwhile. */
export async function freePort(): Promise<number> {
  if (range) {
    for (let attempt = 0; attempt < 100; attempt++) {
      const port = await listenOn(range[0] + Math.floor(Math.random() * (range[1] - range[0] + 1)));
      if (port) return port;
    }
  }
  const port = await listenOn(0);
  if (!port) throw new Error('no free loopback port');
  return port;
}
