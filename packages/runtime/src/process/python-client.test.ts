// localgw's Python runtime interface client (python/bootstrap.py) against the real Runtime API:
// prefetch, as the client uses it. A real python3 process; the API's listener records what the
// gateway would see. Timing limits leave a loaded machine a wide margin.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { PYTHON_BOOTSTRAP } from './launch.js';
import { RuntimeApi, type ApiInvocation, type RuntimeApiListener } from './runtime-api.js';
import { useFixtureDir } from '../test-support/fixtures.js';

const fx = useFixtureDir('localgw-python-client-');
fx.write(
  'app.py',
  `import os, time
ran = []

def handler(event, context):
    time.sleep(event.get("s", 0))
    ran.append(context.aws_request_id)
    return {"id": context.aws_request_id, "ran": list(ran)}
`,
);

interface Seen extends RuntimeApiListener {
  events: string[];
  results: Map<string, unknown>;
}

const children: ChildProcess[] = [];
const apis: RuntimeApi[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(apis.splice(0).map((api) => api.close()));
});

async function startClient(): Promise<{ api: RuntimeApi; seen: Seen }> {
  const seen: Seen = {
    events: [],
    results: new Map(),
    initDone: () => seen.events.push('initDone'),
    delivered: (invocation) => seen.events.push(`delivered ${invocation.requestId}`),
    answered: (invocation, outcome) => {
      seen.events.push(`answered ${invocation.requestId}`);
      seen.results.set(invocation.requestId, outcome.kind === 'ok' ? JSON.parse(outcome.payload) : outcome);
    },
    initFailed: (error) => seen.events.push(`initFailed ${error.errorMessage}`),
    returned: (invocation) => seen.events.push(`returned ${invocation.requestId}`),
  };
  const api = await RuntimeApi.start(seen, 'arn:aws:lambda:us-east-1:123456789012:function:fn');
  apis.push(api);
  const child = spawn(process.env.LOCALGW_PYTHON ?? 'python3', [PYTHON_BOOTSTRAP], {
    cwd: fx.dir,
    env: { PATH: process.env.PATH ?? '', AWS_LAMBDA_RUNTIME_API: api.address, _HANDLER: 'app.handler', LAMBDA_TASK_ROOT: fx.dir },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  await expect.poll(() => seen.events, { timeout: 10_000 }).toContain('initDone');
  return { api, seen };
}

const invocation = (requestId: string, event: object = {}): ApiInvocation => ({
  requestId,
  deadline: Date.now() + 30_000,
  body: JSON.stringify(event),
  traceId: 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=0',
});

describe('the Python client with prefetch', () => {
  it('asks for prefetch; invocations handed out while one runs run after it, in order, each once', async () => {
    const { api, seen } = await startClient();
    expect(api.prefetching).toBe(true);
    // The client keeps GETs waiting: all four are handed out at once, before `a` can be answered.
    for (const id of ['a', 'b', 'c', 'd']) api.offer(invocation(id));
    expect(seen.events.slice(1)).toEqual(['delivered a', 'delivered b', 'delivered c', 'delivered d']);
    expect(api.running).toBe(true);
    await expect.poll(() => seen.results.size, { timeout: 10_000 }).toBe(4);
    expect(seen.events.filter((e) => e.startsWith('answered'))).toEqual(['answered a', 'answered b', 'answered c', 'answered d']);
    expect(seen.results.get('d')).toEqual({ id: 'd', ran: ['a', 'b', 'c', 'd'] });
    expect(seen.events.filter((e) => e.startsWith('returned'))).toEqual([]);
  });

  it('hands back what waits behind a handler still running after 5 ms, unstarted; it answers only what it ran', async () => {
    const { api, seen } = await startClient();
    api.offer(invocation('slow', { s: 1.5 }));
    await expect.poll(() => seen.events).toContain('delivered slow');
    api.offer(invocation('behind-1'));
    await expect.poll(() => seen.events).toContain('delivered behind-1');
    api.offer(invocation('behind-2'));
    await expect.poll(() => seen.events).toContain('delivered behind-2');
    const offeredAt = Date.now();
    // Back within a few watcher ticks, long before the slow one ends.
    await expect.poll(() => seen.events.filter((e) => e.startsWith('returned')), { timeout: 1_000 }).toEqual(['returned behind-1', 'returned behind-2']);
    expect(Date.now() - offeredAt).toBeLessThan(1_000);
    expect(api.running).toBe(true);
    await expect.poll(() => seen.results.size, { timeout: 10_000 }).toBe(1);
    expect(seen.results.get('slow')).toEqual({ id: 'slow', ran: ['slow'] });
    // Still serving, with GETs waiting again: the next invocation runs at once.
    api.offer(invocation('after'));
    await expect.poll(() => seen.results.size, { timeout: 5_000 }).toBe(2);
    expect(seen.results.get('after')).toEqual({ id: 'after', ran: ['slow', 'after'] });
  });
});
