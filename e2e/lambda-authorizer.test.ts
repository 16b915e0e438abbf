import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, type RunningCli } from './helpers/cli.js';
import { editFile, eventually } from './helpers/edit.js';
import { http } from './helpers/http.js';
import { tempProject } from './helpers/project.js';

// aws-behavior.md §5 end to end (issue 14): Lambda REQUEST authorizers run by the built CLI in
// worker threads like any handler. Every authorizer appends the event it received to
// `calls.jsonl`, so the tests count real invocations (the cache, the 401 that never invokes)
// and read the exact event.

const RECORD = `
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
const record = (name, event) => appendFileSync(join(process.env.LAMBDA_TASK_ROOT, 'calls.jsonl'), JSON.stringify({ name, event }) + '\\n');
`;

const AUTHORIZERS = `${RECORD}
export const simple = async (event) => {
  record('simple', event);
  const key = event.headers['x-api-key'];
  return { isAuthorized: key === 'good' || key === 'slow-good', context: { user: 'alice', n: 3, admin: true, groups: ['a', 'b'], nested: { k: 'v' } } };
};

export const policy = async (event) => {
  record('policy', event);
  const [, , , , , rest] = event.routeArn.split(':');
  const apiAndStage = rest.split('/').slice(0, 2).join('/');
  return {
    principalId: 'user-42',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: event.routeArn.split('/').slice(0, 2).join('/') + '/GET/items/*' },
        { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:*:*:' + apiAndStage + '/GET/items/secret' },
      ],
    },
    context: { tier: 'gold', quota: 10 },
  };
};

export const v1 = async (event) => {
  record('v1', event);
  return {
    principalId: 'v1-user',
    policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: event.methodArn }] },
    context: { role: 'reader', level: 2 },
  };
};

export const noContext = async (event) => {
  record('noContext', event);
  return { isAuthorized: true };
};

export const throws = async (event) => {
  record('throws', event);
  throw new Error('database unreachable');
};

export const garbage = async (event) => {
  record('garbage', event);
  return { isAuthorized: 'yes' };
};

export const hangs = (event) => {
  record('hangs', event);
  return new Promise(() => setTimeout(() => {}, 60_000));
};

export const short = async (event) => {
  record('short', event);
  return { isAuthorized: true };
};
`;

const API = `
export const echo = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
`;

const config = {
  cors: { allowOrigins: ['http://app.local'], allowHeaders: ['x-api-key'], allowMethods: ['GET'] },
  authorizers: {
    simple: { type: 'request', handler: 'auth.simple', payloadFormatVersion: '2.0', enableSimpleResponses: true, identitySource: ['$request.header.x-api-key'] },
    policy: { type: 'request', handler: 'auth.policy', payloadFormatVersion: '2.0', identitySource: ['$request.header.authorization'] },
    v1: { type: 'request', handler: 'auth.v1', payloadFormatVersion: '1.0', identitySource: ['$request.header.authorization', '$request.querystring.tenant'] },
    noContext: { type: 'request', handler: 'auth.noContext', payloadFormatVersion: '2.0', enableSimpleResponses: true },
    throws: { type: 'request', handler: 'auth.throws', payloadFormatVersion: '2.0', enableSimpleResponses: true, identitySource: '$request.header.x-api-key' },
    garbage: { type: 'request', handler: 'auth.garbage', payloadFormatVersion: '2.0', enableSimpleResponses: true, identitySource: '$request.header.x-api-key' },
    hangs: { type: 'request', handler: 'auth.hangs', payloadFormatVersion: '2.0', enableSimpleResponses: true, identitySource: '$request.header.x-api-key' },
    short: { type: 'request', handler: 'auth.short', payloadFormatVersion: '2.0', enableSimpleResponses: true, identitySource: '$request.header.x-api-key', resultTtlInSeconds: 1 },
  },
  routes: {
    'GET /simple': { handler: 'api.echo', authorizer: 'simple' },
    'GET /simple/other': { handler: 'api.echo', authorizer: 'simple' },
    'GET /items/{id}': { handler: 'api.echo', authorizer: 'policy' },
    'DELETE /items/{id}': { handler: 'api.echo', authorizer: 'policy' },
    'GET /v1/{id}': { handler: 'api.echo', authorizer: 'v1', payloadFormatVersion: '1.0' },
    'GET /open': { handler: 'api.echo', authorizer: 'noContext' },
    'GET /throws': { handler: 'api.echo', authorizer: 'throws' },
    'GET /garbage': { handler: 'api.echo', authorizer: 'garbage' },
    'GET /hangs': { handler: 'api.echo', authorizer: 'hangs' },
    'GET /short': { handler: 'api.echo', authorizer: 'short' },
  },
};

let project: ReturnType<typeof tempProject>;
let gw: RunningCli;

