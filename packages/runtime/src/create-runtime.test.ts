import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodeEventInput, encodeWireContext, PAYLOAD_FORMATS } from '@localgw/core';
import { describe, expect, it } from 'vitest';
import { createRuntime } from './create-runtime.js';
import { releaseSharedBody, sharedBody, sharedCopy } from './shared-bodies.js';
import { createTestRuntime, payloadOf, runNodeScript, useFixtureDir } from './test-support/fixtures.js';

const fx = useFixtureDir();

// ESM: .mjs anywhere, .js under "type": "module". CommonJS: .cjs anywhere, .js without it.
fx.write('esm/package.json', '{ "type": "module" }');
fx.write('cjs/package.json', '{}');
fx.write(
  'esm/items.js',
  `export const get = async (event) => ({ statusCode: 200, body: 'esm-js ' + event.id });
export const nested = { routes: { get: async () => 'nested' } };
export default async () => 'default export';`,
);
fx.write('esm/items.mjs', `export const get = async () => 'mjs';`);
fx.write('cjs/items.cjs', `exports.get = async () => 'cjs';`);
fx.write('cjs/items.js', `module.exports.get = async () => 'cjs-js';`);
// An exports object built at run time hides the names from Node's CommonJS export detection;
// the function is then only on the namespace's \`default\`.
fx.write('cjs/dynamic.js', `Object.assign(module.exports, { ['ge' + 't']: async () => 'cjs-default' });`);

fx.write(
  'styles.mjs',
  `export const asyncHandler = async (event) => ({ echo: event });
export const promiseHandler = (event) => Promise.resolve({ promised: event.n });
export const callbackHandler = (event, context, callback) => { setTimeout(() => callback(null, { called: 'back' }), 5); };
export const callbackError = (event, context, callback) => callback(new TypeError('bad input'));
export const succeed = (event, context) => { setTimeout(() => context.succeed('succeeded'), 5); };
export const fail = (event, context) => context.fail(new Error('failed'));
export const failNoArg = (event, context) => context.fail();
export const done = (event, context) => context.done(null, 'done');
export const syncReturn = () => ({ statusCode: 200 });
export const returnsUndefined = async () => undefined;
// Lambda waits for the event loop to empty before sending a callback result...
export const callbackWaits = (event, context, callback) => {
  globalThis.order = [];
  callback(null, 'after-timer');
  setTimeout(() => globalThis.order.push('timer'), 150);
};
// ...unless told not to.
export const callbackNoWait = (event, context, callback) => {
  context.callbackWaitsForEmptyEventLoop = false;
  callback(null, 'immediately');
  setTimeout(() => {}, 60000);
};
export const forgotToAwait = async () => { new Promise(() => {}); await new Promise(() => {}); };
`,
);

fx.write(
  'context.mjs',
  `import { threadId } from 'node:worker_threads';
export const handler = async (event, context) => {
  const first = context.getRemainingTimeInMillis();
  await new Promise((resolve) => setTimeout(resolve, 60));
  const second = context.getRemainingTimeInMillis();
  const { getRemainingTimeInMillis, done, succeed, fail, ...fields } = context;
  return { fields, first, second, threadId, callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
    functions: [typeof getRemainingTimeInMillis, typeof done, typeof succeed, typeof fail] };
};
export const env = async () => {
  const pick = (names) => Object.fromEntries(names.map((n) => [n, process.env[n]]));
  return pick(['AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_REGION',
    'AWS_DEFAULT_REGION', 'AWS_EXECUTION_ENV', 'LAMBDA_TASK_ROOT', '_HANDLER', 'AWS_LAMBDA_LOG_GROUP_NAME', 'TABLE', 'SHARED', 'PATH']);
};
export const mutateEnv = async (event) => { const before = process.env.MUTATED; process.env.MUTATED = event.value; return before ?? null; };
`,
);

fx.write(
  'console.mjs',
  `console.log('loading module');
export const handler = async (event) => {
  console.log('hello %s', event.name, { n: 1 });
  console.info('info'); console.warn('warn'); console.error(new Error('printed error').message); console.debug('debug');
  console.trace('traced');
  return 'logged';
};`,
);

