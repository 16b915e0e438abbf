import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import type { Gateway } from './create-gateway.js';
import { LocalgwError } from './errors.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 3000;

export interface Listening {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves the gateway over HTTP. Binds loopback unless told otherwise (secure by default). */
export async function listen(gateway: Gateway, options: { port?: number; host?: string }): Promise<Listening> {
  const host = options.host ?? DEFAULT_HOST;
  const app = createApp(gateway);
  const server = createAdaptorServer({ fetch: app.fetch, hostname: host }) as Server;
  // Like API Gateway's idle timeout; long enough that clients reuse connections.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'EADDRINUSE' ? ` (port ${options.port} is in use: pick another with --port, or --port 0 for any free port)` : '';
      reject(new LocalgwError('ERR_LISTEN', `Cannot listen on ${host}:${options.port ?? DEFAULT_PORT}: ${error.message}${hint}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    port,
    url: `http://${urlHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets would hold close() open; requests in flight still finish.
        server.closeIdleConnections();
      }),
  };
}
