import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, startGateway, type LocalgwConfig } from 'localgw';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { http } from './helpers/http.js';
import { rawRequest } from './helpers/raw-http.js';
import { REPO, tempProject } from './helpers/project.js';
import { ECHO_HANDLER } from './fixtures/handlers.js';

// DESIGN.md "Who uses it" 2: a test suite starts the emulator, sends real requests, stops it.
// Only the public `localgw` entry point is used, as a user's project would.

const project = tempProject({
  'handlers/echo.mjs': ECHO_HANDLER,
  'localgw.config.json': {
    authorizers: { main: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['client-a', 'client-b'] } },
    routes: {
      'GET /items/{id}': { handler: 'handlers/echo.handler', authorizer: 'main', authorizationScopes: ['items/read'] },
      'GET /open': 'handlers/echo.handler',
    },
  },
});
afterAll(() => project.cleanup());

describe('startGateway()', () => {
  it('serves a config file on a free port and mints tokens its authorizer accepts', async () => {
    const gw = await startGateway({ config: project.path('localgw.config.json'), port: 0 });
    try {
      expect(gw.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await http(`${gw.url}/items/1`)).status).toBe(401);
      const token = await gw.token({ authorizer: 'main', sub: 'alice', scope: 'items/read' });
      const res = await http(`${gw.url}/items/1`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const claims = res.json().event.requestContext.authorizer.jwt.claims;
      expect(claims).toMatchObject({ sub: 'alice', iss: 'https://issuer.example.com', aud: 'client-a', scope: 'items/read' });
    } finally {
      await gw.close();
    }
  });

  it('accepts an inline config whose handlers are functions', async () => {
    const config: LocalgwConfig = {
      stageVariables: { env: 'test' },
      routes: {
        'GET /items/{id}': { handler: async (event: any) => ({ id: event.pathParameters.id, env: event.stageVariables.env }) },
        'POST /fail': { handler: async () => { throw new Error('nope'); } },
      },
    };
    const gw = await startGateway({ config, port: 0, cwd: project.dir });
    try {
      expect((await http(`${gw.url}/items/42`)).json()).toEqual({ id: '42', env: 'test' });
      const failed = await http(`${gw.url}/fail`, { method: 'POST' });
      expect(failed.status).toBe(500);
      expect(failed.json()).toEqual({ message: 'Internal Server Error' });
    } finally {
      await gw.close();
    }
  });

  it('passes env to every handler; a route environment wins', async () => {
    const gw = await startGateway({ config: project.path('localgw.config.json'), port: 0, env: { TABLE: 'from-env' } });
    try {
      expect((await http(`${gw.url}/open`)).json().env.TABLE).toBe('from-env');
    } finally {
      await gw.close();
    }
  });

  it('close() is idempotent and frees the port', async () => {
    const gw = await startGateway({ config: project.path('localgw.config.json'), port: 0 });
    const port = gw.port;
    await Promise.all([gw.close(), gw.close()]);
    await gw.close();
    await expect(listenOn(port)).resolves.toBe(true);
  });

  it('await using closes the gateway at the end of the scope', async () => {
    let url: string;
    {
      await using gw = await startGateway({ config: project.path('localgw.config.json'), port: 0 });
      url = gw.url;
      expect((await http(`${url}/open`)).status).toBe(200);
    }
    await expect(http(`${url}/open`)).rejects.toThrow();
  });

  it('reports an invalid inline config with the path of the field', async () => {
    await expect(startGateway({ config: { routes: { 'GET /x': { handler: 'h.x', authorizer: 'none' } } } as LocalgwConfig, port: 0 })).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      details: { issues: [expect.objectContaining({ path: 'routes["GET /x"].authorizer' })] },
    });
  });

  it('starting and closing 50 gateways leaks no handles, workers or ports', async () => {
    // Warm up once so lazily created process-wide threads (libuv pool) exist before counting.
    const warm = await startGateway({ config: project.path('localgw.config.json'), port: 0 });
    await http(`${warm.url}/open`);
    await warm.close();
    const before = resourceCounts();
    const threadsBefore = threadCount();
    const ports: number[] = [];
    for (let i = 0; i < 50; i++) {
      const gw = await startGateway({ config: project.path('localgw.config.json'), port: 0 });
      ports.push(gw.port);
      // Spawn a worker every time, so workers are part of what must be cleaned up.
      expect((await http(`${gw.url}/open`)).status).toBe(200);
      await gw.close();
    }
    // Worker threads exit and client sockets close asynchronously (slower on a loaded machine):
    // wait for the counts to come back rather than for a fixed time. (Not expect.poll: its own
    // timer would be counted among the active timers.)
    const settled = await settle(() => {
      const after = resourceCounts();
      return (
        // At most as many as before: the warm-up server can still be closing when counted.
        (after.TCPServerWrap ?? 0) <= (before.TCPServerWrap ?? 0) &&
        (after.TCPSocketWrap ?? 0) <= (before.TCPSocketWrap ?? 0) &&
        (after.Timeout ?? 0) <= (before.Timeout ?? 0) &&
        // Worker threads are OS threads of this process; each leaked worker would add one.
        threadCount() <= threadsBefore
      );
    });
    expect(settled, JSON.stringify({ before, after: resourceCounts(), threadsBefore, threads: threadCount() })).toBe(true);
    for (const port of ports.slice(-5)) expect(await listenOn(port)).toBe(true);
  });
});

