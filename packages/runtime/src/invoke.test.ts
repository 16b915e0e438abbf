import { describe, expect, it, onTestFinished } from 'vitest';
import { createRuntime } from './create-runtime.js';
import type { HandlerRef } from './handler-ref.js';
import { createTestRuntime, payloadOf, useFixtureDir, type TestRuntime } from './test-support/fixtures.js';

const fx = useFixtureDir();

fx.write(
  'errors.mjs',
  `export const throws = async () => { throw new TypeError('thrown'); };
export const throwsSync = () => { throw new Error('sync throw'); };
export const rejects = () => Promise.reject(new RangeError('rejected'));
export const rejectsString = async () => { throw 'just a string'; };
export const bigint = async () => ({ n: 1n });
export const circular = async () => { const a = {}; a.self = a; return a; };
`,
);

// Each worker (execution environment) gets its own id when the module loads.
fx.write(
  'lifecycle.mjs',
  `import { threadId } from 'node:worker_threads';
let invocations = 0;
export const ping = async () => ({ threadId, invocations: ++invocations });
export const hang = async () => { setInterval(() => {}, 1000); await new Promise(() => {}); };
export const spin = () => { for (;;) {} };
export const exit = async () => { process.exit(7); };
export const lateThrow = async () => { setTimeout(() => { throw new Error('thrown from a timer'); }, 5); await new Promise((r) => setTimeout(r, 1000)); };
export const unhandled = async () => { Promise.reject(new Error('nobody catches me')); await new Promise((r) => setTimeout(r, 1000)); };
export const hog = async () => { const keep = []; for (;;) keep.push(new Array(1e6).fill(Math.random())); };
export const slow = async (event) => { await new Promise((r) => setTimeout(r, event.ms)); return { threadId, started: event.started }; };
export const viaCallback = (event, context, cb) => { cb(null, { n: event.n }); };
export const syncHandler = () => {};
export const spam = async (event) => { const end = Date.now() + event.ms; let i = 0; while (Date.now() < end) console.log('line', i++); return i; };
export const quickUnless = async (event) => {
  if (event.ms) await new Promise((r) => setTimeout(r, event.ms));
  if (event.busy) { const end = Date.now() + event.busy; while (Date.now() < end) {} }
  if (event.exit) setImmediate(() => process.exit(3));
  // Holds the thread later, between invocations: the result is sent, the next ones wait unstarted.
  if (event.blockLater) setTimeout(() => { const end = Date.now() + event.blockLater; while (Date.now() < end) {} }, 50);
  if (event.exit) await new Promise((r) => setTimeout(r, 1000));
  return { threadId, invocations: ++invocations };
};
`,
);

describe('§4.6 handler errors → error outcome (500)', () => {
  it.each([
    ['throws', 'TypeError', 'thrown'],
    ['throwsSync', 'Error', 'sync throw'],
    ['rejects', 'RangeError', 'rejected'],
    ['rejectsString', 'string', 'just a string'],
  ])('%s', async (name, errorType, errorMessage) => {
    const { invoke } = createTestRuntime();
    expect(await invoke(fx.ref(`errors.${name}`))).toMatchObject({ kind: 'error', errorType, errorMessage });
  });

  it('keeps the stack of a thrown error', async () => {
    const { invoke } = createTestRuntime();
    const outcome = await invoke(fx.ref('errors.throws'));
    expect(outcome.kind === 'error' && outcome.stack).toMatch(/errors\.mjs:1:\d+/);
  });

  it.each([
    ['bigint', /BigInt/],
    ['circular', /circular/i],
  ])('a result that cannot be serialised (%s) is Runtime.JSONStringifyError', async (name, cause) => {
    const { invoke } = createTestRuntime();
    const outcome = await invoke(fx.ref(`errors.${name}`));
    expect(outcome).toMatchObject({ kind: 'error', errorType: 'Runtime.JSONStringifyError' });
    expect(outcome.kind === 'error' && outcome.errorMessage).toMatch(/^Unable to stringify response body/);
    expect(outcome.kind === 'error' && outcome.errorMessage).toMatch(cause);
  });
});

