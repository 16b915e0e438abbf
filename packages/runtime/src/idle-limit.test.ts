// Issue 17: memory follows use, not the size of the project. Real workers; thread counts from /proc.
import { describe, expect, it } from 'vitest';
import { IdleLimit } from './idle-limit.js';
import { createTestRuntime, payloadOf, threadCount, useFixtureDir } from './test-support/fixtures.js';

const fx = useFixtureDir();
const FUNCTIONS = 8;
for (let i = 0; i < FUNCTIONS; i++) {
  fx.write(`fn${i}.mjs`, `import { threadId } from 'node:worker_threads';\nexport const handler = async (event) => { if (event.ms) await new Promise((r) => setTimeout(r, event.ms)); return { fn: ${i}, threadId }; };\n`);
}

const waitFor = async (check: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
  return check();
};

describe('maxIdleWorkers: the idle workers of all functions, least recently used stopped first', () => {
  it('keeps at most the limit warm across functions, stopping the one idle longest', async () => {
    const { invoke, runtime } = createTestRuntime({ maxIdleWorkers: 3 });
    const workers = () => runtime.stats().reduce((sum, f) => sum + f.workers, 0);
    const threads: number[] = [];
    for (let i = 0; i < FUNCTIONS; i++) {
      threads.push((payloadOf(await invoke(fx.ref(`fn${i}.handler`), { functionName: `fn${i}` })) as { threadId: number }).threadId);
    }
    expect(await waitFor(() => workers() === 3), `workers: ${workers()}`).toBe(true);
    // The three most recent are still warm: same thread; the first is a cold start on a new one.
    const last = payloadOf(await invoke(fx.ref(`fn${FUNCTIONS - 1}.handler`), { functionName: `fn${FUNCTIONS - 1}` })) as { threadId: number };
    expect(last.threadId).toBe(threads[FUNCTIONS - 1]);
    const first = payloadOf(await invoke(fx.ref('fn0.handler'), { functionName: 'fn0' })) as { threadId: number };
    expect(first.threadId).not.toBe(threads[0]);
    expect(await waitFor(() => workers() === 3)).toBe(true);
  });

  it('never stops a busy worker: with 0 idle allowed, concurrent invocations all run, then every worker stops', async () => {
    const { invoke } = createTestRuntime({ maxIdleWorkers: 0 });
    const before = threadCount();
    const outcomes = await Promise.all(Array.from({ length: 4 }, (_, i) => invoke(fx.ref(`fn${i}.handler`), { functionName: `fn${i}`, event: { ms: 300 } })));
    expect(outcomes.map((o) => o.kind)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(await waitFor(() => threadCount() <= before), `threads: ${threadCount()} vs ${before}`).toBe(true);
  });

  it('setMaxIdleWorkers applies to the workers idle now (a config reload)', async () => {
    const { invoke, runtime } = createTestRuntime({ maxIdleWorkers: 10 });
    const workers = () => runtime.stats().reduce((sum, f) => sum + f.workers, 0);
    for (let i = 0; i < 4; i++) await invoke(fx.ref(`fn${i}.handler`), { functionName: `fn${i}` });
    expect(workers()).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const threadsBefore = threadCount();
    runtime.setMaxIdleWorkers(1);
    expect(workers()).toBe(1);
    // The stopped workers' threads are gone, not only the pools' count.
    expect(await waitFor(() => threadCount() <= threadsBefore - 3), `threads: ${threadCount()} vs ${threadsBefore} - 3`).toBe(true);
  });
});

describe('IdleLimit', () => {
  it('evicts in the order workers went idle; going idle again makes one the most recent', () => {
    const evicted: string[] = [];
    const limit = new IdleLimit<string>(2);
    const owner = { evictIdle: (slot: string) => evicted.push(slot) };
    limit.add('a', owner);
    limit.add('b', owner);
    limit.add('a', owner);
    limit.add('c', owner);
    expect(evicted).toEqual(['b']);
    limit.delete('a');
    limit.add('d', owner);
    expect(evicted).toEqual(['b']);
    limit.max = 0;
    expect(evicted).toEqual(['b', 'c', 'd']);
    expect(limit.size).toBe(0);
  });

  it('refuses a limit that is not a whole number of workers', () => {
    expect(() => new IdleLimit(-1)).toThrow(/maxIdleWorkers must be 0 or a positive integer/);
    expect(() => new IdleLimit(1.5)).toThrow(/maxIdleWorkers/);
  });
});
