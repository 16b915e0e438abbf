import { afterAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, writeFileSync } from 'node:fs';
import { createConsoleLogger, createGateway, startGateway } from 'localgw';
import { http } from './helpers/http.js';
import { tempProject } from './helpers/project.js';
import { editFile, eventually } from './helpers/edit.js';
import { createSigningKey } from './helpers/oidc-issuer.js';

// Faults found in review: each test reproduces one and would fail without its fix.

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('reload while a request is in flight', () => {
  it('a valid JWT still passes when a reload happens during its key-set fetch', async () => {
    const key = await createSigningKey('slow-key');
    // A JWKS endpoint that takes 800 ms: the reload lands while the request waits for it.
    const jwks = createServer((req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [key.publicJwk] })), 800);
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => jwks.close(resolve)));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/keys`;
    const project = tempProject({
      'h.mjs': 'export const handler = async (event) => event.requestContext.authorizer.jwt.claims.sub;\n',
      'localgw.config.json': {
        authorizers: { main: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['aud'], jwks: jwksUrl } },
        routes: { 'GET /me': { handler: 'h.handler', authorizer: 'main' } },
      },
    });
    cleanups.push(project.cleanup);
    const gw = await startGateway({ config: project.path('localgw.config.json'), port: 0 });
    cleanups.push(gw.close);
    const token = await key.sign({ iss: 'https://issuer.example.com', aud: 'aud', sub: 'alice', exp: Math.floor(Date.now() / 1000) + 600 });
    const pending = http(`${gw.url}/me`, { headers: { authorization: `Bearer ${token}` } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await gw.reload()).ok).toBe(true);
    const res = await pending;
    expect(res.status, res.text).toBe(200);
    expect(res.text).toBe('alice');
  });
});

describe('config reloads do not leak workers', () => {
  it('editing .env again and again keeps one worker per function', async () => {
    const project = tempProject({
      'h.mjs': 'export const handler = async () => process.env.MODE;\n',
      '.env': 'MODE=v0\n',
      'localgw.config.json': { routes: { 'GET /mode': 'h.handler' } },
    });
    cleanups.push(project.cleanup);
    const gw = await startGateway({ config: project.path('localgw.config.json'), port: 0, watch: true });
    cleanups.push(gw.close);
    const body = async () => (await http(`${gw.url}/mode`)).text;
    expect(await body()).toBe('v0');
    const threadsAfterFirst = readdirSync('/proc/self/task').length;
    for (let i = 1; i <= 6; i++) {
      editFile(project.path('.env'), () => `MODE=v${i}\n`);
      await eventually(body, `v${i}`);
    }
    // Drained workers exit asynchronously.
    await expect.poll(() => readdirSync('/proc/self/task').length, { timeout: 5_000 }).toBeLessThanOrEqual(threadsAfterFirst);
  });
});

describe('close()', () => {
  it('does not wait for keep-alive connections that were busy when it was called', async () => {
    const project = tempProject({
      'slow.mjs': 'export const handler = async () => { await new Promise((r) => setTimeout(r, 300)); return "done"; };\n',
      'localgw.config.json': { routes: { 'GET /slow': 'slow.handler' } },
    });
    cleanups.push(project.cleanup);
    const gw = await startGateway({ config: project.path('localgw.config.json'), port: 0 });
    // Warm the worker so the request below is in flight only for the handler's 300 ms.
    await http(`${gw.url}/slow`);
    const pending = http(`${gw.url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await gw.close();
    const res = await pending;
    expect(res.text).toBe('done');
    expect(res.headers.connection).toBe('close');
    // Without the fix close() waited for the 65 s keep-alive timeout.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('handler responses cannot corrupt the connection', () => {
  it('content-length and transfer-encoding from a handler are replaced by the real ones (§7.2)', async () => {
    const project = tempProject({
      'h.mjs': `export const lies = async () => ({ statusCode: 200, headers: { 'content-length': '2', 'transfer-encoding': 'chunked', connection: 'close' }, body: 'hello world' });\n`,
      'localgw.config.json': { routes: { 'GET /lies': 'h.lies' } },
    });
    cleanups.push(project.cleanup);
    const gw = await startGateway({ config: project.path('localgw.config.json'), port: 0 });
    cleanups.push(gw.close);
    for (let i = 0; i < 3; i++) {
      const res = await http(`${gw.url}/lies`);
      expect(res.text).toBe('hello world');
      expect(res.headers['content-length']).toBe('11');
      expect(res.headers['transfer-encoding']).toBeUndefined();
    }
  });
});