describe('§4.6 integration timeout → timeout outcome (503)', () => {
  it('times out a handler that never finishes, and the next invocation runs on a fresh worker', async () => {
    const { invoke } = createTestRuntime();
    const first = payloadOf(await invoke(fx.ref('lifecycle.ping'))) as { threadId: number };
    const started = Date.now();
    expect(await invoke(fx.ref('lifecycle.hang'), { timeoutMs: 300 })).toEqual({ kind: 'timeout', timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(2000);
    // `hang` ran in its own pool (another export); `ping` is still warm on its worker.
    expect(payloadOf(await invoke(fx.ref('lifecycle.ping')))).toEqual({ threadId: first.threadId, invocations: 2 });
  });

  it('terminates a worker stuck in a synchronous loop and replaces it', async () => {
    const { invoke } = createTestRuntime();
    const spin = fx.ref('lifecycle.spin');
    expect(await invoke(spin, { timeoutMs: 300 })).toEqual({ kind: 'timeout', timeoutMs: 300 });
    expect(await invoke(spin, { timeoutMs: 300 })).toEqual({ kind: 'timeout', timeoutMs: 300 });
  });

  it('replaces the timed-out worker of a function with a fresh one', async () => {
    const { invoke } = createTestRuntime({ maxWorkersPerFunction: 1 });
    const slow = fx.ref('lifecycle.slow');
    const warm = payloadOf(await invoke(slow, { event: { ms: 0 } })) as { threadId: number };
    expect(await invoke(slow, { event: { ms: 5000 }, timeoutMs: 300 })).toEqual({ kind: 'timeout', timeoutMs: 300 });
    const fresh = payloadOf(await invoke(slow, { event: { ms: 0 } })) as { threadId: number };
    expect(fresh.threadId).not.toBe(warm.threadId);
  });

  it('times out each invocation of a function at its own deadline, and leaves no timer behind', async () => {
    const { invoke } = createTestRuntime({ maxWorkersPerFunction: 3 });
    const slow = fx.ref('lifecycle.slow');
    // Three warm workers, so that no invocation below waits for a cold start (which takes
    // longer than the 1 s timeout on a loaded machine).
    await Promise.all([0, 1, 2].map(() => invoke(slow, { event: { ms: 200 } })));
    const started = performance.now();
    const elapsed = (outcome: Promise<unknown>) => outcome.then((o) => ({ o, ms: performance.now() - started }));
    // One timer stands for all the timeouts of one length; arrivals 300 ms apart must still
    // expire 300 ms apart, and one that finishes in time must not be expired with the others.
    // (Generous limits: the one in time may wait for a worker to start on a busy machine.)
    const first = elapsed(invoke(slow, { event: { ms: 5000 }, timeoutMs: 1000 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const inTime = elapsed(invoke(slow, { event: { ms: 0 }, timeoutMs: 1000 }));
    const second = elapsed(invoke(slow, { event: { ms: 5000 }, timeoutMs: 1000 }));
    const [a, b, c] = await Promise.all([first, inTime, second]);
    expect(a.o).toEqual({ kind: 'timeout', timeoutMs: 1000 });
    expect(a.ms).toBeGreaterThanOrEqual(995);
    expect(b.o).toMatchObject({ kind: 'ok' });
    expect(c.o).toEqual({ kind: 'timeout', timeoutMs: 1000 });
    expect(c.ms).toBeGreaterThanOrEqual(1295);
    // 300 ms apart, less what a loaded event loop delays the first expiry by; with one
    // expiry for all of them (the bug this guards against) they would be ~0 ms apart.
    expect(c.ms - a.ms).toBeGreaterThanOrEqual(200);
    // Nothing pending: no timeout timer may keep the process alive.
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout')).toEqual([]);
  });

  it('counts the time spent waiting for a busy worker', async () => {
    const { invoke } = createTestRuntime({ maxWorkersPerFunction: 1 });
    const slow = fx.ref('lifecycle.slow');
    await invoke(slow, { event: { ms: 0 } });
    const busy = invoke(slow, { event: { ms: 600 } });
    const queued = await invoke(slow, { event: { ms: 0 }, timeoutMs: 200 });
    expect(queued).toEqual({ kind: 'timeout', timeoutMs: 200 });
    expect((await busy).kind).toBe('ok');
  });
});

describe('crashes → crash outcome (500); the gateway survives and the worker is replaced', () => {
  it.each([
    ['exit', /Runtime\.ExitError: the worker exited with code 7/],
    ['lateThrow', /uncaught exception.*Error: thrown from a timer/],
    ['unhandled', /uncaught exception.*nobody catches me/],
  ])('%s', async (name, reason) => {
    const { invoke, logs } = createTestRuntime();
    const ref = fx.ref(`lifecycle.${name}`);
    const outcome = await invoke(ref, { requestId: `crash-${name}` });
    expect(outcome.kind).toBe('crash');
    expect(outcome.kind === 'crash' && outcome.reason).toMatch(reason);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'error', requestId: `crash-${name}`, functionName: 'fn' }));
    // Same function again: a new worker takes over.
    expect((await invoke(ref, { requestId: 'again' })).kind).toBe('crash');
    expect(payloadOf(await invoke(fx.ref('lifecycle.ping')))).toMatchObject({ invocations: 1 });
  });

  it('a runaway allocation kills only its worker', async () => {
    const { invoke } = createTestRuntime({ workerMemoryLimitMb: 64 });
    const outcome = await invoke(fx.ref('lifecycle.hog'), { timeoutMs: 15_000 });
    expect(outcome).toMatchObject({ kind: 'crash', reason: expect.stringMatching(/out of memory.*64 MB/) });
    expect(payloadOf(await invoke(fx.ref('lifecycle.ping')))).toMatchObject({ invocations: 1 });
  });
});

/**
 * A warm worker for `lifecycle.quickUnless` that the pool knows to be quick: it queues on a
 * worker only once it has seen how fast it is, and the first (cold) invocation does not count.
 */
async function warmQuick(invoke: TestRuntime['invoke']): Promise<HandlerRef> {
  const quick = fx.ref('lifecycle.quickUnless');
  await invoke(quick);
  await invoke(quick);
  return quick;
}

describe('pool', () => {
  it('runs concurrent invocations of one function on separate workers, in parallel', async () => {
    const { invoke } = createTestRuntime();
    const slow = fx.ref('lifecycle.slow');
    // Start two workers first, so that cold starts do not blur the timing.
    await Promise.all([invoke(slow, { event: { ms: 0 } }), invoke(slow, { event: { ms: 0 } })]);
    const started = Date.now();
    const results = (await Promise.all([invoke(slow, { event: { ms: 400 } }), invoke(slow, { event: { ms: 400 } })])).map(payloadOf) as Array<{ threadId: number }>;
    expect(Date.now() - started).toBeLessThan(790); // one after the other would take 800
    expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
  });

  // The pool queues behind a worker only while it keeps finishing within STALL_MS (pool.ts); with
  // the whole suite running on two cores a worker is sometimes descheduled for longer, and the pool
  // then rightly starts others. A retry tells that apart from a pool that never queues.
  it('keeps quick invocations on one warm worker, queued behind each other, instead of starting more', { retry: 2 }, async () => {
    const { invoke } = createTestRuntime();
    const quick = await warmQuick(invoke);
    const results = (await Promise.all(Array.from({ length: 10 }, () => invoke(quick)))).map(payloadOf) as Array<{ threadId: number; invocations: number }>;
    expect(new Set(results.map((r) => r.threadId)).size).toBe(1);
    // Still one invocation at a time: each saw the module state the previous one left.
    expect(results.map((r) => r.invocations).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 3));
  });

  it.each([
    ['awaits something slow', { ms: 3000 }],
    ['blocks its thread', { busy: 3000 }],
  ])('takes queued invocations back from a worker whose running one turns out slow: it %s', async (_title, event) => {
    const { invoke } = createTestRuntime();
    const quick = await warmQuick(invoke);
    const slow = invoke(quick, { event }).then((outcome) => ({ outcome, endedAt: Date.now() }));
    // Queued behind the slow one (the worker looked quick), then moved to a new worker: it ends
    // first. Not a fixed bound: with a thread busy on one of two cores and the rest of the suite
    // on the other, the new worker's start alone has taken 1.8 s in CI.
    const fast = await invoke(quick);
    const fastEndedAt = Date.now();
    const { outcome, endedAt } = await slow;
    expect(fastEndedAt).toBeLessThan(endedAt);
    expect((payloadOf(fast) as { threadId: number }).threadId).not.toBe((payloadOf(outcome) as { threadId: number }).threadId);
  });

  it("hands over a result at once, though the next invocation on that worker blocks its thread", async () => {
    const { invoke } = createTestRuntime({ maxWorkersPerFunction: 1 });
    const quick = await warmQuick(invoke);
    const started = Date.now();
    // One batch, one worker: the first finishes, then the second holds the thread for 1.5 s.
    const first = invoke(quick).then((outcome) => ({ outcome, ms: Date.now() - started }));
    const second = invoke(quick, { event: { busy: 1500 } });
    const { outcome, ms } = await first;
    expect(outcome.kind).toBe('ok');
    expect(ms).toBeLessThan(1000);
    expect((await second).kind).toBe('ok');
  });

  it('leaves the queue of a worker that is slow to start it (busy between invocations) where it is, and keeps using that worker', async () => {
    const { invoke } = createTestRuntime({ maxWorkersPerFunction: 1 });
    const quick = await warmQuick(invoke);
    expect((await invoke(quick, { event: { blockLater: 300 } })).kind).toBe('ok');
    await new Promise((resolve) => setTimeout(resolve, 70));
    // The worker's thread is held for 300 ms now: these wait on it, none started. Nothing runs
    // slow there, so nothing is taken back (the only worker would be left with none, and unused).
    const outcomes = await Promise.all(Array.from({ length: 3 }, () => invoke(quick, { timeoutMs: 2_000 })));
    expect(outcomes.map((o) => o.kind)).toEqual(['ok', 'ok', 'ok']);
    expect((await invoke(quick, { timeoutMs: 2_000 })).kind).toBe('ok');
  });

  it('runs the invocations queued on a worker that dies on another worker; only the running one fails', async () => {
    const { invoke } = createTestRuntime();
    const quick = await warmQuick(invoke);
    const [dying, queued] = await Promise.all([invoke(quick, { event: { exit: true } }), invoke(quick)]);
    expect(dying).toMatchObject({ kind: 'crash', reason: expect.stringMatching(/exited with code 3/) });
    expect(payloadOf(queued)).toMatchObject({ invocations: 1 });
  });

  it.each(['viaCallback', 'syncHandler'])('%s: handlers completed by the empty event loop run fine queued behind each other', async (name) => {
    const { invoke } = createTestRuntime({ maxWorkersPerFunction: 1 });
    const ref = fx.ref(`lifecycle.${name}`);
    for (let n = 0; n < 3; n++) expect((await invoke(ref, { event: { n } })).kind).toBe('ok');
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, n) => invoke(ref, { event: { n } })));
    expect(outcomes.filter((o) => o.kind !== 'ok')).toEqual([]);
  });

  it('never starts an invocation whose timeout fired while it waited on a worker', async () => {
    const { invoke } = createTestRuntime({ maxWorkersPerFunction: 1 });
    const quick = await warmQuick(invoke);
    // A synchronous head keeps the worker from hearing about B's timeout until it is done.
    const a = invoke(quick, { event: { busy: 500 }, timeoutMs: 10_000 });
    const b = invoke(quick, { event: { busy: 3_000 }, timeoutMs: 200 });
    expect(await b).toEqual({ kind: 'timeout', timeoutMs: 200 });
    expect((await a).kind).toBe('ok');
    // Had B started after its timeout, it would hold the only worker for 3 s.
    expect((await invoke(quick, { timeoutMs: 1_000 })).kind).toBe('ok');
  });

  it('a handler flooding its console does not starve the gateway thread: its timeout still fires', async () => {
    const onLog = () => {
      // A few microseconds per line, like a logger formatting it.
      const until = performance.now() + 0.005;
      while (performance.now() < until);
    };
    const runtime = createRuntime({ maxWorkersPerFunction: 1, onLog });
    onTestFinished(() => runtime.close());
    const spam = fx.ref('lifecycle.spam');
    await runtime.invoke({ functionName: 'fn', handler: spam, event: { ms: 1 }, requestId: 'warm', timeoutMs: 5_000 });
    const started = Date.now();
    const outcome = await runtime.invoke({ functionName: 'fn', handler: spam, event: { ms: 1_500 }, requestId: 'spam', timeoutMs: 200 });
    expect(outcome).toEqual({ kind: 'timeout', timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('close() after a reload also stops the worker that an invocation moved to while its generation drained', async () => {
    const { invoke, runtime } = createTestRuntime();
    const quick = await warmQuick(invoke);
    const stuck = invoke(quick, { event: { busy: 60_000 }, timeoutMs: 300 });
    const queued = invoke(quick, { event: { ms: 1_500 } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await runtime.reload();
    // The timeout terminates the stuck worker; the queued invocation moves to a new worker of
    // the draining generation, which close() must still know about.
    expect(await stuck).toEqual({ kind: 'timeout', timeoutMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closedAt = Date.now();
    await runtime.close();
    expect(await queued).toEqual({ kind: 'crash', reason: 'the runtime is closed' });
    expect(Date.now() - closedAt).toBeLessThan(500);
  });

  it('queues beyond maxWorkersPerFunction and reuses the warm worker', async () => {
    const { invoke } = createTestRuntime({ maxWorkersPerFunction: 1 });
    const slow = fx.ref('lifecycle.slow');
    const results = (await Promise.all([1, 2, 3].map((started) => invoke(slow, { event: { ms: 50, started } })))).map(payloadOf) as Array<{ threadId: number; started: number }>;
    expect(results.map((r) => r.started)).toEqual([1, 2, 3]);
    expect(new Set(results.map((r) => r.threadId)).size).toBe(1);
  });
});

describe('a handler that talks to parentPort cannot break the gateway', () => {
  it('malformed messages are ignored; the invocation still completes', async () => {
    fx.write(
      'rogue.mjs',
      `import { parentPort, workerData } from 'node:worker_threads';
export const handler = async () => {
  // The port the gateway reads replies from is reachable too.
  workerData.replies.postMessage({ type: 'result', id: 'x', outcome: { kind: 'ok' } });
  workerData.replies.postMessage({ type: 'cancelled', ids: 'all' });
  parentPort.postMessage(null);
  parentPort.postMessage({ type: 'modules', files: null });
  parentPort.postMessage({ type: 'result', id: 'x', outcome: null });
  parentPort.postMessage({ type: 'log', level: 'shout', text: 1 });
  return 'still fine';
};`,
    );
    const { invoke } = createTestRuntime({ onModules: () => {} });
    expect(payloadOf(await invoke(fx.ref('rogue.handler')))).toBe('still fine');
  });
});
