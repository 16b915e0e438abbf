import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../create-gateway.js';
import { Inspector } from './trace.js';

// Issue 20: what the request inspector records of each request, through the real pipeline
// (file handlers in real workers, a real JWT authorizer with the dev key).

const dir = mkdtempSync(join(tmpdir(), 'localgw-inspector-'));
let gw: Gateway;

beforeAll(async () => {
  mkdirSync(join(dir, 'h'), { recursive: true });
  writeFileSync(
    join(dir, 'h/api.mjs'),
    `export const hello = async (event) => { console.log('hello from', event.rawPath); return { statusCode: 200, headers: { 'access-control-allow-origin': '*', 'x-app': '1' }, body: 'hi' }; };
export const auth = async (event) => ({ isAuthorized: event.headers['x-key'] === 'ok' });`,
  );
  gw = await createGateway({
    cwd: dir,
    config: {
      cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET'], allowHeaders: ['x-key'] },
      authorizers: {
        main: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['app'] },
        key: { type: 'request', handler: 'h/api.auth', payloadFormatVersion: '2.0', enableSimpleResponses: true, identitySource: ['$request.header.x-key'] },
      },
      routes: {
        'GET /items/{id}': 'h/api.hello',
        'ANY /items/{proxy+}': 'h/api.hello',
        'POST /items/{id}': 'h/api.hello',
        'GET /me': { handler: 'h/api.hello', authorizer: 'main' },
        'GET /keyed': { handler: 'h/api.hello', authorizer: 'key' },
      },
    },
  });
});
afterAll(async () => {
  await gw?.close();
  rmSync(dir, { recursive: true, force: true });
});

const send = (path: string, init: RequestInit = {}) => gw.fetch(new Request(`http://127.0.0.1:3000${path}`, init));
const lastTrace = () => gw.inspector.get(gw.inspector.list()[0]!.requestId)!;

describe('issue 20: the request inspector\'s record', () => {
  it('records nothing but the summary while nobody watches', async () => {
    await send('/items/1');
    const [summary] = gw.inspector.list();
    expect(summary).toMatchObject({ method: 'GET', path: '/items/1', statusCode: 200, routeKey: 'GET /items/{id}', detailed: false });
    expect(gw.inspector.get(summary!.requestId)).toBeUndefined();
  });

  it('while watched: the route story, the event, the raw result, console lines and what the gateway changed', async () => {
    const seen: string[] = [];
    const stop = gw.inspector.watch((s) => seen.push(s.path));
    try {
      const res = await send('/items/42?x=1', { headers: { origin: 'https://app.example.com' } });
      expect(res.status).toBe(200);
      const trace = lastTrace();
      expect(seen).toEqual(['/items/42?x=1']);
      expect(trace.stage).toMatchObject({ name: '$default', pathWithoutStage: '/items/42' });
      expect(trace.route).toMatchObject({
        selected: 'GET /items/{id}',
        candidates: [
          { routeKey: 'GET /items/{id}', rule: 'a full match of the path' },
          { routeKey: 'ANY /items/{proxy+}', rule: 'a full match beats a greedy variable (§1.3 step 2)' },
        ],
        otherMethods: [{ routeKey: 'POST /items/{id}' }],
      });
      expect(trace.integration).toMatchObject({ kind: 'lambda', payloadFormatVersion: '2.0', outcome: 'ok', event: { rawPath: '/items/42', pathParameters: { id: '42' }, rawQueryString: 'x=1' } });
      expect(JSON.parse((trace.integration as { result: string }).result)).toMatchObject({ statusCode: 200, body: 'hi' });
      expect(trace.cors?.decision).toContain('is allowed');
      expect(trace.response?.removed).toContain('access-control-allow-origin: *');
      expect(trace.response?.added).toEqual(expect.arrayContaining(['access-control-allow-origin: https://app.example.com', expect.stringMatching(/^apigw-requestid: /)]));
      expect(trace.response?.body).toEqual({ encoding: 'utf8', text: 'hi', bytes: 2, truncated: false });
      await expect.poll(() => trace.logs.map((l) => l.text)).toEqual(['hello from /items/42']);
    } finally {
      stop();
    }
  });

  it('a refused preflight says why; a JWT 401 says why; a REQUEST authorizer shows its event, answer and cache', async () => {
    const stop = gw.inspector.watch();
    try {
      await send('/nowhere', { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'DELETE' } });
      expect(lastTrace().cors?.decision).toMatch(/gateway answered it, without CORS headers: .*DELETE/);
      await send('/me');
      expect(lastTrace().authorizer).toMatchObject({ kind: 'jwt', name: 'main', allowed: false, statusCode: 401, reason: expect.stringContaining('missing') });
      await send('/keyed', { headers: { 'x-key': 'ok' } });
      expect(lastTrace().authorizer).toMatchObject({ kind: 'request', name: 'key', allowed: true, cache: 'miss', event: { type: 'REQUEST', identitySource: ['ok'] }, answer: '{"isAuthorized":true}' });
      await send('/keyed', { headers: { 'x-key': 'ok' } });
      expect(lastTrace().authorizer).toMatchObject({ kind: 'request', allowed: true, cache: 'hit' });
      await send('/keyed');
      expect(lastTrace().authorizer).toMatchObject({ kind: 'request', allowed: false, statusCode: 401, cache: 'no-identity' });
    } finally {
      stop();
    }
  });

  it('reloads are listed with their outcome', async () => {
    const result = await gw.reload({ handlers: false });
    expect(result.ok).toBe(true);
    expect(gw.inspector.reloads()[0]).toMatchObject({ ok: true, reason: 'config' });
  });
});

describe('Inspector ring', () => {
  it('keeps the last N requests, newest first, and drops the traces of the ones it forgets', () => {
    const inspector = new Inspector(3);
    const stop = inspector.watch();
    for (let i = 0; i < 5; i++) {
      const request = { requestId: `r${i}`, timeEpoch: i, method: 'GET', rawPath: `/${i}`, rawQueryString: '', rawHeaders: [], body: undefined };
      const trace = inspector.begin(request);
      inspector.record({ method: 'GET', path: `/${i}`, routeKey: undefined, statusCode: 404, durationMs: 1, requestId: `r${i}` }, i, trace);
    }
    stop();
    expect(inspector.list().map((s) => s.requestId)).toEqual(['r4', 'r3', 'r2']);
    expect(inspector.get('r1')).toBeUndefined();
    expect(inspector.get('r4')?.request.rawPath).toBe('/4');
    expect(inspector.active).toBe(false);
  });
});
