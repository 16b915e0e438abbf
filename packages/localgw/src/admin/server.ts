import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Gateway } from '../create-gateway.js';
import { LocalgwError } from '../errors.js';
import { escapeLogText } from '../log-text.js';
import { bind, trackSockets } from '../server.js';

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
 * The admin server: control-plane HTTP on its own port (DESIGN.md, "admin endpoint"), the
 * management API and the request inspector (app.ts). On loopback whatever `--host` says, and for
 * local clients only (guard.ts). The data plane's single request path never sees these requests.
 *
 * The port is bound here, so a port in use fails the start as before; the app (Hono, the
 * management API, the inspector: a good part of start-up's module loading) is loaded on the
 * first admin request, which the data plane need not wait for (issue 17).
 */
export async function startAdminServer(gateway: Gateway, options: AdminServerOptions): Promise<AdminServer> {
  let listener: Promise<RequestListener> | undefined;
  const server: Server = createServer((req, res) => {
    listener ??= import('./app.js').then(({ adminRequestListener }) => adminRequestListener(gateway, { apiUrl: options.apiUrl }));
    listener.then(
      (handle) => handle(req, res),
      // Only a broken install gets here (a module that cannot load): say so, as internalError does.
      (error: Error) => {
        gateway.logger.error(`admin ${req.method} ${escapeLogText(req.url ?? '')}: ${error.stack ?? error.message}`);
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `localgw failed: ${error.message}` }));
      },
    );
  });
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
