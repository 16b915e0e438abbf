// Conformance of the Runtime API (AWS's runtimes-api reference and its Runtime Interface
// Emulator, rapi/): each path, header, status code and error body, over real HTTP on loopback.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { LAMBDA_MAX_RESPONSE_BYTES } from '../call-handler.js';
import { MAX_PREFETCH, RuntimeApi, type ApiError, type ApiInvocation, type RuntimeApiListener } from './runtime-api.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:fn';

interface Recorded extends RuntimeApiListener {
  events: string[];
  answers: Array<{ id: string; outcome: unknown }>;
  initErrors: ApiError[];
}

function recorder(): Recorded {
  const r: Recorded = {
    events: [],
    answers: [],
    initErrors: [],
    initDone: () => r.events.push('initDone'),
    delivered: (invocation) => r.events.push(`delivered ${invocation.requestId}`),
    returned: (invocation) => r.events.push(`returned ${invocation.requestId}`),
    answered: (invocation, outcome) => {
      r.events.push(`answered ${invocation.requestId}`);
      r.answers.push({ id: invocation.requestId, outcome });
    },
    initFailed: (error) => {
      r.events.push('initFailed');
      r.initErrors.push(error);
    },
  };
  return r;
}

const apis: RuntimeApi[] = [];
afterEach(async () => {
  await Promise.all(apis.splice(0).map((api) => api.close()));
});

async function start(): Promise<{ api: RuntimeApi; events: Recorded; url: (path: string) => string }> {
  const events = recorder();
  const api = await RuntimeApi.start(events, ARN);
  apis.push(api);
  return { api, events, url: (path) => `http://${api.address}/2018-06-01/runtime/${path}` };
}

const invocation = (requestId: string, extra: Partial<ApiInvocation> = {}): ApiInvocation => ({
  requestId,
  deadline: Date.now() + 3_000,
  body: JSON.stringify({ hello: requestId }),
  traceId: 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=0',
  ...extra,
});

async function call(url: string, method: 'GET' | 'POST' = 'GET', body?: string | Buffer, headers: Record<string, string> = {}) {
  const res = await request(url, { method, body, headers });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
}

describe('Runtime API: GET /runtime/invocation/next', () => {
  it('answers 200 with the event and the Lambda-Runtime-* headers of the documentation', async () => {
    const { api, events, url } = await start();
    expect(api.address).toMatch(/^127\.0\.0\.1:\d+$/);
    const deadline = Date.now() + 5_000.7;
    api.offer(invocation('8476a536-e9f4-11e8-9739-2dfe598c3fcd', { deadline }));
    const res = await call(url('invocation/next'));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ hello: '8476a536-e9f4-11e8-9739-2dfe598c3fcd' });
    expect(res.headers).toMatchObject({
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': '8476a536-e9f4-11e8-9739-2dfe598c3fcd',
      'lambda-runtime-deadline-ms': String(Math.floor(deadline)),
      'lambda-runtime-invoked-function-arn': ARN,
      'lambda-runtime-trace-id': 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=0',
    });
    // Only invocations from the mobile SDKs carry these; API Gateway's never do.
    expect(res.headers).not.toHaveProperty('lambda-runtime-client-context');
    expect(res.headers).not.toHaveProperty('lambda-runtime-cognito-identity');
    expect(events.events).toEqual(['initDone', 'delivered 8476a536-e9f4-11e8-9739-2dfe598c3fcd']);
  });

  it('sends Lambda-Runtime-Client-Context and -Cognito-Identity when the invocation has them', async () => {
    const { api, url } = await start();
    api.offer(invocation('a', { clientContext: '{"custom":{"k":"v"}}', cognitoIdentity: '{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}' }));
    const res = await call(url('invocation/next'));
    expect(res.headers['lambda-runtime-client-context']).toBe('{"custom":{"k":"v"}}');
    expect(res.headers['lambda-runtime-cognito-identity']).toBe('{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}');
  });

  it('waits while there is no invocation, and answers as soon as one is offered', async () => {
    const { api, events, url } = await start();
    const pending = call(url('invocation/next'));
    await expect.poll(() => events.events).toEqual(['initDone']);
    api.offer(invocation('later'));
    const res = await pending;
    expect(res.headers['lambda-runtime-aws-request-id']).toBe('later');
  });

  it('a deadline-less invocation gets Lambda\'s longest (900 s)', async () => {
    const { api, url } = await start();
    api.offer(invocation('x', { deadline: Infinity }));
    const before = Date.now();
    const res = await call(url('invocation/next'));
    const deadline = Number(res.headers['lambda-runtime-deadline-ms']);
    expect(deadline).toBeGreaterThanOrEqual(before + 900_000);
    expect(deadline).toBeLessThan(Date.now() + 900_001);
  });

  it('an invocation withdrawn before the runtime asks is never handed out', async () => {
    const { api, events, url } = await start();
    const first = invocation('gone');
    api.offer(first);
    expect(api.withdraw(first)).toBe(true);
    const pending = call(url('invocation/next'));
    await expect.poll(() => events.events).toEqual(['initDone']);
    api.offer(invocation('kept'));
    expect((await pending).headers['lambda-runtime-aws-request-id']).toBe('kept');
  });
});

