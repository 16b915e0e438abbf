import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { toFetchResponse, type Gateway } from './create-gateway.js';
import { isClientAbort } from './server.js';
import { fromIncomingMessage } from './pipeline/to-gateway-request.js';

/**
 * The Hono app: one catch-all route, because API Gateway's routing (priority, `$default`,
 * stages) is the thing being emulated and lives in core. Hono gives us the server adapter and
 * the fetch-style boundary; the pipeline itself is `gateway.handle`.
 */
export function createApp(gateway: Gateway): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.all('*', async (c) => {
    const request = await fromIncomingMessage(c.env.incoming);
    return toFetchResponse(await gateway.handle(request), request.method);
  });
  app.onError((error, c) => {
    // The client is gone; nothing will read this answer, and it is not an internal error.
    if (isClientAbort(error)) return c.body(null, 400);
    // A bug in localgw itself must not take the server down; answer like API Gateway would.
    gateway.logger.error(`localgw internal error: ${error.stack ?? error.message}`);
    return c.json({ message: 'Internal Server Error' }, 500);
  });
  return app;
}
