import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The lowest port handed out: below it are the well-known and registered services' usual ports. */
const LOWEST_PORT = 10_000;
/** At least this many ports to choose from below the ephemeral range, or the ports above it are used instead. */
const MIN_CHOICES = 1000;
const ATTEMPTS = 100;
/** The range freePort() chooses from, read once. */
let choices: [number, number] | undefined;

/**
 * A port that was free on 127.0.0.1 a moment ago, for processes that cannot be told to listen on port 0. It is chosen
 * at random outside the kernel's ephemeral range: a port from `listen(0)` is in that range, and so is the local port
 * of every outgoing connection, so while other tests connect and listen, the port could be taken again before the
 * process binds it (a CI run failed with EADDRINUSE that way). Outside the range only another explicit choice of
 * the same port can take it.
 */
export async function freePort(): Promise<number> {
  const [low, high] = (choices ??= choiceRange());
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = randomInt(low, high + 1);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port on 127.0.0.1 in ${low}–${high} after ${ATTEMPTS} tries`);
}

/** The ports to choose from: below the ephemeral range if it leaves enough room, else above it. */
function choiceRange(): [number, number] {
  const [first, last] = ephemeralRange();
  return first - LOWEST_PORT >= MIN_CHOICES ? [LOWEST_PORT, first - 1] : [last + 1, 65_535];
}

/** The kernel's ephemeral port range (Linux's default when it cannot be read). */
function ephemeralRange(): [number, number] {
  try {
    const [first, last] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(first) && Number.isInteger(last)) return [first!, last!];
  } catch {
    // not Linux: fall through
  }
  return [32_768, 60_999];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
