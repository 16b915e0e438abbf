import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type RunningCli } from './helpers/cli.js';
import { http, type HttpResult } from './helpers/http.js';
import { tempProject } from './helpers/project.js';
import { API_HANDLERS } from './fixtures/cors-handlers.js';

// aws-behavior.md §2 and §1.7 over plain HTTP, against the built CLI: every CORS rule that can be
// seen from outside the gateway. The browser's view of the same rules is cors.browser.test.ts.

const ALLOWED = 'https://www.example.com';
const ALSO_ALLOWED = 'http://127.0.0.1:5173';
const OTHER = 'https://evil.example';

const ROUTES = {
  'GET /hello': 'handlers/api.echo',
  'POST /items': 'handlers/api.echo',
  'GET /boom': 'handlers/api.boom',
  'GET /protected': { handler: 'handlers/api.echo', authorizer: 'main' },
  'OPTIONS /routed/{proxy+}': 'handlers/api.options',
  'ANY /any/{proxy+}': 'handlers/api.echo',
};
const AUTHORIZERS = { main: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['my-client-id'] } };

// The seed document's table, with values a browser app would use.
const SEED_CORS = {
  allowOrigins: [ALLOWED, ALSO_ALLOWED],
  allowCredentials: true,
  exposeHeaders: ['Date', 'x-api-id'],
  maxAge: 300,
  allowMethods: ['GET', 'POST', 'DELETE'],
  allowHeaders: ['Authorization', 'Content-Type'],
};

const project = (cors: object | undefined) =>
  tempProject({
    'handlers/api.mjs': API_HANDLERS,
    'localgw.config.json': { ...(cors ? { cors } : {}), authorizers: AUTHORIZERS, routes: ROUTES },
  });

const projects = {
  seed: project(SEED_CORS),
  // The seed's own CLI example: `update-api --cors-configuration AllowOrigins="https://www.example.com"`.
  originsOnly: project({ allowOrigins: [ALLOWED] }),
  wildcard: project({ allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'] }),
  none: project(undefined),
};
let gw: Record<keyof typeof projects, RunningCli>;

beforeAll(async () => {
  const names = Object.keys(projects) as Array<keyof typeof projects>;
  const started = await Promise.all(names.map((name) => startCli(['--no-watch'], { cwd: projects[name].dir })));
  gw = Object.fromEntries(names.map((name, i) => [name, started[i]!])) as typeof gw;
});
afterAll(async () => {
  await Promise.all(Object.values(gw ?? {}).map((cli) => cli.stop()));
  for (const p of Object.values(projects)) p.cleanup();
});

/** The `access-control-*` response headers, for exact comparisons. */
function corsHeaders(res: HttpResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (name.startsWith('access-control-')) out[name] = String(value);
  }
  return out;
}

const preflight = (base: RunningCli, path: string, origin: string, method: string, headers?: string) =>
  http(base.url + path, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, ...(headers ? { 'access-control-request-headers': headers } : {}) },
  });

describe('§2.3 automatic preflight (CORS configured, no route matched the OPTIONS)', () => {
  it('answers 204 with an empty body and the configured preflight headers, without invoking anything', async () => {
    const res = await preflight(gw.seed, '/items?auto=1', ALLOWED, 'POST', 'authorization, content-type');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': ALLOWED,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET,POST,DELETE',
      'access-control-allow-headers': 'Authorization,Content-Type',
      'access-control-max-age': '300',
    });
    expect(res.headers['apigw-requestid']).toBeTruthy();
    // Answered by the gateway: the log shows no route, so no handler ran.
    await gw.seed.waitForOutput(/OPTIONS \/items\?auto=1 → \(no route\) · 204/);
  });

  it('§8 item 2: echoes the one requesting origin, never the configured list', async () => {
    const res = await preflight(gw.seed, '/items', ALSO_ALLOWED, 'DELETE');
    expect(res.headers['access-control-allow-origin']).toBe(ALSO_ALLOWED);
  });

  it.each([
    ['an origin not in allowOrigins', OTHER, 'POST', 'content-type', `origin ${OTHER} is not in cors.allowOrigins`],
    ['a method not in allowMethods', ALLOWED, 'PUT', undefined, 'method PUT is not in cors.allowMethods'],
    ['a header not in allowHeaders', ALLOWED, 'POST', 'content-type, x-not-allowed', 'header x-not-allowed is not in cors.allowHeaders'],
  ])('"Origin not allowed, or method/header not allowed": %s → 204 without any access-control-* header, and the log says why', async (_, origin, method, headers, reason) => {
    const res = await preflight(gw.seed, '/items', origin, method, headers);
    expect(res.status).toBe(204);
    expect(corsHeaders(res)).toEqual({});
    await gw.seed.waitForOutput(`CORS preflight refused: ${reason}`);
  });

  it('"Matching": with only allowOrigins configured (the seed\'s CLI example) no preflight matches, but simple requests get CORS headers', async () => {
    const pre = await preflight(gw.originsOnly, '/hello', ALLOWED, 'GET');
    expect(pre.status).toBe(204);
    expect(corsHeaders(pre)).toEqual({});
    const simple = await http(`${gw.originsOnly.url}/hello`, { headers: { origin: ALLOWED } });
    expect(corsHeaders(simple)).toEqual({ 'access-control-allow-origin': ALLOWED });
  });

  it('with "*" origins, methods and headers: "*" origin, and the requested method and headers echoed (browsers never let "*" cover Authorization)', async () => {
    const res = await preflight(gw.wildcard, '/items', OTHER, 'PATCH', 'authorization, x-custom');
    expect(res.status).toBe(204);
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'PATCH',
      'access-control-allow-headers': 'authorization, x-custom',
    });
  });
});

