import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Gateway } from '../create-gateway.js';
import type { TraceSummary } from './trace.js';

/**
 * The request inspector's HTTP side (issue 20), mounted on the admin server: the page and its
 * script, the request list and each request's story as JSON, a live stream of new requests
 * (server-sent events: one-way is all the page needs, and it reconnects by itself), replay,
 * and the route table, reload history and functions views. Watching (an open stream) is what
 * turns on full traces in the pipeline.
 */
export function inspectorRoutes(gateway: Gateway, options: { apiUrl: () => string | undefined }): Hono {
  const app = new Hono();
  const assets = loadAssets();

  app.get('/', (c) => c.html(assets.html));
  app.get('/inspector/app.js', (c) => c.body(assets.script, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }));
  app.get('/inspector/app.css', (c) => c.body(assets.style, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }));
  // Its own icon: a browser asks for /favicon.ico, and a 404 there is a console error.
  app.get('/favicon.ico', (c) => c.body(FAVICON, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=86400' }));
  app.get('/favicon.svg', (c) => c.body(FAVICON, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=86400' }));

  app.get('/inspector/api/info', (c) => c.json({ apiUrl: options.apiUrl(), capacity: gateway.inspector.capacity }));
  app.get('/inspector/api/requests', (c) => c.json({ capacity: gateway.inspector.capacity, requests: gateway.inspector.list() }));
  app.get('/inspector/api/requests/:id', (c) => {
    const id = c.req.param('id');
    const trace = gateway.inspector.get(id);
    if (trace) return c.json(trace);
    const summary = gateway.inspector.list().find((s) => s.requestId === id);
    return summary ? c.json({ summary, detailed: false }, 200) : c.json({ message: `no request ${id} in the inspector's last ${gateway.inspector.capacity}` }, 404);
  });

  app.get('/inspector/api/stream', (c) =>
    streamSSE(c, async (stream) => {
      const queue: TraceSummary[] = [];
      let wake: (() => void) | undefined;
      const stop = gateway.inspector.watch((summary) => {
        queue.push(summary);
        wake?.();
      });
      let open = true;
      stream.onAbort(() => {
        open = false;
        stop();
        wake?.();
      });
      try {
        await stream.writeSSE({ event: 'hello', data: JSON.stringify({ capacity: gateway.inspector.capacity }) });
        while (open) {
          if (queue.length === 0) {
            // A comment line now and then keeps proxies and the browser from timing the stream out.
            await Promise.race([new Promise<void>((resolve) => (wake = resolve)), new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref())]);
            wake = undefined;
            if (queue.length === 0 && open) await stream.write(': keep-alive\n\n');
            continue;
          }
          for (const summary of queue.splice(0)) await stream.writeSSE({ event: 'request', data: JSON.stringify(summary) });
        }
      } finally {
        stop();
      }
    }),
  );

  // Sends the same request again, to the data plane, as a client would: a new row appears.
  app.post('/inspector/api/requests/:id/replay', async (c) => {
    const trace = gateway.inspector.get(c.req.param('id'));
    if (!trace) return c.json({ message: 'only a request recorded in full (while the inspector was open) can be replayed' }, 404);
    const base = options.apiUrl() ?? 'http://localhost';
    const headers = new Headers();
    for (let i = 0; i < trace.request.headers.length; i += 2) {
      const name = trace.request.headers[i]!;
      if (!/^(host|content-length|connection|transfer-encoding|keep-alive|expect)$/i.test(name)) headers.append(name, trace.request.headers[i + 1]!);
    }
    const body = trace.request.body && !trace.request.body.truncated ? Buffer.from(trace.request.body.text, trace.request.body.encoding) : undefined;
    const target = `${base}${trace.request.rawPath}${trace.request.rawQueryString ? `?${trace.request.rawQueryString}` : ''}`;
    const res = await gateway.fetch(new Request(target, { method: trace.request.method, headers, ...(body !== undefined && trace.request.method !== 'GET' && trace.request.method !== 'HEAD' && { body }) }));
    await res.arrayBuffer();
    const newest = gateway.inspector.list()[0];
    return c.json({ status: res.status, requestId: res.headers.get('apigw-requestid') ?? newest?.requestId });
  });

  app.get('/inspector/api/routes', (c) =>
    c.json({
      apis: gateway.generations().map((g) => ({
        apiId: g.apiId,
        stage: g.model.stage,
        routes: g.model.matcher.routes.map(({ target }) => ({
          routeKey: target.routeKey,
          integration: target.integration.type === 'http' ? `→ ${target.integration.url}` : typeof target.integration.handler === 'function' ? '→ (inline function)' : `→ ${target.integration.handler}`,
          authorizer: target.authorizer,
          scopes: target.authorizationScopes ?? [],
        })),
      })),
      warnings: gateway.warnings(),
    }),
  );
  app.get('/inspector/api/reloads', (c) => c.json({ reloads: gateway.inspector.reloads() }));
  app.get('/inspector/api/functions', (c) => c.json({ functions: gateway.functions() }));
  return app;
}

interface Assets {
  html: string;
  script: string;
  style: string;
}

/** The page, from the bundle the build writes beside this module (`dist/inspector/ui/`). */
function loadAssets(): Assets {
  // Beside the compiled module (dist/inspector/), or, when this runs from source (the unit
  // tests), in the package's dist.
  const at = (name: string) => {
    for (const dir of ['./ui/', '../../dist/inspector/ui/']) {
      try {
        return readFileSync(fileURLToPath(new URL(`${dir}${name}`, import.meta.url)), 'utf8');
      } catch {
        // next place
      }
    }
    return undefined;
  };
  const script = at('app.js');
  const style = at('app.css') ?? '';
  const missing = '/* the inspector UI is not built: run `npm run build` */';
  return { html: PAGE, script: script ?? `document.body.textContent = ${JSON.stringify('The inspector UI is not built: run npm run build.')}; ${missing}`, style };
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>localgw inspector</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/inspector/app.css">
</head>
<body>
<div id="app"></div>
<script type="module" src="/inspector/app.js"></script>
</body>
</html>
`;

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#2f6fde"/><path d="M7 9h18M7 16h12M7 23h18" stroke="#fff" stroke-width="3" stroke-linecap="round"/></svg>`;
