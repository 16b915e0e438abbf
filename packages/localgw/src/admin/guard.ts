import type { MiddlewareHandler } from 'hono';
import { randomUUID } from 'node:crypto';
import { errorResponse } from './errors.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** `localhost:3001` → `localhost`; `[::1]:3001` → `[::1]`. */
function hostname(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
}

/**
 * What only a local client may reach: the admin server can make the gateway run any handler
 * file and proxy to any URL, and it checks no credentials (the AWS CLI's signature cannot be
 * verified without AWS's keys). So it answers only requests addressed to a loopback name (a web
 * page that re-points its own domain at 127.0.0.1 — DNS rebinding — sends its own Host), and no
 * request that a web page of another origin sends: the AWS CLI and SDK never send `Origin`,
 * browsers always do on a cross-origin write, and the inspector's page is of this origin.
 */
export function localOnly(): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header('host') ?? '';
    const origin = c.req.header('origin');
    const refuse = (message: string) => errorResponse({ type: 'AccessDeniedException', statusCode: 403, message }, randomUUID());
    if (!LOOPBACK.has(hostname(host).toLowerCase())) return refuse(`The admin server answers requests to 127.0.0.1 or localhost only, not to Host ${host}`);
    if (origin !== undefined && origin !== `http://${host}`) return refuse(`The admin server answers no request from a web page of another origin (${origin})`);
    await next();
  };
}