describe('§2.2 when CORS headers are produced', () => {
  it('a request without Origin gets no CORS headers', async () => {
    const res = await http(`${gw.seed.url}/hello`);
    expect(res.status).toBe(200);
    expect(corsHeaders(res)).toEqual({});
  });

  it('§10 OPTIONS with Origin but no Access-Control-Request-Method, no route: 204 with only date and apigw-requestid (no CORS headers, no content-type)', async () => {
    for (const origin of [ALLOWED, OTHER]) {
      const res = await http(`${gw.seed.url}/items?case=options-${origin === ALLOWED ? 'allowed' : 'other'}`, { method: 'OPTIONS', headers: { origin } });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      // Beyond these, only what HTTP/1.1 itself needs (as in AWS's own captures: connection).
      const { date, 'apigw-requestid': requestId, connection, 'keep-alive': keepAlive, ...rest } = res.headers;
      expect([date, requestId, connection, keepAlive].map((v) => typeof v)).toEqual(['string', 'string', 'string', 'string']);
      expect(rest).toEqual({});
    }
    await gw.seed.waitForOutput('OPTIONS /items?case=options-allowed → (no route) · 204');
  });

  it('an OPTIONS without Origin that no route matches stays 404 (AWS unverified), and a routed one still reaches its route', async () => {
    const res = await http(`${gw.seed.url}/items`, { method: 'OPTIONS' });
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ message: 'Not Found' });
    const routed = await http(`${gw.seed.url}/any/thing`, { method: 'OPTIONS', headers: { origin: ALLOWED } });
    expect(routed.json()).toMatchObject({ routeKey: 'ANY /any/{proxy+}', method: 'OPTIONS' });
    expect(routed.headers['access-control-allow-origin']).toBe(ALLOWED);
  });

  it('with CORS configured, every access-control-* header from the backend is dropped and replaced', async () => {
    const res = await http(`${gw.seed.url}/hello`, { headers: { origin: ALLOWED } });
    expect(res.status).toBe(200);
    expect(res.headers['x-api-id']).toBe('api-123');
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': ALLOWED,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'Date,x-api-id',
    });
  });

  it('with CORS configured, a disallowed origin gets none, not even the backend\'s', async () => {
    const res = await http(`${gw.seed.url}/hello`, { headers: { origin: OTHER } });
    expect(res.status).toBe(200);
    expect(corsHeaders(res)).toEqual({});
  });

  it('without a CORS configuration, the backend\'s CORS headers pass through unchanged and nothing is added', async () => {
    const res = await http(`${gw.none.url}/hello`, { headers: { origin: ALLOWED } });
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': 'https://backend.example',
      'access-control-allow-methods': 'TRACE',
      'access-control-expose-headers': 'x-secret',
    });
    expect(res.headers.vary).toBe('Accept-Encoding');
  });
});

