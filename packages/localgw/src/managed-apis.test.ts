import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createGateway, type Gateway } from './create-gateway.js';

// Without a state file, the management state's copy of a native config's API is built only when
// something asks for it (issue 17: for 10,000 routes it costs more than serving them). With one,
// it is built at start, as it always was. Both must show the same state after the same history
// of reloads: the same ids, the same dates, a handler edit or an edit outside the model keeping
// them, an edit of the API giving its stages new ones.

const T0 = new Date('2026-01-01T10:00:00Z');

function project(): { dir: string; config: string; write(config: object): void } {
  const dir = mkdtempSync(join(tmpdir(), 'localgw-mirror-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'handlers'));
  writeFileSync(join(dir, 'handlers', 'hello.mjs'), 'export const handler = async () => ({ statusCode: 200 });\n');
  const config = join(dir, 'localgw.config.json');
  const write = (value: object) => writeFileSync(config, JSON.stringify(value));
  return { dir, config, write };
}

const BASE = { stageVariables: { env: 'a' }, routes: { 'GET /a/{id}': 'handlers/hello.handler', 'POST /b': { handler: 'handlers/hello.handler', timeout: 3 } } };

/** Runs `steps` (a minute apart) on a gateway without a state file and on one with, and returns both states. */
async function bothStates(steps: Array<(write: (config: object) => void) => void>): Promise<[unknown, unknown]> {
  const states: unknown[] = [];
  // One folder for both: the API is named after it.
  const { dir, config, write } = project();
  for (const withStateFile of [false, true]) {
    write(BASE);
    vi.setSystemTime(T0);
    const gateway: Gateway = await createGateway({ config, ...(withStateFile && { stateFile: join(dir, 'state.json') }) });
    for (const [index, step] of steps.entries()) {
      vi.setSystemTime(new Date(T0.getTime() + (index + 1) * 60_000));
      step(write);
      const result = await gateway.reload();
      expect(result.ok).toBe(true);
    }
    states.push(gateway.management.state());
    await gateway.close();
  }
  return [states[0], states[1]];
}

describe("the management state's copy of the config file", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is the same whether built at start or when first asked for', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const [deferred, eager] = await bothStates([]);
    expect(deferred).toEqual(eager);
    expect(JSON.stringify(deferred)).toContain('"routeKey":"GET /a/{id}"');
  });

  it('keeps its dates across a reload of the same file, as when built at start', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const [deferred, eager] = await bothStates([() => {}, () => {}]);
    expect(deferred).toEqual(eager);
    expect(JSON.stringify(deferred)).not.toContain('10:01:00Z');
  });

  it('follows an edit of the file exactly as when built at start', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    // Outside the model (the API is as it was: its dates stay), then the API itself (its stages get new dates).
    const [deferred, eager] = await bothStates([
      () => {},
      (write) => write({ ...BASE, idleTimeout: 30 }),
      (write) => write({ ...BASE, routes: { ...BASE.routes, 'GET /c': 'handlers/hello.handler' } }),
      () => {},
    ]);
    expect(deferred).toEqual(eager);
    const text = JSON.stringify(deferred);
    expect(text).toContain('"routeKey":"GET /c"');
    expect(text).toContain('10:03:00Z');
    expect(text).not.toContain('10:02:00Z');
  });

  it('counts the same routes in another order as an edit, as when built at start (the order is the match table\'s)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const [first, second] = Object.entries(BASE.routes);
    const [deferred, eager] = await bothStates([(write) => write({ ...BASE, routes: Object.fromEntries([second!, first!]) })]);
    expect(deferred).toEqual(eager);
    expect(JSON.stringify(deferred)).toContain('10:01:00Z');
  });
});