describe('Runtime API: POST /runtime/invocation/{id}/response', () => {
  it('202 {"status":"OK"}; the body is the invocation\'s result, byte for byte', async () => {
    const { api, events, url } = await start();
    api.offer(invocation('r1'));
    await call(url('invocation/next'));
    const res = await call(url('invocation/r1/response'), 'POST', '{"statusCode":201,"body":"é"}');
    expect(res.status).toBe(202);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json()).toEqual({ status: 'OK' });
    expect(events.answers).toEqual([{ id: 'r1', outcome: { kind: 'ok', payload: '{"statusCode":201,"body":"é"}' } }]);
  });

  it('400 InvalidRequestID for an id that is not the current invocation\'s, before any and after another', async () => {
    const { api, events, url } = await start();
    const invalid = { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' };
    const early = await call(url('invocation/r1/response'), 'POST', 'x');
    expect([early.status, early.json()]).toEqual([400, invalid]);
    api.offer(invocation('r1'));
    await call(url('invocation/next'));
    const wrong = await call(url('invocation/other/response'), 'POST', 'x');
    expect([wrong.status, wrong.json()]).toEqual([400, invalid]);
    const wrongError = await call(url('invocation/other/error'), 'POST', '{}');
    expect([wrongError.status, wrongError.json()]).toEqual([400, invalid]);
    expect(events.answers).toEqual([]);
  });

  it('403 InvalidStateTransition for a second answer to the same invocation', async () => {
    const { api, events, url } = await start();
    api.offer(invocation('r1'));
    await call(url('invocation/next'));
    expect((await call(url('invocation/r1/response'), 'POST', '1')).status).toBe(202);
    const again = await call(url('invocation/r1/response'), 'POST', '2');
    expect(again.status).toBe(403);
    expect(again.json()).toEqual({
      errorMessage: 'State transition from RuntimeResponseSentState to InvocationResponse failed for runtime. Error: State transition is not allowed',
      errorType: 'InvalidStateTransition',
    });
    const error = await call(url('invocation/r1/error'), 'POST', '{}');
    expect(error.status).toBe(403);
    expect(events.answers).toHaveLength(1);
  });

  it(`413 RequestEntityTooLarge past ${LAMBDA_MAX_RESPONSE_BYTES} bytes; the invocation fails as Lambda fails it (Function.ResponseSizeTooLarge)`, async () => {
    const { api, events, url } = await start();
    api.offer(invocation('big'));
    await call(url('invocation/next'));
    const size = LAMBDA_MAX_RESPONSE_BYTES + 1;
    const res = await call(url('invocation/big/response'), 'POST', Buffer.alloc(size, 'a'));
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).', errorType: 'RequestEntityTooLarge' });
    expect(events.answers).toEqual([
      {
        id: 'big',
        outcome: {
          kind: 'error',
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size (${size} bytes) exceeded maximum allowed payload size (6291556 bytes).`,
        },
      },
    ]);
  });

  it('exactly the quota is a response', async () => {
    const { api, events, url } = await start();
    api.offer(invocation('edge'));
    await call(url('invocation/next'));
    expect((await call(url('invocation/edge/response'), 'POST', Buffer.alloc(LAMBDA_MAX_RESPONSE_BYTES, 'a'))).status).toBe(202);
    expect((events.answers[0]!.outcome as { payload: string }).payload).toHaveLength(LAMBDA_MAX_RESPONSE_BYTES);
  });

  it('an answer and the next GET sent together (pipelined on one connection): 202, then the next invocation, which can be answered', async () => {
    const { api, events } = await start();
    api.offer(invocation('p1'));
    const socket = net.connect(Number(api.address.split(':')[1]), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const next = 'GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n';
    const answer = (id: string, body: string) => `POST /2018-06-01/runtime/invocation/${id}/response HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    socket.write(next);
    await expect.poll(() => events.events).toContain('delivered p1');
    socket.write(answer('p1', '"one"') + next);
    await expect.poll(() => events.answers.length).toBe(1);
    api.offer(invocation('p2'));
    await expect.poll(() => events.events).toContain('delivered p2');
    socket.write(answer('p2', '"two"'));
    await expect.poll(() => received.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 202', 'HTTP/1.1 200', 'HTTP/1.1 202']);
    socket.destroy();
    expect(events.answers.map((a) => a.outcome)).toEqual([
      { kind: 'ok', payload: '"one"' },
      { kind: 'ok', payload: '"two"' },
    ]);
  });

  it('a percent-encoded id is the same id', async () => {
    const { api, url } = await start();
    api.offer(invocation('JCJSViW5PHcESow='));
    await call(url('invocation/next'));
    expect((await call(url('invocation/JCJSViW5PHcESow%3D/response'), 'POST', 'null')).status).toBe(202);
  });
});

describe('Runtime API: POST /runtime/invocation/{id}/error', () => {
  it('202; the error body (errorMessage, errorType, stackTrace) becomes the invocation\'s error', async () => {
    const { api, events, url } = await start();
    api.offer(invocation('e1'));
    await call(url('invocation/next'));
    const body = { errorMessage: 'Error parsing event data.', errorType: 'InvalidEventDataException', stackTrace: ['  File "/var/task/app.py", line 3, in handler\n', '    raise X\n'] };
    const res = await call(url('invocation/e1/error'), 'POST', JSON.stringify(body), { 'Lambda-Runtime-Function-Error-Type': 'Unhandled' });
    expect([res.status, res.json()]).toEqual([202, { status: 'OK' }]);
    expect(events.answers[0]!.outcome).toEqual({
      kind: 'error',
      errorType: 'InvalidEventDataException',
      errorMessage: 'Error parsing event data.',
      stack: '  File "/var/task/app.py", line 3, in handler\n    raise X',
    });
  });

  it('a body that is not an error document: the body is the message, Lambda-Runtime-Function-Error-Type (else Unhandled) the type', async () => {
    const { api, events, url } = await start();
    api.offer(invocation('e1'));
    await call(url('invocation/next'));
    await call(url('invocation/e1/error'), 'POST', 'it broke', { 'Lambda-Runtime-Function-Error-Type': 'Runtime.Custom' });
    api.offer(invocation('e2'));
    await call(url('invocation/next'));
    await call(url('invocation/e2/error'), 'POST', 'again');
    expect(events.answers.map((a) => a.outcome)).toEqual([
      { kind: 'error', errorType: 'Runtime.Custom', errorMessage: 'it broke' },
      { kind: 'error', errorType: 'Unhandled', errorMessage: 'again' },
    ]);
  });
});

describe('Runtime API: POST /runtime/init/error', () => {
  it('202 during init; the runtime then cannot ask for invocations (403)', async () => {
    const { events, url } = await start();
    const body = { errorMessage: "Unable to import module 'app': No module named 'requests'", errorType: 'Runtime.ImportModuleError', stackTrace: [] };
    const res = await call(url('init/error'), 'POST', JSON.stringify(body), { 'Lambda-Runtime-Function-Error-Type': 'Runtime.ImportModuleError' });
    expect([res.status, res.json()]).toEqual([202, { status: 'OK' }]);
    expect(events.initErrors).toEqual([{ errorType: 'Runtime.ImportModuleError', errorMessage: "Unable to import module 'app': No module named 'requests'" }]);
    const next = await call(url('invocation/next'));
    expect(next.status).toBe(403);
    expect(next.json()).toEqual({ errorMessage: 'State transition from InitError to Ready failed for runtime. Error: State transition is not allowed', errorType: 'InvalidStateTransition' });
  });

  it('403 once init is over', async () => {
    const { api, events, url } = await start();
    api.offer(invocation('r'));
    await call(url('invocation/next'));
    const res = await call(url('init/error'), 'POST', '{"errorMessage":"late","errorType":"X"}');
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({ errorMessage: 'State transition from Ready to InitError failed for runtime. Error: State transition is not allowed', errorType: 'InvalidStateTransition' });
    expect(events.initErrors).toEqual([]);
  });

  it('an answer before init is over is refused: the id is unknown (400)', async () => {
    const { url } = await start();
    expect((await call(url('invocation/x/error'), 'POST', '{}')).status).toBe(400);
  });
});

describe('Runtime API: other paths and methods', () => {
  it('404 for a path it does not serve (the version prefix included), 405 for a served path with another method', async () => {
    const { api } = await start();
    const base = `http://${api.address}`;
    for (const path of ['/runtime/invocation/next', '/2018-06-01/runtime/invocation/x/result', '/2018-06-01/extension/register', '/']) {
      const res = await call(base + path);
      expect([path, res.status, res.text]).toEqual([path, 404, '404 page not found\n']);
    }
    expect((await call(`${base}/2018-06-01/runtime/invocation/next`, 'POST', '')).status).toBe(405);
    expect((await call(`${base}/2018-06-01/runtime/init/error`)).status).toBe(405);
    expect((await call(`${base}/2018-06-01/runtime/invocation/x/response`)).status).toBe(405);
  });
});

describe('Runtime API: prefetch (localgw\'s addition, for its own client)', () => {
  const NEXT = 'GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n';
  const PREFETCH_NEXT = 'GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\nLocalgw-Runtime-Prefetch: 1\r\n\r\n';
  const post = (id: string, kind: string, body = '') => `POST /2018-06-01/runtime/invocation/${id}/${kind} HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

  /** A raw connection; `statuses()` lists the status lines and request ids received so far, in order. */
  function connect(api: RuntimeApi) {
    const socket = net.connect(Number(api.address.split(':')[1]), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    sockets.push(socket);
    return {
      write: (text: string) => socket.write(text),
      statuses: () => [...received.matchAll(/HTTP\/1\.1 (\d{3})[^]*?(?:lambda-runtime-aws-request-id: (\S+)\r\n[^]*?)?\r\n\r\n/gi)].map((m) => (m[2] ? `${m[1]} ${m[2]}` : m[1])),
    };
  }
  const sockets: net.Socket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.destroy();
  });

  it('GETs with Localgw-Runtime-Prefetch: 1 are answered while an invocation runs; each starts when the one before is answered, in order', async () => {
    const { api, events } = await start();
    const c = connect(api);
    c.write(PREFETCH_NEXT + PREFETCH_NEXT + PREFETCH_NEXT);
    await expect.poll(() => events.events).toContain('initDone');
    expect(api.prefetching).toBe(true);
    api.offer(invocation('a'));
    await expect.poll(() => events.events).toContain('delivered a');
    // Offered while `a` runs: handed out to the GETs waiting behind.
    api.offer(invocation('b'));
    api.offer(invocation('c'));
    await expect.poll(() => events.events).toContain('delivered c');
    expect(api.running).toBe(true);
    // Only the running one may be answered: `b` is not current yet.
    c.write(post('b', 'response', '"early"'));
    await expect.poll(() => c.statuses()).toEqual(['200 a', '200 b', '200 c', '400']);
    c.write(post('a', 'response', '"A"') + post('b', 'response', '"B"') + post('c', 'error', '{"errorType":"E","errorMessage":"m"}'));
    await expect.poll(() => events.answers.length).toBe(3);
    expect(events.answers).toEqual([
      { id: 'a', outcome: { kind: 'ok', payload: '"A"' } },
      { id: 'b', outcome: { kind: 'ok', payload: '"B"' } },
      { id: 'c', outcome: { kind: 'error', errorType: 'E', errorMessage: 'm' } },
    ]);
    await expect.poll(() => c.statuses()).toEqual(['200 a', '200 b', '200 c', '400', '202', '202', '202']);
    expect(api.running).toBe(false);
  });

  it('an answer posted behind a waiting GET is taken at once; its 202 follows that GET\'s answer', async () => {
    const { api, events } = await start();
    const c = connect(api);
    c.write(PREFETCH_NEXT + PREFETCH_NEXT);
    api.offer(invocation('a'));
    await expect.poll(() => events.events).toContain('delivered a');
    // The second GET waits (nothing offered); the answer behind it must not wait with it.
    c.write(post('a', 'response', '"A"') + PREFETCH_NEXT);
    await expect.poll(() => events.answers.length).toBe(1);
    expect(c.statuses()).toEqual(['200 a']);
    api.offer(invocation('b'));
    await expect.poll(() => c.statuses()).toEqual(['200 a', '200 b', '202']);
  });

  it('POST …/localgw-return hands back a prefetched invocation that has not started (202); any other id is 400', async () => {
    const { api, events } = await start();
    const c = connect(api);
    c.write(PREFETCH_NEXT + PREFETCH_NEXT);
    api.offer(invocation('a'));
    await expect.poll(() => events.events).toContain('delivered a');
    api.offer(invocation('b'));
    await expect.poll(() => events.events).toContain('delivered b');
    // `a` runs: it cannot be returned. `b` can, once.
    c.write(post('a', 'localgw-return') + post('b', 'localgw-return') + post('b', 'localgw-return'));
    await expect.poll(() => c.statuses()).toEqual(['200 a', '200 b', '400', '202', '400']);
    expect(events.events).toContain('returned b');
    // What was returned is not the runtime's any more: after `a`, nothing is current.
    c.write(post('a', 'response', '"A"') + post('b', 'response', '"B"'));
    await expect.poll(() => c.statuses()).toEqual(['200 a', '200 b', '400', '202', '400', '202', '400']);
    expect(events.answers.map((a) => a.id)).toEqual(['a']);
  });

  it('a runtime that does not ask for prefetch gets the standard API: one waiting GET, no localgw-return', async () => {
    const { api, events } = await start();
    const c = connect(api);
    c.write(NEXT + NEXT);
    await expect.poll(() => events.events).toContain('initDone');
    expect(api.prefetching).toBe(false);
    api.offer(invocation('a'));
    await expect.poll(() => events.events).toContain('delivered a');
    c.write(post('a', 'localgw-return'));
    // Answers in request order: the second GET's 403 after the first's invocation; then, as the
    // emulator's router, a path it does not serve.
    await expect.poll(() => c.statuses()).toEqual(['200 a', '403', '404']);
  });

  it('past 16 unanswered requests on a connection, reading waits, and goes on as they are answered', async () => {
    const { api, events } = await start();
    const c = connect(api);
    const ids = Array.from({ length: 1 + MAX_PREFETCH }, (_, i) => `i${i}`);
    // 9 GETs that wait, then 10 requests answered at once but queued behind them: 19 in all.
    c.write(PREFETCH_NEXT.repeat(ids.length) + 'GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(10));
    await expect.poll(() => events.events).toContain('initDone');
    for (const id of ids) api.offer(invocation(id));
    await expect.poll(() => c.statuses()).toEqual([...ids.map((id) => `200 ${id}`), ...Array<string>(10).fill('404')]);
  });

  it('at most 1 + MAX_PREFETCH GETs wait', async () => {
    const { api, events } = await start();
    const c = connect(api);
    c.write(PREFETCH_NEXT.repeat(1 + MAX_PREFETCH + 1));
    await expect.poll(() => events.events).toContain('initDone');
    const ids = Array.from({ length: 1 + MAX_PREFETCH }, (_, i) => `i${i}`);
    for (const id of ids) {
      api.offer(invocation(id));
      await expect.poll(() => events.events).toContain(`delivered ${id}`);
    }
    // The one too many is refused, in its place after the others' invocations.
    await expect.poll(() => c.statuses()).toEqual([...ids.map((id) => `200 ${id}`), '403']);
  });
});

describe('Runtime API: HTTP/1.1 as clients send it', () => {
  /** Writes `parts` one by one on one connection and resolves with all it received once it sees `until`. */
  async function raw(api: RuntimeApi, parts: string[], until: RegExp): Promise<string> {
    const socket = net.connect(Number(api.address.split(':')[1]), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    try {
      for (const part of parts) {
        socket.write(part);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await expect.poll(() => received, { timeout: 5_000 }).toMatch(until);
      return received;
    } finally {
      socket.destroy();
    }
  }

  it('a chunked body (Transfer-Encoding: chunked, split across writes, with a trailer) is the body', async () => {
    const { api, events } = await start();
    api.offer(invocation('c1'));
    await raw(api, ['GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n'], /\{"hello":"c1"\}/);
    const head = 'POST /2018-06-01/runtime/invocation/c1/response HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n';
    const received = await raw(api, [head + '5\r\n{"a":\r\n', '4;ext=1\r\n"b"}\r\n0\r\nX-Trailer: t\r\n\r\n'], /HTTP\/1\.1 202 Accepted/);
    expect(received).toContain('{"status":"OK"}');
    expect(events.answers[0]!.outcome).toEqual({ kind: 'ok', payload: '{"a":"b"}' });
  });

  it('Expect: 100-continue gets 100 Continue before the body is sent', async () => {
    const { api, events } = await start();
    api.offer(invocation('e'));
    await raw(api, ['GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n'], /\{"hello":"e"\}/);
    const socket = net.connect(Number(api.address.split(':')[1]), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.write('POST /2018-06-01/runtime/invocation/e/response HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n');
    await expect.poll(() => received).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    socket.write('true');
    await expect.poll(() => received).toMatch(/HTTP\/1\.1 202 Accepted/);
    socket.destroy();
    expect(events.answers[0]!.outcome).toEqual({ kind: 'ok', payload: 'true' });
  });

  it('Connection: close and HTTP/1.0 are answered, then the connection closes (curl\'s one-shot requests)', async () => {
    const { api } = await start();
    api.offer(invocation('k'));
    const received = await raw(api, ['GET /2018-06-01/runtime/invocation/next HTTP/1.0\r\nHost: x\r\n\r\n'], /\{"hello":"k"\}/);
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Connection: close\r\n/);
    const closed = await raw(api, ['POST /2018-06-01/runtime/invocation/k/response HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 1\r\n\r\n1'], /Connection: close/);
    expect(closed).toMatch(/^HTTP\/1\.1 202 Accepted/);
  });

  it('a malformed request line or length is 400, a header section over 64 kB is 431; the connection is closed', async () => {
    const { api } = await start();
    expect(await raw(api, ['NOT HTTP AT ALL\r\n\r\n'], /^HTTP\/1\.1 400 Bad Request/)).toContain('Connection: close');
    expect(await raw(api, ['POST /2018-06-01/runtime/init/error HTTP/1.1\r\nContent-Length: -1\r\n\r\n'], /^HTTP\/1\.1 400/)).toBeTruthy();
    expect(await raw(api, [`GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`], /^HTTP\/1\.1 431/)).toBeTruthy();
  });
});
