/**
 * Free ports for private Asterisk instances and phones. Test files run in parallel, so ports come
 * from a random spot of a high range and are checked (TCP and UDP) before use.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function udpFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

async function blockFree(start: number, count: number): Promise<boolean> {
  for (let port = start; port < start + count; port++) {
    if (!(await tcpFree(port)) || !(await udpFree(port))) return false;
  }
  return true;
}

/** `count` consecutive ports free on TCP and UDP, from 20000-59999. */
export async function freePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const start = 20000 + Math.floor(Math.random() * (40000 - count));
    if (await blockFree(start, count)) return start;
  }
  throw new Error(`no ${count} free consecutive ports`);
}

export async function freePort(): Promise<number> {
  return freePortBlock(1);
}