describe('requestContext.domainName keeps the Host the client used', () => {
  it("Hono's aws-lambda adapter, which rebuilds the URL from it, links to the gateway's port", async () => {
    // The adapter as users run it: its own package, imported by the handler file.
    // (hono's exports hide package.json; its main entry sits in dist/cjs/.)
    const hono = join(dirname(createRequire(join(REPO, 'packages/localgw/package.json')).resolve('hono')), '../..');
    const app = tempProject({
      'app.mjs': `
        import { Hono } from ${JSON.stringify(pathToFileURL(join(hono, 'dist/index.js')).href)};
        import { handle } from ${JSON.stringify(pathToFileURL(join(hono, 'dist/adapter/aws-lambda/index.js')).href)};
        const app = new Hono();
        app.get('/items/:id', (c) => c.json({ self: c.req.url, next: new URL('/items/2', c.req.url).href }));
        export const handler = handle(app);
      `,
    });
    const gw = await startGateway({ config: { routes: { 'GET /items/{id}': 'app.handler' } }, cwd: app.dir, port: 0 });
    try {
      const res = await http(`${gw.url}/items/1`);
      expect(res.status, res.text).toBe(200);
      // The adapter always writes https://; the host and port are the ones the client used.
      const { host } = new URL(gw.url);
      expect(res.json()).toEqual({ self: `https://${host}/items/1`, next: `https://${host}/items/2` });
    } finally {
      await gw.close();
      app.cleanup();
    }
  });
});

describe('createGateway() — the pipeline without a socket', () => {
  it('answers fetch Requests with the full pipeline', async () => {
    const gateway = await createGateway({ config: project.path('localgw.config.json') });
    try {
      const open = await gateway.fetch(new Request('http://localhost/open?x=1'));
      expect(open.status).toBe(200);
      expect(open.headers.get('apigw-requestid')).toMatch(/=$/);
      const { event } = (await open.json()) as { event: Record<string, unknown> };
      expect(event).toMatchObject({ rawPath: '/open', rawQueryString: 'x=1', routeKey: 'GET /open' });
      const missing = await gateway.fetch(new Request('http://localhost/nothing'));
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ message: 'Not Found' });
    } finally {
      await gateway.close();
    }
  });

  it('token() refuses an unusable expiresIn in its own words', async () => {
    const gateway = await createGateway({ config: project.path('localgw.config.json') });
    try {
      const refused = gateway.token({ authorizer: 'main', expiresIn: '1w' });
      await expect(refused).rejects.toMatchObject({ code: 'ERR_USAGE', message: 'token(): expiresIn "1w" is not a positive duration (seconds, or e.g. "15m", "1h", "7d")' });
    } finally {
      await gateway.close();
    }
  });

  it('§1.2 rejects a stage that is not a string (a number would match no path)', async () => {
    const stage = 2024 as unknown as string;
    await expect(createGateway({ config: project.path('localgw.config.json'), stage })).rejects.toMatchObject({
      code: 'ERR_USAGE',
      message: expect.stringContaining('stage 2024 (a number)'),
    });
  });
});

