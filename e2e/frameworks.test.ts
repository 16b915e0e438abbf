import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { startCli, startServer, type RunningCli } from './helpers/cli.js';
import { agent } from './helpers/http.js';

// A real, unmodified Express app (e2e/fixtures/express-app/app.js), deployed the usual way behind
// serverless-http (handler.js), served through localgw with payload 2.0 and 1.0, and on its own
// HTTP server (server.js). Every request goes to all three; the answers must be the same except where API
// Gateway itself makes them differ, and each such case says which rule of aws-behavior.md does.
// Every event is checked against @aws-lambda-powertools/parser's schemas first (validated.js).
// docs/testing.md "Running Express/serverless-http apps" lists the differences for users.

const FIXTURE = fileURLToPath(new URL('./fixtures/express-app/', import.meta.url));
// Set by validated.js on a response whose event failed its schema; never by the app.
const SCHEMA_ISSUES_HEADER = 'x-event-schema-issues';

type Target = 'native' | 'v2' | 'v1';
const servers = new Map<Target, RunningCli>();

beforeAll(async () => {
  const gateway = (config: string) => startCli(['--no-watch', '--config', join(FIXTURE, config)], { cwd: FIXTURE });
  const start: Record<Target, () => Promise<RunningCli>> = {
    native: () => startServer(join(FIXTURE, 'server.js'), [], { cwd: FIXTURE, env: { PORT: '0' } }),
    v2: () => gateway('localgw.config.json'),
    v1: () => gateway('localgw.v1.config.json'),
  };
  // Started together; whichever started is stopped by afterAll, even if another failed to.
  const started = await Promise.allSettled(Object.entries(start).map(async ([target, run]) => servers.set(target as Target, await run())));
  for (const result of started) if (result.status === 'rejected') throw result.reason;
});

afterAll(async () => {
  await Promise.all([...servers.values()].map((server) => server.stop()));
});

/** What a client sees of an answer, less what differs on every request (date, ids, connection). */
interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: unknown;
}

const PER_REQUEST = new Set(['date', 'connection', 'keep-alive', 'apigw-requestid', SCHEMA_ISSUES_HEADER]);

interface CaseRequest {
  method?: string;
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Uint8Array;
}

async function send(target: Target, req: CaseRequest): Promise<Answer> {
  const method = req.method ?? 'GET';
  const res = await request(servers.get(target)!.url + req.path, { method: method as 'GET', headers: req.headers, body: req.body, dispatcher: agent });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  const where = `${target}: ${method} ${req.path}`;
  if (target !== 'native') {
    expect(res.headers[SCHEMA_ISSUES_HEADER], `${where}: the event failed its powertools schema`).toBeUndefined();
    // §7.2: every answer carries the request id, and the gateway computes Content-Length.
    expect(res.headers['apigw-requestid'], where).toMatch(/^[\w+/-]{15}=$/);
    if (res.headers['content-length'] !== undefined) expect(res.headers['content-length'], where).toBe(String(bytes.length));
  }
  const headers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(res.headers)) if (!PER_REQUEST.has(name)) headers[name] = value;
  const type = String(res.headers['content-type'] ?? '');
  const body = type.includes('json') && bytes.length > 0 ? JSON.parse(bytes.toString()) : type.includes('octet-stream') ? bytes.toString('hex') : bytes.toString();
  return { status: res.statusCode, headers, body };
}