beforeAll(async () => {
  project = tempProject({ 'auth.mjs': AUTHORIZERS, 'api.mjs': API, 'localgw.config.json': config });
  gw = await startCli([], { cwd: project.dir });
});
afterAll(async () => {
  await gw?.stop();
  project?.cleanup();
});

interface Call {
  name: string;
  event: Record<string, any>;
}
function calls(name?: string): Call[] {
  const file = project.path('calls.jsonl');
  if (!existsSync(file)) return [];
  const all = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Call);
  return name === undefined ? all : all.filter((c) => c.name === name);
}
const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => http(gw.url + path, { method, headers });

describe('§5 Lambda REQUEST authorizers, payload 2.0 with simple responses', () => {
  it('allows, and the integration event carries the context with its JSON types (§5.5)', async () => {
    const res = await get('/simple', { 'x-api-key': 'good' });
    expect(res.status).toBe(200);
    expect(res.json().requestContext.authorizer).toEqual({ lambda: { user: 'alice', n: 3, admin: true, groups: ['a', 'b'], nested: { k: 'v' } } });
  });

  it('the authorizer received the §5.1 event: type, routeArn, the identitySource values, no body', async () => {
    await get('/simple?x=1', { 'x-api-key': 'event-check', 'content-type': 'text/plain' });
    const event = calls('simple').at(-1)!.event;
    expect(event).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: 'arn:aws:execute-api:us-east-1:123456789012:localgw/$default/GET/simple',
      identitySource: ['event-check'],
      routeKey: 'GET /simple',
      rawPath: '/simple',
      rawQueryString: 'x=1',
      queryStringParameters: { x: '1' },
    });
    expect(event.headers['x-api-key']).toBe('event-check');
    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('isBase64Encoded');
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  it('isAuthorized false is 403 {"message":"Forbidden"}', async () => {
    const res = await get('/simple', { 'x-api-key': 'bad' });
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({ message: 'Forbidden' });
    expect(res.headers['apigw-requestid']).toBeTruthy();
  });

  it('a missing identity source is 401 without invoking the authorizer and without www-authenticate (§5.2, §10)', async () => {
    const before = calls('simple').length;
    const res = await get('/simple');
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ message: 'Unauthorized' });
    expect(res.headers['www-authenticate']).toBeUndefined();
    const empty = await get('/simple', { 'x-api-key': '' });
    expect(empty.status).toBe(401);
    expect(calls('simple').length).toBe(before);
    await gw.waitForOutput(/GET \/simple → GET \/simple · 401 · [\d.]+ ms · lambda simple ✗ 401 missing or empty identity source \$request\.header\.x-api-key/);
  });

  it('answers are cached by identity value, for every route of the authorizer (§5.4)', async () => {
    const before = calls('simple').length;
    for (const path of ['/simple', '/simple/other', '/simple']) {
      expect((await get(path, { 'x-api-key': 'cache-me' })).status).toBe(403);
    }
    expect(calls('simple').length).toBe(before + 1);
    expect((await get('/simple', { 'x-api-key': 'another' })).status).toBe(403);
    expect(calls('simple').length).toBe(before + 2);
    await gw.waitForOutput(/lambda simple ✗ 403 isAuthorized: false \(cached\)/);
  });

  it('an entry expires with the authorizer TTL', async () => {
    const before = calls('short').length;
    expect((await get('/short', { 'x-api-key': 'ttl' })).status).toBe(200);
    expect((await get('/short', { 'x-api-key': 'ttl' })).status).toBe(200);
    expect(calls('short').length).toBe(before + 1);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect((await get('/short', { 'x-api-key': 'ttl' })).status).toBe(200);
    expect(calls('short').length).toBe(before + 2);
  });

  it('without identity sources the authorizer runs on every request, and no context is "lambda": null (§10)', async () => {
    const before = calls('noContext').length;
    const res = await get('/open');
    expect(res.status).toBe(200);
    expect(res.json().requestContext.authorizer).toEqual({ lambda: null });
    await get('/open');
    expect(calls('noContext').length).toBe(before + 2);
  });
});

