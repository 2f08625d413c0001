import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * The dependency an attacker (or a bad day) gives us: it accepts the TCP connection and then says
 * nothing, or (`stallBody`) sends the status and headers and a first piece of the body and then stalls.
 * A client without a total timeout waits on it until the Lambda timeout.
 */
export interface BlackHole {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Connections accepted so far: proof the client got through to it (and was not refused). */
  connections(): number;
  /** Connections still open: 0 once the client has given up and closed them. */
  openConnections(): number;
  stop(): Promise<void>;
}

async function listening(server: ReturnType<typeof createServer> | ReturnType<typeof createHttpServer>): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Accepts connections and never reads an answer back. */
export async function startBlackHole(): Promise<BlackHole> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    // Read and drop: the request goes out, no answer comes back.
    socket.resume();
  });
  const url = await listening(server);
  return {
    url,
    connections: () => accepted,
    openConnections: () => sockets.size,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers every request with 200, these headers and `firstBytes` of body, then stalls until stopped. */
export async function startStalledBody(headers: Record<string, string>, firstBytes: Buffer): Promise<BlackHole> {
  const open = new Set<ServerResponse>();
  let accepted = 0;
  const server = createHttpServer((req, res) => {
    accepted++;
    req.resume();
    open.add(res);
    res.on('close', () => open.delete(res));
    res.writeHead(200, headers);
    res.write(firstBytes);
  });
  const url = await listening(server);
  return {
    url,
    connections: () => accepted,
    openConnections: () => open.size,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
