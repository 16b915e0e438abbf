import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import type { RequestListener } from 'node:http';
import type { Gateway } from '../create-gateway.js';
import { inspectorRoutes } from '../inspector/routes.js';
import { localOnly } from './guard.js';
import { internalError, managementApi, notFound } from './management-api.js';

/**
 * The admin server's requests: a Hono app (REST routes are what Hono is for) — the management
 * API, and the request inspector beside it (its page at `/`). For local clients only (guard.ts):
 * it can make the gateway run any handler file. Its own module, loaded by server.ts on the first
 * admin request, so that `localgw start` is ready without loading Hono (issue 17).
 */
export function adminRequestListener(gateway: Gateway, options: { apiUrl: string | undefined }): RequestListener {
  // The inspector's page and API beside the management API: no path of one is a path of the other.
  const app = new Hono();
  app.use(localOnly());
  app.route('/', inspectorRoutes(gateway, { apiUrl: () => options.apiUrl }));
  app.route('/', managementApi(gateway, { apiUrl: options.apiUrl }));
  app.notFound(notFound);
  app.onError(internalError(gateway));
  // overrideGlobalObjects: false keeps Node's own Request and Response for the rest of the process.
  return getRequestListener(app.fetch, { overrideGlobalObjects: false });
}