describe('§5.3 IAM policy answers, evaluated against each route ARN', () => {
  it('a cached policy is re-evaluated for each route: allowed for GET /items/*, denied for DELETE and the explicit Deny', async () => {
    const before = calls('policy').length;
    const token = { authorization: 'Bearer p1' };
    const ok = await get('/items/1', token);
    expect(ok.status).toBe(200);
    expect(ok.json().requestContext.authorizer).toEqual({ lambda: { tier: 'gold', quota: 10 } });
    expect((await get('/items/1', token, 'DELETE')).status).toBe(403);
    expect((await get('/items/secret', token)).status).toBe(403);
    expect(calls('policy').length).toBe(before + 1);
    await gw.waitForOutput(/DELETE \/items\/1 → DELETE \/items\/\{id\} · 403 · [\d.]+ ms · lambda policy ✗ 403 no statement allows execute-api:Invoke on arn:aws:execute-api:us-east-1:123456789012:localgw\/\$default\/DELETE\/items\/1 \(cached\)/);
  });

  it('payload 1.0: methodArn and comma-joined identity values; the integration gets the context flattened with principalId', async () => {
    const res = await get('/v1/7?tenant=acme', { authorization: 'Bearer one' });
    expect(res.status).toBe(200);
    expect(res.json().requestContext.authorizer).toEqual({ role: 'reader', level: 2, principalId: 'v1-user' });
    const event = calls('v1').at(-1)!.event;
    expect(event).toMatchObject({
      version: '1.0',
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:us-east-1:123456789012:localgw/$default/GET/v1/7',
      identitySource: 'Bearer one,acme',
      authorizationToken: 'Bearer one,acme',
      resource: '/v1/{id}',
      path: '/v1/7',
      httpMethod: 'GET',
      queryStringParameters: { tenant: 'acme' },
      pathParameters: { id: '7' },
    });
    expect(event).not.toHaveProperty('body');
  });
});

describe('§5.3 a failing authorizer is 500, with the reason in the log', () => {
  it('throws', async () => {
    const res = await get('/throws', { 'x-api-key': 'k' });
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ message: 'Internal Server Error' });
    await gw.waitForOutput(/GET \/throws → GET \/throws · 500 · [\d.]+ ms · lambda throws ✗ 500 authorizer threw Error: database unreachable/);
  });

  it('answers something API Gateway cannot use', async () => {
    expect((await get('/garbage', { 'x-api-key': 'k' })).status).toBe(500);
    await gw.waitForOutput(/lambda garbage ✗ 500 malformed authorizer answer: simple responses are enabled/);
  });

  it('hangs past the 10 s authorizer limit', async () => {
    const started = Date.now();
    const res = await get('/hangs', { 'x-api-key': 'k' });
    expect(res.status).toBe(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_900);
    await gw.waitForOutput(/lambda hangs ✗ 500 authorizer timed out after 10000 ms/);
  }, 40_000);

  it('failures are not cached: the next request invokes the authorizer again', async () => {
    const before = calls('throws').length;
    await get('/throws', { 'x-api-key': 'k' });
    expect(calls('throws').length).toBe(before + 1);
  });
});

describe('§2.4 CORS headers on an authorizer\'s 401, 403 and 500', () => {
  it('carry the configured CORS headers for an allowed origin', async () => {
    for (const [path, headers, status] of [
      ['/simple', {}, 401],
      ['/simple', { 'x-api-key': 'bad' }, 403],
      ['/throws', { 'x-api-key': 'k' }, 500],
    ] as const) {
      const res = await get(path, { origin: 'http://app.local', ...headers });
      expect(res.status).toBe(status);
      expect(res.headers['access-control-allow-origin']).toBe('http://app.local');
    }
  });
});

describe('hot reload of an authorizer file', () => {
  it('an edit takes effect, with a fresh cache', async () => {
    expect((await get('/simple', { 'x-api-key': 'good' })).status).toBe(200);
    editFile(project.path('auth.mjs'), (text) => text.replace("key === 'good' ||", "key === 'nope' ||"));
    await eventually(async () => (await get('/simple', { 'x-api-key': 'good' })).status, 403);
  });
});

describe('localgw token and check know the kinds of authorizer', () => {
  it('token --authorizer NAME refuses a REQUEST authorizer, saying why', () => {
    const res = runCli(['token', '--authorizer', 'simple'], { cwd: project.dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Authorizer "simple" is a Lambda REQUEST authorizer');
  });

  it('check loads the authorizers\' handlers and names a missing export or file at its field', () => {
    const broken = tempProject({
      'auth.mjs': 'export const other = async () => ({ isAuthorized: true });',
      'api.mjs': API,
      'localgw.config.json': {
        authorizers: {
          a: { type: 'request', handler: 'auth.missing', payloadFormatVersion: '2.0', enableSimpleResponses: true },
          b: { type: 'request', handler: 'nowhere.handler', payloadFormatVersion: '2.0', enableSimpleResponses: true },
        },
        routes: { 'GET /a': { handler: 'api.echo', authorizer: 'a' }, 'GET /b': { handler: 'api.echo', authorizer: 'b' } },
      },
    });
    try {
      const res = runCli(['check'], { cwd: broken.dir });
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(/authorizers\.a\.handler: .*missing/);
      expect(res.stdout).toMatch(/authorizers\.b\.handler: /);
    } finally {
      broken.cleanup();
    }
  });
});