describe('§2.4 ordinary (non-preflight) CORS responses', () => {
  it('an allowed origin gets allow-origin, allow-credentials and expose-headers, and no preflight-only headers', async () => {
    const res = await http(`${gw.seed.url}/items`, {
      method: 'POST',
      headers: { origin: ALSO_ALLOWED, 'content-type': 'application/json' },
      body: '{"name":"x"}',
    });
    expect(res.status).toBe(200);
    expect(res.json().body).toBe('{"name":"x"}');
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': ALSO_ALLOWED,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'Date,x-api-id',
    });
  });

  it('a "*" origin entry answers "*"', async () => {
    const res = await http(`${gw.wildcard.url}/hello`, { headers: { origin: OTHER } });
    expect(corsHeaders(res)).toEqual({ 'access-control-allow-origin': '*' });
  });

  it.each([
    ['404, no route', '/nowhere', 404, 'Not Found'],
    ['401, JWT authorizer without a token', '/protected', 401, 'Unauthorized'],
    ['500, the handler threw', '/boom', 500, 'Internal Server Error'],
  ])('gateway-generated errors carry the CORS headers, so browser apps can read them: %s', async (_, path, status, message) => {
    const res = await http(gw.seed.url + path, { headers: { origin: ALLOWED } });
    expect(res.status).toBe(status);
    expect(res.json()).toEqual({ message });
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    // §10: captured on AWS's own 401 to an allowed origin.
    expect(res.headers.vary).toBe('origin');
  });
});

describe('§1.7 an OPTIONS request that matches a route goes to its integration', () => {
  it('"OPTIONS /{proxy+}"-style route: the integration answers, and the gateway adds the preflight headers (replacing the integration\'s)', async () => {
    const res = await preflight(gw.seed, '/routed/a/b', ALLOWED, 'POST', 'authorization');
    expect(res.status).toBe(204);
    expect(res.headers['x-handled-by']).toBe('OPTIONS /routed/{proxy+}');
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': ALLOWED,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'Date,x-api-id',
      'access-control-allow-methods': 'GET,POST,DELETE',
      'access-control-allow-headers': 'Authorization,Content-Type',
      'access-control-max-age': '300',
    });
    await gw.seed.waitForOutput(/OPTIONS \/routed\/a\/b → OPTIONS \/routed\/\{proxy\+\} · 204/);
  });

  it('a routed preflight from a disallowed origin still reaches the integration, and gets no CORS headers', async () => {
    const res = await preflight(gw.seed, '/routed/x', OTHER, 'POST');
    expect(res.headers['x-handled-by']).toBe('OPTIONS /routed/{proxy+}');
    expect(corsHeaders(res)).toEqual({});
  });

  it('an ANY route catches the preflight: the Lambda receives the OPTIONS request (SAM #1603 row)', async () => {
    const res = await preflight(gw.seed, '/any/thing', ALLOWED, 'DELETE');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ routeKey: 'ANY /any/{proxy+}', method: 'OPTIONS' });
    expect(res.headers['access-control-allow-methods']).toBe('GET,POST,DELETE');
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
  });
});

describe('§2.5 OPTIONS when CORS is not configured', () => {
  it('is an ordinary method: 404 when no route matches, no CORS headers', async () => {
    const res = await preflight(gw.none, '/items', ALLOWED, 'POST');
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ message: 'Not Found' });
    expect(corsHeaders(res)).toEqual({});
  });

  it('goes to a matching ANY route, whose response passes through untouched', async () => {
    const res = await preflight(gw.none, '/any/thing', ALLOWED, 'POST');
    expect(res.json()).toMatchObject({ routeKey: 'ANY /any/{proxy+}', method: 'OPTIONS' });
    expect(res.headers['access-control-allow-origin']).toBe('https://backend.example');
  });
});

describe('Vary', () => {
  it('§10 an allowed origin gets "vary: origin", as captured; the backend\'s own Vary is kept and extended', async () => {
    const withOrigin = await http(`${gw.seed.url}/hello`, { headers: { origin: ALLOWED } });
    expect(withOrigin.headers.vary).toBe('Accept-Encoding, origin');
    const protectedRes = await http(`${gw.seed.url}/protected`, { headers: { origin: ALLOWED } });
    expect(protectedRes.status).toBe(401);
    expect(protectedRes.headers.vary).toBe('origin');
  });

  it('DEVIATION (AWS unknown): also without Origin and for a refused origin, so a cache never serves one origin\'s answer to another', async () => {
    expect((await http(`${gw.seed.url}/nowhere`)).headers.vary).toBe('origin');
    expect((await http(`${gw.seed.url}/nowhere`, { headers: { origin: OTHER } })).headers.vary).toBe('origin');
  });

  it('an automatic preflight answer varies on all three request headers it depends on', async () => {
    const res = await preflight(gw.seed, '/items', ALLOWED, 'POST');
    expect(res.headers.vary).toBe('origin, access-control-request-method, access-control-request-headers');
  });
});