describe('createGateway().fetch() builds the same event as the HTTP server', () => {
  // One request table through both entry points: the bytes over a socket, and a fetch Request
  // for the same URL and headers. Header names are lower-case, as a fetch Request (and an HTTP/2
  // client) has them; Host is the URL's, Connection is what an HTTP/1.1 client adds.
  const table: Array<{ name: string; method: string; target: string; headers: Array<[string, string]>; body?: string }> = [
    { name: '2.0, query and cookies', method: 'GET', target: '/items/a%20b?q=Hello%20World&tag=x&tag=y&sort=-+createdAt', headers: [['accept', 'text/html, application/json'], ['user-agent', 'table/1'], ['cookie', 'a=1; b=2'], ['x-custom', 'v1']] },
    { name: '2.0, a JSON body', method: 'POST', target: '/items/1', headers: [['content-type', 'application/json'], ['user-agent', 'table/1']], body: '{"hello":"é"}' },
    { name: '2.0, a form body (base64)', method: 'PUT', target: '/items/2', headers: [['content-type', 'application/x-www-form-urlencoded']], body: 'a=1&b=2' },
    { name: '2.0, an encoded path', method: 'GET', target: '/items/caf%C3%A9%252F%3Fcut?x=1', headers: [] },
    { name: '1.0, names and multiValueHeaders', method: 'GET', target: '/v1/John%20Doe?tag=a&tag=b', headers: [['accept', '*/*'], ['user-agent', 'table/1'], ['x-forwarded-for', '203.0.113.9']] },
    { name: '1.0, a JSON body', method: 'POST', target: '/v1/x', headers: [['content-type', 'application/json']], body: '{"qty":2}' },
  ];

  const config = {
    routes: {
      'ANY /items/{id}': 'handlers/echo.handler',
      'ANY /v1/{id}': { handler: 'handlers/echo.handler', payloadFormatVersion: '1.0' as const },
    },
  };
  let gw: Awaited<ReturnType<typeof startGateway>>;
  let gateway: Awaited<ReturnType<typeof createGateway>>;
  beforeAll(async () => {
    gw = await startGateway({ config, cwd: project.dir, port: 0 });
    gateway = await createGateway({ config, cwd: project.dir });
  });
  afterAll(async () => {
    await gw?.close();
    await gateway?.close();
  });

  it.each(table)('$name: $method $target', async ({ method, target, headers, body }) => {
    const lines = [['host', 'api.example.test'], ...headers, ...(body === undefined ? [] : [['content-length', String(Buffer.byteLength(body))]])];
    const head = [`${method} ${target} HTTP/1.1`, ...lines.map(([name, value]) => `${name}: ${value}`)].join('\r\n');
    const overSocket = await rawRequest(gw.url, head, body === undefined ? '' : Buffer.from(body).toString('latin1'));
    const viaFetch = await gateway.fetch(new Request(`http://api.example.test${target}`, { method, headers, body }));
    expect(overSocket.status, overSocket.text).toBe(200);
    expect(viaFetch.status).toBe(200);
    const served = comparable(JSON.parse(overSocket.text).event);
    expect(comparable(((await viaFetch.json()) as { event: Event }).event)).toEqual(served);
    // The same for both, and what AWS delivers: no hop-by-hop Connection header (§10), and in
    // 1.0 the names API Gateway handles spelled its way, others as sent (§10; the trace id was
    // taken out above).
    expect(JSON.stringify(served)).not.toMatch(/"connection"/i);
    if (served.version === '1.0') {
      expect(Object.keys(served.headers)).toEqual(expect.arrayContaining(['Host', 'X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto']));
      expect(Object.keys(served.multiValueHeaders)).toEqual(Object.keys(served.headers));
      for (const name of Object.keys(served.headers)) expect(['accept', 'Content-Length', 'Content-Type', 'Host', 'User-Agent', 'X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto']).toContain(name);
    }
  });
});

type Event = Record<string, any>;

/** The event without what differs from one request to the next (ids and times). */
function comparable(event: Event): Event {
  const copy = structuredClone(event);
  const context = copy.requestContext;
  for (const key of ['requestId', 'extendedRequestId', 'time', 'timeEpoch', 'requestTime', 'requestTimeEpoch']) delete context[key];
  for (const map of [copy.headers, copy.multiValueHeaders]) {
    if (map === undefined) continue;
    for (const name of Object.keys(map)) if (name.toLowerCase() === 'x-amzn-trace-id') delete map[name];
  }
  return copy;
}

function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/** Checks `condition` every 20 ms for up to 10 s; true once it holds. */
async function settle(condition: () => boolean): Promise<boolean> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

/** Threads of this process (Linux /proc; CI and the dev machines here are Linux). */
function threadCount(): number {
  return readdirSync('/proc/self/task').length;
}

function listenOn(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
