import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { bootSpareWorker } from './early-spare.js';
import { createTestRuntime, payloadOf, useFixtureDir } from './test-support/fixtures.js';

const fx = useFixtureDir();

const version = (label: string) => `import { threadId } from 'node:worker_threads';
export const handler = async (event) => {
  if (event.wait) await new Promise((resolve) => setTimeout(resolve, event.wait));
  return { version: '${label}', threadId };
};
`;

describe('reload (generations)', () => {
  it('serves edited code to later invocations while one in flight finishes on the old code', async () => {
    const { invoke, runtime } = createTestRuntime();
    fx.write('reload/items.mjs', version('v1'));
    const ref = fx.ref('reload/items.handler');
    const warm = payloadOf(await invoke(ref)) as { threadId: number };
    expect(warm).toMatchObject({ version: 'v1' });

    const inFlight = invoke(ref, { event: { wait: 400 } });
    fx.write('reload/items.mjs', version('v2 (edited)'));
    await runtime.reload();

    const fresh = payloadOf(await invoke(ref)) as { threadId: number };
    expect(fresh).toMatchObject({ version: 'v2 (edited)' });
    expect(fresh.threadId).not.toBe(warm.threadId);
    expect(payloadOf(await inFlight)).toEqual({ version: 'v1', threadId: warm.threadId });
  });

  it('starts a worker with the new code at reload for each function that was running, so its init runs before the next request', async () => {
    const { invoke, runtime, logs } = createTestRuntime();
    fx.write('reload/warm.mjs', `console.log('init', process.env.MARK ?? 'v1');\nexport const handler = async () => 'ok';\n`);
    const ref = fx.ref('reload/warm.handler');
    await invoke(ref);
    fx.write('reload/unused.mjs', `console.log('init unused');\nexport const handler = async () => 'ok';\n`);
    fx.write('reload/warm.mjs', `console.log('init v2');\nexport const handler = async () => 'ok';\n`);
    await runtime.reload();
    // No invocation yet: the new worker was started by the reload itself and ran its init phase.
    await expect.poll(() => logs.map((l) => l.text)).toContain('init v2');
    expect(logs.map((l) => l.text)).not.toContain('init unused');
  });

  it('picks up edited TypeScript too', async () => {
    const { invoke, runtime } = createTestRuntime();
    fx.write('reload/typed.ts', `export const handler = async (): Promise<string> => 'typed v1';\n`);
    const ref = fx.ref('reload/typed.handler');
    expect(payloadOf(await invoke(ref))).toBe('typed v1');
    fx.write('reload/typed.ts', `export const handler = async (): Promise<string> => 'typed v2, edited';\n`);
    await runtime.reload();
    expect(payloadOf(await invoke(ref))).toBe('typed v2, edited');
  });

  it('recovers from a broken edit once the file is fixed and reloaded', async () => {
    const { invoke, runtime } = createTestRuntime();
    fx.write('reload/broken.mjs', version('good'));
    const ref = fx.ref('reload/broken.handler');
    expect(payloadOf(await invoke(ref))).toMatchObject({ version: 'good' });
    fx.write('reload/broken.mjs', 'export const handler = async () => {');
    await runtime.reload();
    expect((await invoke(ref)).kind).toBe('load-error');
    fx.write('reload/broken.mjs', version('fixed'));
    await runtime.reload();
    expect(payloadOf(await invoke(ref))).toMatchObject({ version: 'fixed' });
  });
});

describe('retain (config reloads that keep workers)', () => {
  it('stops the workers of functions the config no longer uses, keeps the others warm', async () => {
    const { invoke, runtime } = createTestRuntime();
    fx.write('retain/a.mjs', `import { threadId } from 'node:worker_threads';\nexport const handler = async () => threadId;\n`);
    const ref = fx.ref('retain/a.handler');
    const keptThread = payloadOf(await invoke(ref, { functionName: 'kept' }));
    const droppedEnv = { MODE: 'old' };
    const droppedThread = payloadOf(await invoke(ref, { functionName: 'kept', environment: droppedEnv }));
    runtime.retain([{ functionName: 'kept', handler: ref }]);
    // The kept function still answers from the same warm worker...
    expect(payloadOf(await invoke(ref, { functionName: 'kept' }))).toBe(keptThread);
    // ...while the one with the dropped environment starts over on a new worker.
    const again = payloadOf(await invoke(ref, { functionName: 'kept', environment: droppedEnv }));
    expect(again).not.toBe(droppedThread);
  });
});

