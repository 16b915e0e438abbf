import { afterAll, describe, expect, it } from 'vitest';
import { createGateway, startGateway, type LocalgwConfig } from 'localgw';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { http } from './helpers/http.js';
import { tempProject } from './helpers/project.js';
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
