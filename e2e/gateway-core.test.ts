import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, startCli, runCli, type RunningCli } from './helpers/cli.js';
import { http } from './helpers/http.js';
import { tempProject } from './helpers/project.js';
import { ECHO_HANDLER, FAULT_HANDLERS } from './fixtures/handlers.js';

// Black-box: the built CLI as a subprocess, real HTTP over loopback (DESIGN.md "Who uses it" 1).

const project = tempProject({
  'handlers/echo.mjs': ECHO_HANDLER,
  'handlers/faults.mjs': FAULT_HANDLERS,
  'localgw.config.json': {
    stageVariables: { env: 'e2e' },
    routes: {
      // §1.3 worked example from the AWS docs
      'GET /pets/dog/1': 'handlers/echo.handler',
      'GET /pets/dog/{id}': 'handlers/echo.handler',
      'GET /pets/{proxy+}': 'handlers/echo.handler',
      'ANY /{proxy+}': 'handlers/echo.handler',
      $default: 'handlers/echo.handler',
      'GET /env': { handler: 'handlers/echo.handler', environment: { TABLE: 'items' } },
      'HEAD /head': 'handlers/echo.handler',
      'GET /fault/throws': 'handlers/faults.throws',
      'GET /fault/hangs': { handler: 'handlers/faults.hangs', timeout: 0.5 },
      'GET /fault/spins': { handler: 'handlers/faults.spins', timeout: 0.5 },
      'GET /fault/exits': 'handlers/faults.exits',
      'GET /fault/crashes-later': 'handlers/faults.crashesLater',
      'GET /fault/garbage': 'handlers/faults.garbage',
      'GET /fault/zero': 'handlers/faults.zero',
      'GET /result/plain': 'handlers/faults.plain',
      'GET /result/no-content-type': 'handlers/faults.noContentType',
      'GET /result/cookies': 'handlers/faults.cookies',
      'GET /result/binary': 'handlers/faults.binary',
      'GET /logs': 'handlers/faults.logs',
      'POST /big/v2': 'handlers/faults.bigEcho',
      'POST /big/v1': { handler: 'handlers/faults.bigEcho', payloadFormatVersion: '1.0' },
      'GET /v1/{name}': { handler: 'handlers/faults.v1', payloadFormatVersion: '1.0' },
      'GET /missing-handler': 'handlers/nope.handler',
    },
  },
});

let gw: RunningCli;
beforeAll(async () => {
  gw = await startCli(['--no-watch'], { cwd: project.dir });
});
afterAll(async () => {
  await gw?.stop();
  project.cleanup();
});

const echo = async (method: string, path: string, init: Parameters<typeof http>[1] = {}) => {
  const res = await http(gw.url + path, { method, ...init });
  expect(res.status, res.text).toBe(200);
  return res.json().event;
};

describe('§1.3 route selection priority (AWS worked example)', () => {
  it.each([
    ['GET', '/pets/dog/1', 'GET /pets/dog/1'],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}'],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}'],
    ['POST', '/test/5', 'ANY /{proxy+}'],
    ['POST', '/pets/dog/1', 'ANY /{proxy+}'],
    ['GET', '/pets', 'ANY /{proxy+}'],
  ])('%s %s → %s', async (method, path, routeKey) => {
    const event = await echo(method, path);
    expect(event.routeKey).toBe(routeKey);
    expect(event.requestContext.routeKey).toBe(routeKey);
  });

  it('greedy parameter values keep their slashes, decoded', async () => {
    const event = await echo('GET', '/pets/cat/a%20b/c');
    expect(event.pathParameters).toEqual({ proxy: 'cat/a b/c' });
  });
});

describe('§1.6 gateway responses', () => {
  it('a route whose handler file does not exist answers 500 and the server keeps serving', async () => {
    const res = await http(`${gw.url}/missing-handler`);
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ message: 'Internal Server Error' });
    await echo('GET', '/pets/dog/1');
  });
});