describe('close() after retain', () => {
  it('stops a dropped function\'s worker that is still busy, instead of waiting for it', async () => {
    const { invoke, runtime } = createTestRuntime();
    fx.write('retain/slow.mjs', `export const handler = async () => { await new Promise((r) => setTimeout(r, 5000)); return 'late'; };\n`);
    const ref = fx.ref('retain/slow.handler');
    const inFlight = invoke(ref, { functionName: 'dropped' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    runtime.retain([]);
    const started = performance.now();
    await runtime.close();
    const outcome = await inFlight;
    expect(outcome.kind).toBe('crash');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

// Issue 17: an edit is served sooner when the reload's worker boots while the file is saved.
describe('prepareReload (workers started ahead of a reload)', () => {
  it('boots a worker that reads the module only at reload, and the reload serves from it', async () => {
    const { invoke, runtime, logs } = createTestRuntime();
    fx.write('prepare/fn.mjs', `import { threadId } from 'node:worker_threads';\nconsole.log('init v1', threadId);\nexport const handler = async () => ({ version: 'v1', threadId });\n`);
    const ref = fx.ref('prepare/fn.handler');
    await invoke(ref);
    runtime.prepareReload();
    // Booted and waiting: the file is still being saved, and its module must not be read yet.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(logs.filter((l) => l.text.startsWith('init')).map((l) => l.text.split(' ')[1])).toEqual(['v1']);
    fx.write('prepare/fn.mjs', `import { threadId } from 'node:worker_threads';\nconsole.log('init v2', threadId);\nexport const handler = async () => ({ version: 'v2', threadId });\n`);
    await runtime.reload();
    const fresh = payloadOf(await invoke(ref)) as { version: string; threadId: number };
    expect(fresh.version).toBe('v2');
    // Exactly one new worker ran the new init: the prepared one, not a second started by the reload.
    const inits = logs.filter((l) => l.text.startsWith('init v2'));
    expect(inits.map((l) => l.text)).toEqual([`init v2 ${fresh.threadId}`]);
  });

  it('with changed files, starts workers only for the functions whose module graph holds one', async () => {
    const tracked = createTestRuntime({ onModules: () => {} });
    fx.write('prepare/a.mjs', `import { label } from './shared-a.mjs';\nexport const handler = async () => label;\n`);
    fx.write('prepare/shared-a.mjs', `export const label = 'a';\n`);
    fx.write('prepare/b.mjs', `export const handler = async () => 'b';\n`);
    await tracked.invoke(fx.ref('prepare/a.handler'), { functionName: 'a' });
    await tracked.invoke(fx.ref('prepare/b.handler'), { functionName: 'b' });
    const workers = () => tracked.runtime.stats().reduce((sum, f) => sum + f.workers, 0);
    expect(workers()).toBe(2);
    const preparedOf = () => Object.fromEntries(tracked.runtime.stats().map((f) => [f.functionName, f.prepared]));
    tracked.runtime.prepareReload([`${fx.dir}/prepare/shared-a.mjs`]);
    // a loads the changed file; b loads nothing that changed.
    expect(preparedOf()).toEqual({ a: 1, b: 0 });
    // Without a list, every running function; a's is not started twice.
    tracked.runtime.prepareReload();
    expect(preparedOf()).toEqual({ a: 1, b: 1 });
    const { threadCount } = await import('./test-support/fixtures.js');
    const before = threadCount();
    await tracked.runtime.close();
    expect(threadCount()).toBeLessThan(before);
  });
});

// Issue 17: `localgw start` boots a worker while the gateway starts; the first request takes it.
describe('prepareSpare (a worker booted for no function yet)', () => {
  it('the first function to need a worker takes it: its module, its environment, its name', async () => {
    const graphs: string[][] = [];
    const { invoke, runtime } = createTestRuntime({ onModules: (entry) => graphs.push(entry.files), environment: { SHARED: 'all' } });
    fx.write('spare/fn.mjs', `import { threadId } from 'node:worker_threads';\nimport { dep } from './dep.mjs';\nexport const handler = async (event, context) => ({ threadId, dep, name: context.functionName, env: { fn: process.env.AWS_LAMBDA_FUNCTION_NAME, handler: process.env._HANDLER, shared: process.env.SHARED, own: process.env.OWN } });\n`);
    fx.write('spare/dep.mjs', `export const dep = 'loaded';\n`);
    // Thread ids count up in a process: the spare's is the one after this probe's.
    const probe = new Worker('', { eval: true });
    const spareThreadId = probe.threadId + 1;
    await probe.terminate();
    runtime.prepareSpare();
    // One at a time: a second call does not boot another.
    runtime.prepareSpare();
    const first = payloadOf(await invoke(fx.ref('spare/fn.handler'), { functionName: 'spared', environment: { OWN: 'mine' } })) as Record<string, unknown>;
    // The spare served it, with this function's module, name and environment.
    expect(first.threadId).toBe(spareThreadId);
    expect(first).toMatchObject({ dep: 'loaded', name: 'spared', env: { fn: 'spared', handler: expect.stringMatching(/spare\/fn\.handler$/), shared: 'all', own: 'mine' } });
    expect(runtime.stats().map((f) => [f.functionName, f.workers])).toEqual([['spared', 1]]);
    // Its module graph is reported as any worker's.
    expect(graphs).toEqual([[path.join(fx.dir, 'spare/dep.mjs'), path.join(fx.dir, 'spare/fn.mjs')]]);
    // Taken: the next function starts a worker of its own.
    const other = payloadOf(await invoke(fx.ref('spare/fn.handler'), { functionName: 'other' })) as { threadId: number; env: { own?: string } };
    expect(other.threadId).toBeGreaterThan(spareThreadId);
    expect(other.env.own).toBeUndefined();
  });

  it('an unused spare is stopped by close()', async () => {
    const { runtime } = createTestRuntime();
    const { threadCount } = await import('./test-support/fixtures.js');
    const before = threadCount();
    runtime.prepareSpare();
    await expect.poll(() => threadCount()).toBe(before + 1);
    await runtime.close();
    await expect.poll(() => threadCount()).toBeLessThanOrEqual(before);
  });
});

describe('bootSpareWorker (a spare booted before the runtime exists: localgw start)', () => {
  it("the runtime's prepareSpare adopts it: the first function runs on that thread, and its log lines reach the runtime", async () => {
    fx.write('early/fn.mjs', `import { threadId } from 'node:worker_threads';\nexport const handler = async (event, context) => { console.log('from the early spare'); return { threadId, name: context.functionName, env: process.env.OWN }; };\n`);
    const probe = new Worker('', { eval: true });
    const earlyThreadId = probe.threadId + 1;
    await probe.terminate();
    // Before any runtime, as the CLI does; with module tracking, as \`localgw start\` watching.
    bootSpareWorker({ trackModules: true });
    const graphs: string[][] = [];
    const { invoke, runtime, logs } = createTestRuntime({ onModules: (entry) => graphs.push(entry.files) });
    runtime.prepareSpare();
    const first = payloadOf(await invoke(fx.ref('early/fn.handler'), { functionName: 'early', environment: { OWN: 'mine' } })) as Record<string, unknown>;
    expect(first).toEqual({ threadId: earlyThreadId, name: 'early', env: 'mine' });
    expect(graphs).toEqual([[path.join(fx.dir, 'early/fn.mjs')]]);
    expect(logs.some((entry) => entry.text === 'from the early spare' && entry.functionName === 'early')).toBe(true);
  });

  it('a runtime it does not fit (no module tracking) stops it and boots its own', async () => {
    const { threadCount } = await import('./test-support/fixtures.js');
    fx.write('early/plain.mjs', `import { threadId } from 'node:worker_threads';\nexport const handler = async () => ({ threadId });\n`);
    const before = threadCount();
    const probe = new Worker('', { eval: true });
    const earlyThreadId = probe.threadId + 1;
    await probe.terminate();
    bootSpareWorker({ trackModules: true });
    const { invoke, runtime } = createTestRuntime();
    runtime.prepareSpare();
    const served = payloadOf(await invoke(fx.ref('early/plain.handler'))) as { threadId: number };
    expect(served.threadId).toBeGreaterThan(earlyThreadId);
    await runtime.close();
    // The early one is gone too: nothing is left behind.
    await expect.poll(() => threadCount()).toBeLessThanOrEqual(before);
  });
});

