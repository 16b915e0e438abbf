// Issue 13: a bad handler must never take a function down or hold a thread or memory forever.
// Real workers, thread counts from /proc; the timing limits leave a loaded machine seconds of room.
import { describe, expect, it } from 'vitest';
import { BLOCKED_MS } from './pool.js';
import { createTestRuntime, payloadOf, threadCount, useFixtureDir } from './test-support/fixtures.js';

const fx = useFixtureDir();

fx.write(
  'blocking.mjs',
  `import { threadId } from 'node:worker_threads';
let invocations = 0;
export const ping = async () => ({ threadId, invocations: ++invocations });
// Answers, then holds its thread from a timer: what waits on this worker would never start.
export const answerThenBlock = async (event) => {
  setTimeout(() => { const end = Date.now() + (event.blockMs ?? 30_000); while (Date.now() < end); }, 20);
  return { threadId, invocations: ++invocations };
};
`,
);

describe('§4.6 a worker whose thread is held after it answered is replaced (issue 13.1)', () => {
  it('an invocation waiting on it moves to a fresh worker once it has made no progress for BLOCKED_MS', async () => {
    const { invoke } = createTestRuntime({ maxWorkersPerFunction: 1 });
    const ref = fx.ref('blocking.answerThenBlock');
    const first = payloadOf(await invoke(ref)) as { threadId: number };
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Its only worker is held for 30 s: before the fix this waited for its 8 s timeout (503).
    const started = Date.now();
    const second = payloadOf(await invoke(ref, { timeoutMs: 8_000 })) as { threadId: number; invocations: number };
    expect(second.threadId).not.toBe(first.threadId);
    expect(second.invocations).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(BLOCKED_MS - 50);
    expect(Date.now() - started).toBeLessThan(7_000);
  });

  it('an invocation that times out waiting on it is a timeout, and the worker is replaced at once, as Lambda resets an environment', async () => {
    const { invoke, logs } = createTestRuntime({ maxWorkersPerFunction: 1 });
    const ref = fx.ref('blocking.answerThenBlock');
    const first = payloadOf(await invoke(ref)) as { threadId: number };
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await invoke(ref, { timeoutMs: 300, requestId: 'waited', routeKey: 'GET /block' })).toEqual({ kind: 'timeout', timeoutMs: 300 });
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'warn', requestId: 'waited', routeKey: 'GET /block', text: expect.stringMatching(/replaced: an invocation waiting on it timed out after 300 ms/) }),
    );
    // Before the fix the held worker was kept, and this one timed out too.
    const third = payloadOf(await invoke(ref, { timeoutMs: 8_000 })) as { threadId: number };
    expect(third.threadId).not.toBe(first.threadId);
  });

  it('the function recovers and the held workers go: threads fall back, and a reload frees what it holds', async () => {
    const { invoke, runtime } = createTestRuntime();
    const ref = fx.ref('blocking.answerThenBlock');
    const before = threadCount();
    const pause = () => new Promise((resolve) => setTimeout(resolve, 100));
    for (let i = 0; i < 4; i++) {
      // After the pause the worker it answered on is held.
      await pause();
      expect((await invoke(ref, { timeoutMs: 8_000 })).kind).toBe('ok');
    }
    // Each held worker is replaced when an invocation waits on it; only the last one is left.
    await expect.poll(threadCount, { timeout: 10_000, interval: 100 }).toBeLessThanOrEqual(before + 2);
    // A held worker with an invocation waiting on it: the reload's drain must not wait for it forever.
    await pause();
    const waiting = invoke(ref, { timeoutMs: 20_000 });
    await pause();
    await runtime.reload();
    expect((await waiting).kind).toBe('ok');
    await expect.poll(threadCount, { timeout: 10_000, interval: 100 }).toBeLessThanOrEqual(before + 2);
  });
});

describe('idle workers are stopped after the idle timeout (issue 13.2)', () => {
  it('frees the thread; the next invocation starts a new worker', async () => {
    const { invoke } = createTestRuntime({ idleTimeoutMs: 500 });
    const ref = fx.ref('blocking.ping');
    const first = payloadOf(await invoke(ref)) as { threadId: number };
    const running = threadCount();
    await expect.poll(threadCount, { timeout: 10_000, interval: 50 }).toBeLessThan(running);
    const second = payloadOf(await invoke(ref)) as { threadId: number; invocations: number };
    expect(second).toMatchObject({ invocations: 1 });
    expect(second.threadId).not.toBe(first.threadId);
  });

  it('keeps a worker in use, and never stops one with 0; setIdleTimeout applies to workers already idle', async () => {
    const { invoke, runtime } = createTestRuntime({ idleTimeoutMs: 0 });
    const ref = fx.ref('blocking.ping');
    const first = payloadOf(await invoke(ref)) as { threadId: number };
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(payloadOf(await invoke(ref))).toEqual({ threadId: first.threadId, invocations: 2 });
    const running = threadCount();
    runtime.setIdleTimeout(300);
    await expect.poll(threadCount, { timeout: 10_000, interval: 50 }).toBeLessThan(running);
    expect(() => runtime.setIdleTimeout(-1)).toThrow(RangeError);
  });
});