describe('§4.1 payload format 2.0 event', () => {
  it('decodes rawPath and path parameters, keeps rawQueryString raw, joins repeats', async () => {
    const event = await echo('GET', '/pets/dog/a%20b?q=Hello%20World&tag=x&tag=y', {
      headers: { 'x-custom': ['v1', 'v2'], cookie: 'session=abc123; theme=dark', 'user-agent': 'e2e-test' },
    });
    expect(event.version).toBe('2.0');
    expect(event.rawPath).toBe('/pets/dog/a b');
    expect(event.pathParameters).toEqual({ id: 'a b' });
    expect(event.rawQueryString).toBe('q=Hello%20World&tag=x&tag=y');
    expect(event.queryStringParameters).toEqual({ q: 'Hello World', tag: 'x,y' });
    expect(event.headers['x-custom']).toBe('v1,v2');
    expect(event.cookies).toEqual(['session=abc123', 'theme=dark']);
    expect(event.headers.cookie).toBeUndefined();
    expect(event.stageVariables).toEqual({ env: 'e2e' });
    expect(event.requestContext.stage).toBe('$default');
    expect(event.requestContext.http).toMatchObject({ method: 'GET', path: '/pets/dog/a b', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'e2e-test' });
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(typeof event.requestContext.timeEpoch).toBe('number');
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });

  it("each request's Host is its domainName and forwarded port, whatever the requests before it named", async () => {
    const port = new URL(gw.url).port;
    const hosts = [`api.example.test:${port}`, `other.example.test:${port}`, `API.Example.test:${port}`, `api.example.test:${port}`, `localhost:${port}`];
    const events = [];
    for (const host of hosts) events.push(await echo('GET', '/pets/dog/1', { headers: { host } }));
    // domainName is the Host as sent, case and port included (docs/differences.md).
    expect(events.map((e) => [e.requestContext.domainName, e.requestContext.domainPrefix, e.headers['x-forwarded-port']])).toEqual([
      [`api.example.test:${port}`, 'api', port],
      [`other.example.test:${port}`, 'other', port],
      [`API.Example.test:${port}`, 'API', port],
      [`api.example.test:${port}`, 'api', port],
      [`localhost:${port}`, 'localhost', port],
    ]);
  });

  it('requestContext.requestId is the apigw-requestid header and the Lambda awsRequestId', async () => {
    const res = await http(`${gw.url}/pets/dog/1`);
    const { event, context } = res.json();
    expect(res.headers['apigw-requestid']).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(event.requestContext.requestId).toBe(res.headers['apigw-requestid']);
    expect(context.awsRequestId).toBe(res.headers['apigw-requestid']);
    expect(context.remaining).toBeGreaterThan(25_000);
  });

  it('§4.2 JSON bodies arrive as text, form bodies base64-encoded', async () => {
    const json = await echo('POST', '/anything', { headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(json).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
    const form = await echo('POST', '/anything', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(form).toMatchObject({ body: Buffer.from('a=1').toString('base64'), isBase64Encoded: true });
  });

  it('route environment and Lambda variables reach the handler', async () => {
    const res = await http(`${gw.url}/env`);
    expect(res.json().env).toEqual({ TABLE: 'items', AWS_LAMBDA_FUNCTION_NAME: 'handlers-echo-handler-2' });
  });

  it('§1.5 HEAD is its own method and gets no body', async () => {
    const res = await http(`${gw.url}/head`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });
});

describe('§4.3 payload format 1.0', () => {
  it('keeps path encoded, resource is the template, multi-value maps, merged response headers', async () => {
    const res = await http(`${gw.url}/v1/John%20Doe?tag=a&tag=b`);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ path: '/v1/John%20Doe', resource: '/v1/{name}', qs: { tag: 'b' }, mqs: { tag: ['a', 'b'] } });
    // §4.5: headers and multiValueHeaders are merged, one header line per value, headers first.
    expect(res.headers['x-one']).toEqual(['a', 'b', 'c']);
  });
});

describe('§4.4 response mapping', () => {
  it('a JSON string result is a 200 application/json body, unquoted', async () => {
    const res = await http(`${gw.url}/result/plain`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text).toBe('Special "quoted" text');
  });
  it('a structured result without content-type is text/plain; charset=utf-8', async () => {
    const res = await http(`${gw.url}/result/no-content-type`);
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe('created');
  });
  it('cookies become set-cookie headers', async () => {
    const res = await http(`${gw.url}/result/cookies`);
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2']);
  });
  it('isBase64Encoded bodies are decoded to bytes', async () => {
    const res = await fetch(`${gw.url}/result/binary`);
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0, 1, 2, 255]);
  });
  // Large bodies take other paths (issue 17): shared memory to the worker, and the result's body
  // back as bytes. What the client gets must not change.
  it.each(['v2', 'v1'])('%s: a 300 kB JSON body and a 1 MB binary body come back byte for byte', async (version) => {
    const json = Buffer.from(JSON.stringify({ items: Array.from({ length: 3000 }, (_, i) => ({ i, name: `naïve "quoted" \\ ✓ ${i}`, pad: 'x'.repeat(60) })) }));
    const binary = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 2654435761) >>> 24;
    for (const [body, type, base64] of [[json, 'application/json', 'false'], [binary, 'application/octet-stream', 'true']] as const) {
      const res = await fetch(`${gw.url}/big/${version}`, { method: 'POST', headers: { 'content-type': type }, body });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-was-base64')).toBe(base64);
      expect(res.headers.get('content-length')).toBe(String(body.length));
      expect(Buffer.from(await res.arrayBuffer()).equals(body), `${type} body`).toBe(true);
    }
  });
  it('different large bodies at once, in waves that reuse the shared buffers, each reach their handler whole', async () => {
    const body = (n: number, wave: number) => {
      const bytes = Buffer.alloc(20_000 + n * 37_000);
      for (let i = 0; i < bytes.length; i++) bytes[i] = ((i + n * 7 + wave * 13) * 2654435761) >>> 24;
      return bytes;
    };
    for (let wave = 0; wave < 3; wave++) {
      const bodies = Array.from({ length: 16 }, (_, n) => body(n, wave));
      const answers = await Promise.all(
        bodies.map(async (sent) => {
          const res = await fetch(`${gw.url}/big/v2`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: sent });
          return Buffer.from(await res.arrayBuffer());
        }),
      );
      answers.forEach((answer, n) => expect(answer.equals(bodies[n]!), `wave ${wave}, body ${n}`).toBe(true));
    }
  });

  it('a large chunked body (no Content-Length) reaches the handler whole', async () => {
    const parts = Array.from({ length: 40 }, (_, n) => Buffer.alloc(8_192, n));
    const res = await fetch(`${gw.url}/big/v2`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new ReadableStream({
        start(controller) {
          for (const part of parts) controller.enqueue(part);
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.concat(parts))).toBe(true);
  });
  it('statusCode 0 is a 500', async () => {
    const res = await http(`${gw.url}/fault/zero`);
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ message: 'Internal Server Error' });
  });
});