describe('module formats', () => {
  it.each([
    ['ESM .js under "type": "module"', 'esm/items.get', { statusCode: 200, body: 'esm-js 7' }],
    ['ESM .mjs', 'esm/items.mjs.get', 'mjs'],
    ['CommonJS .cjs', 'cjs/items.cjs.get', 'cjs'],
    ['CommonJS .js without "type"', 'cjs/items.get', 'cjs-js'],
    ['CommonJS export found only on the namespace default', 'cjs/dynamic.get', 'cjs-default'],
    ['a nested export (Lambda `file.a.b`)', 'esm/items.nested.routes.get', 'nested'],
    ['the default export', 'esm/items.default', 'default export'],
  ])('%s', async (_title, spec, expected) => {
    const { invoke } = createTestRuntime();
    expect(payloadOf(await invoke(fx.ref(spec), { event: { id: 7 } }))).toEqual(expected);
  });
});

describe('handler styles (Lambda Node.js runtime)', () => {
  const cases: Array<[string, unknown]> = [
    ['asyncHandler', { echo: { n: 3 } }],
    ['promiseHandler', { promised: 3 }],
    ['callbackHandler', { called: 'back' }],
    ['succeed', 'succeeded'],
    ['done', 'done'],
    ['returnsUndefined', null],
    // A synchronous handler's return value is ignored: Lambda answers null once the loop empties.
    ['syncReturn', null],
  ];
  it.each(cases)('%s', async (name, expected) => {
    const { invoke } = createTestRuntime();
    expect(payloadOf(await invoke(fx.ref(`styles.${name}`), { event: { n: 3 } }))).toEqual(expected);
  });

  it('callback(err) and context.fail(err) are errors with the error name as errorType', async () => {
    const { invoke } = createTestRuntime();
    expect(await invoke(fx.ref('styles.callbackError'))).toMatchObject({ kind: 'error', errorType: 'TypeError', errorMessage: 'bad input' });
    expect(await invoke(fx.ref('styles.fail'))).toMatchObject({ kind: 'error', errorType: 'Error', errorMessage: 'failed' });
    expect(await invoke(fx.ref('styles.failNoArg'))).toMatchObject({ kind: 'error', errorType: 'string', errorMessage: 'handled' });
  });

  it('a callback result waits for the event loop to empty (callbackWaitsForEmptyEventLoop)', async () => {
    const { invoke } = createTestRuntime();
    const started = Date.now();
    expect(payloadOf(await invoke(fx.ref('styles.callbackWaits')))).toBe('after-timer');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('callbackWaitsForEmptyEventLoop = false sends the callback result at once', async () => {
    const { invoke } = createTestRuntime();
    const started = Date.now();
    expect(payloadOf(await invoke(fx.ref('styles.callbackNoWait')))).toBe('immediately');
    expect(Date.now() - started).toBeLessThan(10_000); // waiting would take the 60 s of its timer
  });

  it('an async handler whose promise can never settle fails with Runtime.NodeJsExit, not a hang', async () => {
    const { invoke } = createTestRuntime();
    expect(await invoke(fx.ref('styles.forgotToAwait'))).toMatchObject({ kind: 'error', errorType: 'Runtime.NodeJsExit' });
  });
});

describe('context and environment', () => {
  it('passes a Lambda context', async () => {
    const { invoke } = createTestRuntime();
    const result = payloadOf(await invoke(fx.ref('context.handler'), { functionName: 'GET_items_id', requestId: 'abc-123', timeoutMs: 15_000 })) as {
      fields: Record<string, unknown>;
      first: number;
      second: number;
      callbackWaitsForEmptyEventLoop: boolean;
      functions: string[];
    };
    expect(result.fields).toMatchObject({
      functionName: 'GET_items_id',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:GET_items_id',
      memoryLimitInMB: '128',
      awsRequestId: 'abc-123',
      logGroupName: '/aws/lambda/GET_items_id',
    });
    expect(result.fields.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(result.callbackWaitsForEmptyEventLoop).toBe(true);
    expect(result.functions).toEqual(['function', 'function', 'function', 'function']);
    // The clock started with invoke(): the cold start has used some of it.
    expect(result.first).toBeLessThanOrEqual(15_000);
    expect(result.first).toBeGreaterThan(10_000);
    expect(result.second).toBeLessThanOrEqual(result.first - 50);
  });

  it('sets Lambda variables, runtime-wide and route environment, on top of process.env', async () => {
    const { invoke } = createTestRuntime({ environment: { SHARED: 'yes' }, taskRoot: fx.dir });
    const env = payloadOf(await invoke(fx.ref('context.env'), { functionName: 'GET_items', environment: { TABLE: 'items' } }));
    expect(env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'GET_items',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
      LAMBDA_TASK_ROOT: fx.dir,
      _HANDLER: 'context.env',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/GET_items',
      TABLE: 'items',
      SHARED: 'yes',
      PATH: process.env.PATH,
    });
  });

  it('keeps each environment to its own workers, and never touches the main process env', async () => {
    const { invoke } = createTestRuntime();
    const ref = fx.ref('context.env');
    const a = payloadOf(await invoke(ref, { environment: { TABLE: 'a' } }));
    const b = payloadOf(await invoke(ref, { environment: { TABLE: 'b' } }));
    const none = payloadOf(await invoke(ref));
    expect([a, b, none].map((env) => (env as { TABLE?: string }).TABLE)).toEqual(['a', 'b', undefined]);

    const mutate = fx.ref('context.mutateEnv');
    expect(payloadOf(await invoke(mutate, { event: { value: 'one' } }))).toBe(null);
    // The same warm worker keeps its process.env between invocations, like a Lambda environment.
    expect(payloadOf(await invoke(mutate, { event: { value: 'two' } }))).toBe('one');
    expect(process.env.MUTATED).toBeUndefined();
  });
});

describe('console output', () => {
  it('forwards console.* with level, function name and request id; init output has no request id', async () => {
    const { invoke, logs } = createTestRuntime();
    expect(payloadOf(await invoke(fx.ref('console.handler'), { functionName: 'POST_hello', requestId: 'r-42', event: { name: 'Ada' } }))).toBe('logged');
    expect(logs.pop()).toMatchObject({ level: 'debug', text: expect.stringMatching(/^Trace: traced\n\s+at handler \(.*console\.mjs:5:/), requestId: 'r-42' });
    expect(logs).toEqual([
      { level: 'log', text: 'loading module', functionName: 'POST_hello' },
      { level: 'log', text: 'hello Ada { n: 1 }', functionName: 'POST_hello', requestId: 'r-42' },
      { level: 'info', text: 'info', functionName: 'POST_hello', requestId: 'r-42' },
      { level: 'warn', text: 'warn', functionName: 'POST_hello', requestId: 'r-42' },
      { level: 'error', text: 'printed error', functionName: 'POST_hello', requestId: 'r-42' },
      { level: 'debug', text: 'debug', functionName: 'POST_hello', requestId: 'r-42' },
    ]);
  });
});

describe('log lines tagged with their invocation (issue 13.3)', () => {
  it('carry the route key of the invocation that printed them, whichever route shares the function', async () => {
    const { invoke, logs } = createTestRuntime({ maxWorkersPerFunction: 1 });
    const ref = fx.ref('console.handler');
    await invoke(ref, { functionName: 'shared', requestId: 'a', routeKey: 'GET /items/{id}', event: { name: 'A' } });
    await invoke(ref, { functionName: 'shared', requestId: 'b', routeKey: 'GET /items/id', event: { name: 'B' } });
    const tags = logs.filter((l) => l.text.startsWith('hello')).map(({ requestId, routeKey, functionName }) => ({ requestId, routeKey, functionName }));
    expect(tags).toEqual([
      { requestId: 'a', routeKey: 'GET /items/{id}', functionName: 'shared' },
      { requestId: 'b', routeKey: 'GET /items/id', functionName: 'shared' },
    ]);
    // Init output belongs to no invocation.
    expect(logs.find((l) => l.text === 'loading module')).toEqual({ level: 'log', text: 'loading module', functionName: 'shared' });
  });
});

describe('events built in the worker (wireEvent)', () => {
  // A request from the gateway, with a body beside its text: the worker builds the event.
  const input = {
    request: {
      method: 'POST',
      rawPath: '/items/a%20b',
      rawQueryString: 'q=1&q=2',
      rawHeaders: ['Host', 'localhost:3000', 'Content-Type', 'application/json', 'Cookie', 'a=1; b=2'],
      body: Buffer.from('xx{"n":1}').subarray(2),
      sourceIp: '127.0.0.1',
      requestId: 'wire-1',
      timeEpoch: 1744668836573,
    },
    routeKey: 'POST /items/{id}',
    routePath: '/items/{id}',
    pathParameters: { id: 'a b' },
    decodedPath: '/items/a b',
    stage: '$default',
    stageVariables: { env: 'dev' },
    authorizer: { jwt: { claims: Object.freeze({ sub: 'u1' }), scopes: null } },
    api: { apiId: 'localgw', accountId: '123456789012', domainName: 'localhost', domainPrefix: 'localhost' },
    forwarded: { port: '3000', proto: 'http' },
  };

  it.each(['1.0', '2.0'] as const)('a %s event is what Lambda would parse from the event built here', async (format) => {
    const { invoke } = createTestRuntime();
    const wireEvent = encodeEventInput(format, input);
    const expected = JSON.parse(JSON.stringify(PAYLOAD_FORMATS[format].buildEvent(input)));
    expect(payloadOf(await invoke(fx.ref('styles.asyncHandler'), { wireEvent }))).toStrictEqual({ echo: expected });
    // An inline handler gets the same event.
    expect(payloadOf(await invoke(async (event: unknown) => ({ echo: event }), { wireEvent }))).toStrictEqual({ echo: expected });
  });

  it('an event that cannot be sent fails its batch, not the worker, and the contexts it carried are sent again', async () => {
    const { invoke } = createTestRuntime({ maxWorkersPerFunction: 1 });
    const ref = fx.ref('styles.asyncHandler');
    const routeKeyOf = (outcome: Awaited<ReturnType<typeof invoke>>) => (payloadOf(outcome) as { echo: { routeKey: string } }).echo.routeKey;
    // Twice: the second answer tells the pool the worker is quick, so it queues the next two together.
    for (let n = 0; n < 2; n++) expect(routeKeyOf(await invoke(ref, { wireEvent: encodeEventInput('2.0', input) }))).toBe('POST /items/{id}');
    // One batch: a function cannot be cloned, so neither invocation reaches the worker, nor
    // does the new context that came with them. The pool queues the second behind the first
    // only while the worker's measured service time is under a millisecond; on a loaded
    // machine one slow sample can send it on its own (then it succeeds), so the pair is tried
    // again, each time with a context the worker has never seen.
    let fresh = encodeWireContext('2.0', { ...input, routeKey: 'GET /fresh-0' });
    let [bad, alongside] = [undefined as unknown, undefined as unknown];
    for (let attempt = 1; attempt <= 5; attempt++) {
      fresh = encodeWireContext('2.0', { ...input, routeKey: `GET /fresh-${attempt}` });
      [bad, alongside] = await Promise.all([invoke(ref, { event: { callback: () => 1 } }), invoke(ref, { wireEvent: encodeEventInput('2.0', input, fresh) })]);
      expect(bad).toMatchObject({ kind: 'crash', reason: expect.stringMatching(/could not send the event to the worker/) });
      if ((alongside as { kind: string }).kind !== 'ok') break;
    }
    expect(alongside).toMatchObject({ kind: 'crash' });
    // The same worker goes on, and gets the lost context with the next batch.
    expect(routeKeyOf(await invoke(ref, { wireEvent: encodeEventInput('2.0', input, fresh) }))).toBe((fresh as readonly unknown[])[1]);
    expect(routeKeyOf(await invoke(ref, { wireEvent: encodeEventInput('2.0', input) }))).toBe('POST /items/{id}');
  });

  it('gives every request its own route context, past the number a worker keeps, reused or not', async () => {
    // One worker; more distinct contexts than it keeps (256), each also used again later, so
    // the numbering starts over while invocations that use the old numbers are still queued.
    const { invoke } = createTestRuntime({ maxWorkersPerFunction: 1 });
    const routes = Array.from({ length: 300 }, (_, n) => encodeWireContext('2.0', { ...input, routeKey: `GET /r${n}`, stageVariables: { n: String(n) } }));
    const order = [...routes.keys(), ...routes.keys()].map((n) => (n * 7) % routes.length);
    const outcomes = await Promise.all(
      order.map((n) => invoke(fx.ref('styles.asyncHandler'), { wireEvent: encodeEventInput('2.0', input, routes[n]) })),
    );
    const seen = outcomes.map((outcome) => (payloadOf(outcome) as { echo: { routeKey: string; stageVariables: { n: string } } }).echo);
    expect(seen.map((event) => event.routeKey)).toStrictEqual(order.map((n) => `GET /r${n}`));
    expect(seen.map((event) => event.stageVariables.n)).toStrictEqual(order.map(String));
  });
});

describe('large request bodies in shared buffers (shared-bodies.ts, issue 17)', () => {
  fx.write(
    'bodies.mjs',
    `import { createHash } from 'node:crypto';
export const digest = async (event) => {
  const busy = Number(event.queryStringParameters?.busy ?? 0);
  const end = Date.now() + busy;
  while (Date.now() < end);
  return { sha256: createHash('sha256').update(Buffer.from(event.body, 'base64')).digest('hex'), isBase64Encoded: event.isBase64Encoded };
};
`,
  );
  const request = (body: Uint8Array, rawQueryString = '') => ({
    method: 'POST',
    rawPath: '/upload',
    rawQueryString,
    rawHeaders: ['Host', 'localhost:3000', 'Content-Type', 'application/octet-stream'],
    body,
    sourceIp: '127.0.0.1',
    requestId: 'upload-1',
    timeEpoch: 1744668836573,
  });
  const eventFor = (body: Uint8Array, rawQueryString?: string) =>
    encodeEventInput('2.0', {
      request: request(body, rawQueryString),
      routeKey: 'POST /upload',
      routePath: '/upload',
      pathParameters: undefined,
      decodedPath: '/upload',
      stage: '$default',
      stageVariables: undefined,
      authorizer: undefined,
      api: { apiId: 'localgw', accountId: '123456789012', domainName: 'localhost', domainPrefix: 'localhost' },
      forwarded: { port: '3000', proto: 'http' },
    });
  const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256);
  const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

  it('the worker reads a shared body in place; once it answered and the caller let go, the buffer is reused', async () => {
    const { invoke } = createTestRuntime();
    const body = sharedCopy(bytes(300_000, 1));
    expect(payloadOf(await invoke(fx.ref('bodies.digest'), { wireEvent: eventFor(body) }))).toEqual({ sha256: sha256(bytes(300_000, 1)), isBase64Encoded: true });
    releaseSharedBody(body);
    const next = sharedBody(300_000);
    expect(next.buffer).toBe(body.buffer);
    releaseSharedBody(next);
  });

  it('a body the caller does not share (createGateway().fetch) is copied into one; different bodies at once each arrive whole', async () => {
    const { invoke } = createTestRuntime();
    const bodies = Array.from({ length: 8 }, (_, n) => bytes(100_000 + n * 50_000, n));
    const outcomes = await Promise.all(bodies.map((b) => invoke(fx.ref('bodies.digest'), { wireEvent: eventFor(b) })));
    expect(outcomes.map((o) => (payloadOf(o) as { sha256: string }).sha256)).toStrictEqual(bodies.map(sha256));
  });

  it('a worker still running past the timeout holds the body until its thread is gone; then the buffer comes back', async () => {
    const { invoke } = createTestRuntime();
    const ref = fx.ref('bodies.digest');
    // Warm: the worker is up, so the timeout below catches the handler running.
    await invoke(ref, { wireEvent: eventFor(bytes(20_000, 0)) });
    const body = sharedCopy(bytes(600_000, 2));
    expect(await invoke(ref, { wireEvent: eventFor(body, 'busy=1500'), timeoutMs: 300 })).toEqual({ kind: 'timeout', timeoutMs: 300 });
    // The caller (the server) lets go as it answers the 503; the worker's thread has not ended yet.
    releaseSharedBody(body);
    const meanwhile = sharedBody(600_000);
    expect(meanwhile.buffer).not.toBe(body.buffer);
    releaseSharedBody(meanwhile);
    // The timed-out worker is terminated; once its thread exits, its hold ends.
    const deadline = Date.now() + 5_000;
    let reused = false;
    while (!reused && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const candidate = sharedBody(600_000);
      reused = candidate.buffer === body.buffer;
      releaseSharedBody(candidate);
    }
    expect(reused).toBe(true);
  });
});

describe('inline handlers (functions, run in this thread)', () => {
  it('have the same outcomes, context and serialisation', async () => {
    const { invoke } = createTestRuntime();
    const handler = async (event: unknown, context: unknown) => ({ event, id: (context as { awsRequestId: string }).awsRequestId });
    expect(payloadOf(await invoke(handler, { event: { a: 1 }, requestId: 'inline-1' }))).toEqual({ event: { a: 1 }, id: 'inline-1' });
    expect(await invoke(async () => 10n)).toMatchObject({ kind: 'error', errorType: 'Runtime.JSONStringifyError' });
    expect(await invoke(() => Promise.reject(new RangeError('nope')))).toMatchObject({ kind: 'error', errorType: 'RangeError', errorMessage: 'nope' });
    expect(await invoke(() => new Promise(() => {}), { timeoutMs: 50 })).toEqual({ kind: 'timeout', timeoutMs: 50 });
  });
});

describe('createRuntime options', () => {
  it('rejects a bad pool size up front', () => {
    expect(() => createRuntime({ maxWorkersPerFunction: 0 })).toThrow(/maxWorkersPerFunction/);
  });
});

describe('close()', () => {
  it('ends invocations in flight, refuses new ones, and is idempotent', async () => {
    const runtime = createRuntime();
    fx.write('close/slow.mjs', `export const handler = () => new Promise((resolve) => setTimeout(() => resolve('late'), 5000));\n`);
    const inFlight = runtime.invoke({ functionName: 'fn', handler: fx.ref('close/slow.handler'), event: {}, requestId: 'r1', timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const first = runtime.close();
    expect(runtime.close()).toBe(first);
    await first;
    expect(await inFlight).toEqual({ kind: 'crash', reason: 'the runtime is closed' });
    expect(await runtime.invoke({ functionName: 'fn', handler: fx.ref('close/slow.handler'), event: {}, requestId: 'r2', timeoutMs: 100 })).toEqual({
      kind: 'crash',
      reason: 'the runtime is closed',
    });
  });

  // Run in a child process: the only way to see that nothing keeps the event loop alive.
  it.each([
    ['after close()', true],
    ['when only idle workers are left, even without close()', false],
  ])('lets the process exit on its own %s', async (_title, close) => {
    fx.write('child/hello.mjs', `export const handler = async () => 'hello';\nexport const hang = async () => { setInterval(() => {}, 100); await new Promise(() => {}); };\n`);
    fx.write('child/typed.ts', `export const handler = async (): Promise<string> => 'typed';\n`);
    const script = fx.write(
      `child/main-${close}.mjs`,
      `import { createRuntime, resolveHandlerRef } from ${JSON.stringify(pathToFileURL(path.join(import.meta.dirname, 'index.ts')).href)};
const runtime = createRuntime();
const ref = (spec) => resolveHandlerRef(${JSON.stringify(fx.dir)}, spec).value;
const invoke = (spec, timeoutMs = 10000) => runtime.invoke({ functionName: 'fn', handler: ref(spec), event: {}, requestId: 'r', timeoutMs });
const kinds = [(await invoke('child/hello.handler')).kind, (await invoke('child/typed.handler')).kind, (await invoke('child/hello.hang', 300)).kind];
if (${close}) await runtime.close();
console.log(JSON.stringify({ kinds, doneAt: Date.now() }));
`,
    );
    const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const { code, stdout, stderr, exitedAt } = await runNodeScript(script, ['--import', tsxLoader]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(stdout) as { kinds: string[]; doneAt: number };
    expect(report.kinds).toEqual(['ok', 'ok', 'timeout']);
    expect(exitedAt - report.doneAt).toBeLessThan(2000);
  });
});