/** The native answer with another JSON body (and so another length and ETag). */
function withBody(answer: Answer, body: unknown): Answer {
  const length = String(Buffer.byteLength(JSON.stringify(body)));
  return { ...answer, headers: { ...answer.headers, 'content-length': length, etag: expect.stringMatching(/^W\/"/) }, body };
}

function withoutHeader(answer: Answer, name: string): Answer {
  const { [name]: _dropped, ...headers } = answer.headers;
  return { ...answer, headers };
}

/** The page Express's final handler sends for an error status. */
const expressErrorPage = (status: number, text: string): Answer => ({
  status,
  headers: {
    'content-length': expect.any(String),
    'content-security-policy': "default-src 'none'",
    'content-type': 'text/html; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'x-powered-by': 'Express',
  },
  body: expect.stringContaining(`<pre>${text}`),
});

/** A response API Gateway generates itself: the app is not reached (no X-Powered-By). */
const gatewayAnswer = (status: number, body: unknown): Answer => ({
  status,
  headers: { 'content-length': expect.any(String), 'content-type': 'application/json' },
  body,
});

interface Case {
  title: string;
  request: CaseRequest;
  /** Part of what the app answers on its own server: the premise of the case. */
  native: Partial<Answer>;
  /** The answer through API Gateway where API Gateway makes it differ, from the native one. */
  v2?: (native: Answer) => Answer;
  v1?: (native: Answer) => Answer;
}

/** The request headers an app sees through API Gateway for a request with only Host and X-Custom. */
const GATEWAY_REQUEST_HEADERS = ['content-length', 'host', 'x-amzn-trace-id', 'x-custom', 'x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto', 'x-request-id'];

const binary = Uint8Array.from([0x00, 0x01, 0x80, 0xfe, 0xff, 0xc3, 0x28, 0x0a]);

const CASES: Case[] = [
  {
    title: '§1.4 %20 in a path parameter: 2.0 gives the app the decoded rawPath, 1.0 the path as sent',
    request: { path: '/files/a%20b' },
    native: { status: 200, body: { name: 'a b', path: '/files/a%20b', originalUrl: '/files/a%20b' } },
    // serverless-http builds req.url from rawPath (2.0) or path (1.0, still encoded, §4.3).
    v2: (n) => withBody(n, { name: 'a b', path: '/files/a%20b', originalUrl: '/files/a b' }),
  },
  {
    title: '§1.4 (d) an encoded slash %2F is a real slash in 2.0: the one-segment Express route no longer matches',
    request: { path: '/files/a%2Fb' },
    native: { status: 200, body: { name: 'a/b', path: '/files/a%2Fb', originalUrl: '/files/a%2Fb' } },
    v2: () => expressErrorPage(404, 'Cannot GET /files/a/b'),
  },
  {
    title: '§1.4 unicode in a path parameter arrives decoded in 2.0',
    request: { path: '/files/caf%C3%A9' },
    native: { status: 200, body: { name: 'café', path: '/files/caf%C3%A9', originalUrl: '/files/caf%C3%A9' } },
    v2: (n) => withBody(n, { name: 'café', path: '/files/café', originalUrl: '/files/café' }),
  },
  {
    title: '§1.4 live capture (a): 2.0 decodes the path twice, so %2520 reaches the app as a space',
    request: { path: '/files/a%2520b' },
    native: { status: 200, body: { name: 'a%20b', path: '/files/a%2520b', originalUrl: '/files/a%2520b' } },
    v2: (n) => withBody(n, { name: 'a b', path: '/files/a%20b', originalUrl: '/files/a b' }),
  },
  {
    // The capture is of 2.0; the cut happens where the gateway reads the path, before routing,
    // so a 1.0 route sees the same path and parameters (its `path` stays encoded, §4.3).
    title: '§1.4 live capture (b): a ? from decoding %3F ends the path, for both payload versions; the query string still arrives',
    request: { path: '/files/what%3Fx?y=1' },
    native: { status: 200, body: { name: 'what?x', path: '/files/what%3Fx', originalUrl: '/files/what%3Fx?y=1' } },
    v2: (n) => withBody(n, { name: 'what', path: '/files/what', originalUrl: '/files/what?y=1' }),
    v1: (n) => withBody(n, { name: 'what', path: '/files/what', originalUrl: '/files/what?y=1' }),
  },
  {
    title: '§1.4 live capture (c): a path that is not valid percent-encoding once decoded (%25) is refused with 400 before the app',
    request: { path: '/files/100%25' },
    native: { status: 200, body: { name: '100%', path: '/files/100%25', originalUrl: '/files/100%25' } },
    v2: () => gatewayAnswer(400, { message: expect.any(String) }),
    v1: () => gatewayAnswer(400, { message: expect.any(String) }),
  },
  {
    title: '§1.4 a greedy path keeps its segments; 2.0 decodes them in the URL the app sees',
    request: { path: '/static/a/b%20c/d.txt' },
    native: { status: 200, body: { rest: ['a', 'b c', 'd.txt'], path: '/static/a/b%20c/d.txt', originalUrl: '/static/a/b%20c/d.txt' } },
    v2: (n) => withBody(n, { rest: ['a', 'b c', 'd.txt'], path: '/static/a/b%20c/d.txt', originalUrl: '/static/a/b c/d.txt' }),
  },
  {
    title: '§1.4 (d) an encoded slash in a greedy path splits the Express wildcard in 2.0',
    request: { path: '/static/a%2Fb/c' },
    native: { status: 200, body: { rest: ['a/b', 'c'], path: '/static/a%2Fb/c', originalUrl: '/static/a%2Fb/c' } },
    v2: (n) => withBody(n, { rest: ['a', 'b', 'c'], path: '/static/a/b/c', originalUrl: '/static/a/b/c' }),
  },
  {
    title: '§4.1/§4.3 repeated query keys reach the app as arrays; 1.0 has no raw query string, so the URL is rebuilt',
    request: { path: '/search?tag=x&q=a+b&tag=y&u=%E2%9C%93' },
    native: { status: 200, body: { query: { tag: ['x', 'y'], q: 'a b', u: '✓' }, path: '/search', originalUrl: '/search?tag=x&q=a+b&tag=y&u=%E2%9C%93' } },
    // 2.0: serverless-http uses rawQueryString, still encoded (§4.1), not the comma-joined values.
    // 1.0: it re-encodes multiValueQueryStringParameters (§4.3), grouping the repeated key.
    v1: (n) => withBody(n, { query: { tag: ['x', 'y'], q: 'a b', u: '✓' }, path: '/search', originalUrl: '/search?tag=x&tag=y&q=a%20b&u=%E2%9C%93' }),
  },
  {
    title: '§4.1/§4.3/§10 repeated request headers: comma-joined in 2.0, the last value in 1.0; no connection header, gateway headers added',
    request: { path: '/headers', headers: { 'x-custom': ['v1', 'v2'] } },
    native: { status: 200, body: { custom: 'v1, v2', names: ['connection', 'host', 'x-custom'] } },
    // §4.1 (content-length, x-amzn-trace-id, x-forwarded-*), §10 (connection is not delivered);
    // x-request-id is serverless-http's, from requestContext.requestId.
    v2: (n) => withBody(n, { custom: 'v1,v2', names: GATEWAY_REQUEST_HEADERS }),
    // serverless-http joins multiValueHeaders, then lets `headers` (the last value, §4.3) win.
    v1: (n) => withBody(n, { custom: 'v2', names: GATEWAY_REQUEST_HEADERS }),
  },
  {
    title: '§4.1/§4.4/§4.5 cookies in (the Cookie header) and out (one Set-Cookie line each) are unchanged',
    request: { path: '/cookies', headers: { cookie: 'a=1; b=2' } },
    native: {
      status: 200,
      headers: expect.objectContaining({ 'set-cookie': ['session=abc123; Path=/; HttpOnly', 'theme=dark; Path=/; SameSite=Lax'] }),
      body: { cookie: 'a=1; b=2' },
    },
  },
  {
    title: '§4.4/§4.5/§10 a repeated response header: one comma-joined line in 2.0, the headers value then each multiValueHeaders value in 1.0',
    request: { path: '/multi-header' },
    native: { status: 200, headers: expect.objectContaining({ 'x-multi': ['a', 'b'], 'cache-control': 'no-store, max-age=0' }) },
    // serverless-http puts `a, b` in `headers` and, for 1.0, ['a', 'b'] in multiValueHeaders too.
    v2: (n) => ({ ...n, headers: { ...n.headers, 'x-multi': 'a, b' } }),
    v1: (n) => ({ ...n, headers: { ...n.headers, 'x-multi': ['a, b', 'a', 'b'] } }),
  },
  {
    title: 'a JSON body is echoed unchanged',
    request: { method: 'POST', path: '/echo/json', headers: { 'content-type': 'application/json' }, body: '{"a":[1,"é"],"b":null}' },
    native: { status: 200, body: { body: { a: [1, 'é'], b: null }, type: 'application/json' } },
  },
  {
    title: '§4.2 a form body (base64-encoded in the event) is echoed unchanged',
    request: { method: 'POST', path: '/echo/form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=x+y&b=%C3%A9' },
    native: { status: 200, body: { body: { a: '1', b: ['x y', 'é'] }, type: 'application/x-www-form-urlencoded' } },
  },
  {
    title: '§4.2/§4.4 a binary body that is not UTF-8 is echoed byte for byte',
    request: { method: 'POST', path: '/echo/binary', headers: { 'content-type': 'application/octet-stream' }, body: binary },
    native: { status: 200, headers: expect.objectContaining({ 'content-type': 'application/octet-stream' }), body: Buffer.from(binary).toString('hex') },
  },
  {
    title: 'a redirect keeps its status, Location and body',
    request: { path: '/old-place' },
    native: { status: 302, headers: expect.objectContaining({ location: '/new-place?from=old' }), body: 'Found. Redirecting to /new-place?from=old' },
  },
  {
    // §4.4's default was captured on responses with a body; localgw applies it to a 204 too.
    title: '§4.4 a 204 has no body; API Gateway gives the response without a content-type its default one',
    request: { method: 'DELETE', path: '/items/1' },
    native: { status: 204, body: '' },
    v2: (n) => ({ ...n, headers: { ...n.headers, 'content-type': 'text/plain; charset=utf-8' } }),
    v1: (n) => ({ ...n, headers: { ...n.headers, 'content-type': 'text/plain; charset=utf-8' } }),
  },
  {
    // The app's Content-Length (the GET's) is dropped: the gateway sets it itself (§7.2), and
    // sends none with a body-less HEAD answer (what AWS sends here is undocumented, §1.5).
    title: '§1.5/§7.2 HEAD reaches the app through ANY; the answer has no Content-Length',
    request: { method: 'HEAD', path: '/hello' },
    native: { status: 200, headers: expect.objectContaining({ 'content-length': '17' }), body: '' },
    v2: (n) => withoutHeader(n, 'content-length'),
    v1: (n) => withoutHeader(n, 'content-length'),
  },
  {
    title: 'an error thrown in an Express route is the app’s own 500 page',
    request: { path: '/fail' },
    native: expressErrorPage(500, 'Error: route failed'),
  },
  {
    title: "§4.6/§10 a handler that throws outside Express: API Gateway's 500, with its header set",
    request: { path: '/outside-express' },
    native: { status: 404 },
    v2: () => gatewayAnswer(500, { message: 'Internal Server Error' }),
    v1: () => gatewayAnswer(500, { message: 'Internal Server Error' }),
  },
];

describe('Express behind serverless-http, through localgw and on its own server', () => {
  it.each(CASES)('$title', async ({ request: req, native: premise, v2, v1 }) => {
    const [onNative, onV2, onV1] = await Promise.all([send('native', req), send('v2', req), send('v1', req)]);
    const what = `${req.method ?? 'GET'} ${req.path}`;
    expect(onNative, `native: ${what}`).toMatchObject(premise);
    expect(onV2, `payload 2.0: ${what}`).toEqual(v2 ? v2(onNative) : onNative);
    expect(onV1, `payload 1.0: ${what}`).toEqual(v1 ? v1(onNative) : onNative);
  });
});

describe('the event check in validated.js', () => {
  it('reports an event that does not fit the powertools schema, and still answers', async () => {
    const { v2, v1 } = await import(join(FIXTURE, 'validated.js'));
    for (const check of [v2, v1]) {
      const result = await check({ version: '2.0', headers: {} }, {});
      expect(result.headers[SCHEMA_ISSUES_HEADER]).toContain('requestContext');
    }
  });
});