describe('§4.6 handler faults never take the server down', () => {
  it.each([
    ['/fault/throws', 500, 'Internal Server Error'],
    ['/fault/garbage', 500, 'Internal Server Error'],
    ['/fault/exits', 500, 'Internal Server Error'],
    ['/fault/crashes-later', 500, 'Internal Server Error'],
    ['/fault/hangs', 503, 'Service Unavailable'],
    ['/fault/spins', 503, 'Service Unavailable'],
  ])('%s → %i %s, and the next request is served', async (path, status, message) => {
    const res = await http(gw.url + path);
    expect(res.status).toBe(status);
    expect(res.json()).toEqual({ message });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['apigw-requestid']).toBeTruthy();
    await echo('GET', '/pets/dog/1');
  });

  it('a failing handler gets a second chance on a fresh worker', async () => {
    expect((await http(`${gw.url}/fault/exits`)).status).toBe(500);
    expect((await http(`${gw.url}/fault/exits`)).status).toBe(500);
    await echo('GET', '/pets/dog/2');
  });

  it('§7.1 a body over 10 MB is 413', async () => {
    const res = await http(`${gw.url}/anything`, { method: 'POST', body: new Uint8Array(10 * 1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ message: 'Request Entity Too Large' });
    expect(res.headers['apigw-requestid']).toBeTruthy();
  });

  it('a client that disconnects mid-upload is not an internal error, and the server keeps serving', async () => {
    const abortUpload = (path: string) =>
      new Promise<void>((resolve) => {
        const socket = connect(Number(new URL(gw.url).port), '127.0.0.1', () => {
          socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\npartial`);
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 50);
        });
      });
    await abortUpload('/anything');
    await abortUpload('/any%20thing');
    await echo('GET', '/pets/dog/1');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(gw.output()).not.toContain('internal error');
    expect(gw.output()).not.toContain('unparsed request');
  });

  it("§4.6 a body over Lambda's 6 MB payload limit is 413 without invoking the handler", async () => {
    // 5 MB of binary becomes ~6.7 MB of base64 in the event (§4.2).
    const res = await http(`${gw.url}/anything`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(5 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ message: 'Request Entity Too Large' });
    await gw.waitForOutput(/exceeds Lambda's 6 MB payload limit/);
    const text = await http(`${gw.url}/anything`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(4 * 1024 * 1024) }) });
    expect(text.status).toBe(200);
    // The limit is in bytes: 3.5 million "é" are 7 MB of UTF-8.
    const accents = await http(`${gw.url}/anything`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'é'.repeat(3_500_000) }) });
    expect(accents.status).toBe(413);
  });

  it('§7.1 request line plus headers over 10240 bytes are refused (431; AWS status undocumented)', async () => {
    const res = await http(`${gw.url}/pets/dog/1`, { headers: { 'x-big': 'x'.repeat(11_000) } });
    expect(res.status).toBe(431);
    expect(res.json()).toEqual({ message: 'Request Header Fields Too Large' });
    expect(res.headers['apigw-requestid']).toBeTruthy();
    await gw.waitForOutput('431 · 0.0 ms · request line + headers over 10240 bytes');
    expect((await http(`${gw.url}/pets/dog/1`, { headers: { 'x-big': 'x'.repeat(9_000) } })).status).toBe(200);
  });
});

describe('the developer view', () => {
  it('logs one line per request with method, path, route, status and duration', async () => {
    await http(`${gw.url}/pets/dog/7`);
    await gw.waitForOutput(/GET \/pets\/dog\/7 → GET \/pets\/dog\/\{id\} · 200 · \d+\.\d ms/);
  });
  it("tags a handler's console output with its route and request id", async () => {
    const res = await http(`${gw.url}/logs`);
    const id = res.headers['apigw-requestid'] as string;
    await gw.waitForOutput(`[GET /logs ${id}] hello from the handler 42`);
    await gw.waitForOutput(`[GET /logs ${id}] an error line`);
  });
  it('prints the route table in match order at start', () => {
    const out = gw.output();
    expect(out.indexOf('GET /pets/dog/1')).toBeLessThan(out.indexOf('GET /pets/dog/{id}'));
    expect(out.indexOf('GET /pets/dog/{id}')).toBeLessThan(out.indexOf('GET /pets/{proxy+}'));
    expect(out.indexOf('GET /pets/{proxy+}')).toBeLessThan(out.indexOf('ANY /{proxy+}'));
    expect(out.indexOf('ANY /{proxy+}')).toBeLessThan(out.indexOf('$default'));
  });
});

describe('§1.2 named stages', () => {
  it('serves under /STAGE, keeps the prefix in rawPath, 404 outside it', async () => {
    const staged = await startCli(['--no-watch', '--stage', 'dev'], { cwd: project.dir });
    try {
      const res = await http(`${staged.url}/dev/pets/dog/1`);
      expect(res.status).toBe(200);
      const { event } = res.json();
      expect(event.rawPath).toBe('/dev/pets/dog/1');
      expect(event.requestContext.stage).toBe('dev');
      expect(event.routeKey).toBe('GET /pets/dog/1');
      const outside = await http(`${staged.url}/pets/dog/1`);
      expect(outside.status).toBe(404);
      expect(outside.json()).toEqual({ message: 'Not Found' });
    } finally {
      await staged.stop();
    }
  });
});

describe('CLI', () => {
  it('--help lists the commands', () => {
    const res = runCli(['--help']);
    expect(res.code).toBe(0);
    for (const command of ['start', 'routes', 'token', 'check']) expect(res.stdout).toContain(command);
  });

  it('colours only when asked: none when piped or with NO_COLOR, ANSI with FORCE_COLOR', () => {
    // CI=true is set on purpose: CI logs must not get colours unless asked (picocolors alone would).
    const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    const piped = spawnSync(process.execPath, [BIN, 'routes'], { cwd: project.dir, env, encoding: 'utf8' });
    expect(piped.stdout).toContain('GET /pets/dog/1');
    expect(piped.stdout).not.toContain('\x1b[');
    const forced = spawnSync(process.execPath, [BIN, 'routes'], { cwd: project.dir, env: { ...env, FORCE_COLOR: '1' }, encoding: 'utf8' });
    expect(forced.stdout).toContain('\x1b[');
    const noColor = spawnSync(process.execPath, [BIN, 'routes'], { cwd: project.dir, env: { ...env, FORCE_COLOR: '1', NO_COLOR: '1' }, encoding: 'utf8' });
    expect(noColor.stdout).not.toContain('\x1b[');
  });

  it('routes prints the table in match order', () => {
    const res = runCli(['routes'], { cwd: project.dir });
    expect(res.code).toBe(0);
    const lines = res.stdout.split('\n').map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '));
    expect(lines.indexOf('GET /pets/dog/1')).toBeLessThan(lines.indexOf('GET /pets/dog/{id}'));
    expect(lines.at(-2)).toBe('$default →');
  });

  it('check names the offending field, suggests the fix and exits 1', () => {
    const bad = tempProject({
      'localgw.config.json': {
        authorizers: { main: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['x'] } },
        routes: { 'GET /items/{id}': { handler: 'h.handler', authorizer: 'mian' }, 'GET /a/{proxy+}/b': 'h.handler' },
      },
      'h.mjs': 'export const handler = async () => "ok";',
    });
    try {
      const res = runCli(['check'], { cwd: bad.dir });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('routes["GET /items/{id}"].authorizer: no authorizer named "mian" (did you mean "main"?)');
      expect(res.stderr).toContain('routes["GET /a/{proxy+}/b"]');
    } finally {
      bad.cleanup();
    }
  });

  it('issue 13 item 9: an inherited name ("constructor", "toString", "__proto__") is no authorizer, for check and for token', () => {
    const bad = tempProject({
      'localgw.config.json': {
        authorizers: { main: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['x'] } },
        routes: { 'GET /a': { handler: 'h.handler', authorizer: 'constructor' }, 'GET /b': { handler: 'h.handler', authorizer: 'toString' } },
      },
      'good.config.json': { authorizers: { main: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['x'] } }, routes: {} },
      'h.mjs': 'export const handler = async () => "ok";',
    });
    try {
      const check = runCli(['check'], { cwd: bad.dir });
      expect(check.code).toBe(1);
      expect(check.stderr).toContain('routes["GET /a"].authorizer: no authorizer named "constructor"');
      expect(check.stderr).toContain('routes["GET /b"].authorizer: no authorizer named "toString"');
      for (const name of ['constructor', 'toString', '__proto__']) {
        const token = runCli(['token', '--config', 'good.config.json', '--authorizer', name], { cwd: bad.dir });
        expect(token.code, token.stderr).toBe(1);
        expect(token.stderr).toContain(`No authorizer named "${name}" (JWT authorizers: main)`);
        expect(token.stderr).not.toContain('a bug');
      }
    } finally {
      bad.cleanup();
    }
  });

  it('start exits non-zero with an actionable message on an invalid config', async () => {
    const bad = tempProject({ 'localgw.config.json': { routes: { 'GET /x': { handlr: 'h.handler' } } } });
    try {
      const res = runCli(['start', '--port', '0', '--no-watch'], { cwd: bad.dir });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('routes["GET /x"].handlr: unknown key "handlr" (did you mean "handler"?)');
    } finally {
      bad.cleanup();
    }
  });

  it('check loads each handler and reports a syntax error or a missing export with its route', () => {
    const bad = tempProject({
      'localgw.config.json': { routes: { 'GET /a': 'h.nope', 'GET /b': 'broken.handler', 'GET /c': 'h.handler' } },
      'h.mjs': 'export const handler = async () => "ok";',
      'broken.mjs': 'export const handler = async () => {\n  return (;\n};',
    });
    try {
      const res = runCli(['check'], { cwd: bad.dir });
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(/routes\["GET \/a"\]\.handler: .*nope/);
      expect(res.stdout).toMatch(/routes\["GET \/b"\]\.handler: .*broken\.mjs:2/);
      expect(res.stdout).not.toContain('GET /c');
    } finally {
      bad.cleanup();
    }
  });

  it('bad flags and a missing config get a one-line answer and exit 1, not a stack trace', () => {
    const auth = tempProject({ 'localgw.config.json': { authorizers: { main: { type: 'jwt', issuer: 'https://i.example.com', audience: ['a'] } }, routes: {} } });
    onTestFinished(auth.cleanup);
    const port = runCli(['start', '--port', 'abc'], { cwd: project.dir });
    expect(port.code).toBe(1);
    expect(port.stderr).toContain('--port must be a whole number from 0 to 65535');
    expect(port.stderr).not.toContain('    at ');
    const empty = tempProject({});
    try {
      // Without a config, only the admin server's APIs could be served (issue 18): with none, it is an error.
      const missing = runCli(['start', '--no-admin'], { cwd: empty.dir });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('No config file in');
      expect(missing.stderr).toContain('localgw.config.ts');
    } finally {
      empty.cleanup();
    }
    const expiry = runCli(['token', '--expires-in', 'banana'], { cwd: auth.dir });
    expect(expiry.code).toBe(1);
    expect(expiry.stderr).toContain('--expires-in');
    expect(expiry.stderr).not.toContain('    at ');
    // A dev key readable by others is refused with a hint, not reported as a bug.
    expect(runCli(['token'], { cwd: auth.dir }).code).toBe(0);
    chmodSync(join(auth.dir, '.localgw', 'dev-signing-key.json'), 0o644);
    const loose = runCli(['token'], { cwd: auth.dir });
    expect(loose.code).toBe(1);
    expect(loose.stderr).toContain('chmod');
    expect(loose.stderr).not.toContain('a bug');
    const unknown = runCli(['serve']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown command "serve"');
  });

  it('check reports a handler file that does not exist', () => {
    const res = runCli(['check'], { cwd: project.dir });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('routes["GET /missing-handler"].handler');
  });
});