describe('every answer carries {"message"}, apigw-requestid and a request log line', () => {
  it('a signed token whose sub is an object (a claim the log line has to print)', async () => {
    const project = tempProject({
      'localgw.config.json': {
        authorizers: { main: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['aud'] } },
        routes: { 'GET /me': { handler: 'h.handler', authorizer: 'main' } },
      },
      'h.mjs': 'export const handler = async (event) => event.requestContext.authorizer.jwt.claims.sub;\n',
    });
    cleanups.push(project.cleanup);
    const lines: string[] = [];
    const logger = createConsoleLogger({ colors: false, write: (line) => lines.push(line), writeError: (line) => lines.push(line) });
    const gw = await startGateway({ config: project.path('localgw.config.json'), port: 0, logger });
    cleanups.push(gw.close);
    // { toString: 1 } cannot even be turned into a string. Whether such a token is served (200)
    // or fails inside localgw (500), the answer must be a gateway answer and be logged.
    const subs: object[] = [{ a: 1 }, { toString: 1 }];
    for (const [i, sub] of subs.entries()) {
      const token = await gw.token({ claims: { sub } });
      const res = await http(`${gw.url}/me`, { headers: { authorization: `Bearer ${token}` } });
      const id = res.headers['apigw-requestid'];
      expect(id, res.text).toMatch(/^[A-Za-z0-9_-]{15}=$/);
      if (res.status === 500) expect(res.json()).toEqual({ message: 'Internal Server Error' });
      else expect(res.status, res.text).toBe(200);
      // Its own line: one more `GET /me` line with its status.
      await expect.poll(() => lines.filter((line) => line.startsWith('GET /me → ')).length).toBe(i + 1);
      expect(lines.filter((line) => line.startsWith('GET /me → ')).at(-1)).toContain(` · ${res.status} · `);
    }
    // And the server is still serving.
    expect((await http(`${gw.url}/me`)).status).toBe(401);
  });
});

describe('§0.1 order: limits and stage selection come first', () => {
  it('a preflight outside a named stage is 404, not an automatic CORS answer', async () => {
    const gateway = await createGateway({
      config: { stage: 'dev', cors: { allowOrigins: ['https://a.example'], allowMethods: ['GET'] }, routes: { 'GET /x': { handler: async () => 'x' } } },
    });
    cleanups.push(gateway.close);
    const preflight = (path: string) =>
      gateway.fetch(new Request(`http://localhost${path}`, { method: 'OPTIONS', headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' } }));
    expect((await preflight('/other/x')).status).toBe(404);
    const inside = await preflight('/dev/other');
    expect(inside.status).toBe(204);
    expect(inside.headers.get('access-control-allow-origin')).toBe('https://a.example');
  });

  it('a 413 carries CORS headers like every gateway response', async () => {
    const gateway = await createGateway({ config: { cors: { allowOrigins: ['https://a.example'] }, routes: { 'POST /x': { handler: async () => 'x' } } } });
    cleanups.push(gateway.close);
    const res = await gateway.fetch(new Request('http://localhost/x', { method: 'POST', headers: { origin: 'https://a.example' }, body: new Uint8Array(10 * 1024 * 1024 + 1) }));
    expect(res.status).toBe(413);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://a.example');
    expect(res.headers.get('apigw-requestid')).toBeTruthy();
  });
});

describe('watching', () => {
  it('rotating a JWKS file reloads the authorizer', async () => {
    const [oldKey, newKey] = await Promise.all([createSigningKey('old'), createSigningKey('new')]);
    const project = tempProject({
      'h.mjs': 'export const handler = async () => "in";\n',
      'jwks.json': { keys: [oldKey.publicJwk] },
      'localgw.config.json': {
        authorizers: { main: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['aud'], jwks: './jwks.json' } },
        routes: { 'GET /in': { handler: 'h.handler', authorizer: 'main' } },
      },
    });
    cleanups.push(project.cleanup);
    const gw = await startGateway({ config: project.path('localgw.config.json'), port: 0, watch: true });
    cleanups.push(gw.close);
    const token = await newKey.sign({ iss: 'https://issuer.example.com', aud: 'aud', sub: 's', exp: Math.floor(Date.now() / 1000) + 600 });
    const status = async () => (await http(`${gw.url}/in`, { headers: { authorization: `Bearer ${token}` } })).status;
    expect(await status()).toBe(401);
    editFile(project.path('jwks.json'), () => JSON.stringify({ keys: [newKey.publicJwk] }));
    await eventually(status, 200);
  });

  it('a handler file created after start is picked up; other new files do not reload', async () => {
    const project = tempProject({ 'localgw.config.json': { routes: { 'GET /later': 'handlers/later.handler' } } });
    cleanups.push(project.cleanup);
    const lines: string[] = [];
    const logger = createConsoleLogger({ colors: false, write: (line) => lines.push(line), writeError: (line) => lines.push(line) });
    const gw = await startGateway({ config: project.path('localgw.config.json'), port: 0, watch: true, logger });
    cleanups.push(gw.close);
    expect((await http(`${gw.url}/later`)).status).toBe(500);
    project.write('notes.txt', 'not a handler');
    project.write('logs/app.log', 'not a handler either');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(lines.filter((l) => l.startsWith('reloaded'))).toEqual([]);
    writeFileSync(project.write('handlers/later.mjs', ''), 'export const handler = async () => "here now";\n');
    await eventually(async () => (await http(`${gw.url}/later`)).text, 'here now');
    expect(lines.filter((l) => l.startsWith('reloaded')).length).toBeGreaterThan(0);
  });
});
