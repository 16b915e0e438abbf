import { getRequestListener } from '@hono/node-server';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Gateway } from '../create-gateway.js';
import { LocalgwError } from '../errors.js';
import { bind, trackSockets } from '../server.js';
import { inspectorRoutes } from '../inspector/routes.js';
import { internalError, managementApi, notFound } from './management-api.js';
import { Hono } from 'hono';
import { localOnly } from './guard.js';

export interface AdminServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface AdminServerOptions {
  port: number;
  host: string;
  /** The data plane's URL, for the APIs' `apiEndpoint`. */
  apiUrl: string | undefined;
}

/**
 * The admin server: control-plane HTTP on its own port (DESIGN.md, "admin endpoint"), a Hono
 * app (REST routes are what Hono is for) — the management API, and the request inspector
 * beside it (its page at `/`). On loopback whatever `--host` says, and for local clients only
 * (guard.ts): it can make the gateway run any handler file. The data plane's single request path
 * never sees these requests.
 */
export async function startAdminServer(gateway: Gateway, options: AdminServerOptions): Promise<AdminServer> {
  // The inspector's page and API beside the management API: no path of one is a path of the other.
  const app = new Hono();
  app.use(localOnly());
  app.route('/', inspectorRoutes(gateway, { apiUrl: () => options.apiUrl }));
  app.route('/', managementApi(gateway, { apiUrl: options.apiUrl }));
  app.notFound(notFound);
  app.onError(internalError(gateway));
  // overrideGlobalObjects: false keeps Node's own Request and Response for the rest of the process.
  const server: Server = createServer(getRequestListener(app.fetch, { overrideGlobalObjects: false }));
  server.keepAliveTimeout = 5_000;
  const sockets = trackSockets(server);
  await bind(server, options.port, options.host, (error) => {
    const hint = error.code === 'EADDRINUSE' ? ` (port ${options.port} is in use: pick another with --admin-port, --admin-port 0 for any free port, or --no-admin)` : '';
    return new LocalgwError('ERR_LISTEN', `Cannot start the admin server on ${options.host}:${options.port}: ${error.message}${hint}`, { cause: error });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // A management call is quick: whatever is still open after a moment is cut.
        setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, 500).unref();
      }),
  };
}
