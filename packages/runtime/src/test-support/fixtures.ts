// Test helpers: real handler files in a temp folder, and a runtime that is closed after each test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, onTestFinished } from 'vitest';
import { createRuntime } from '../create-runtime.js';
import type { InvokeRequest, Runtime, RuntimeOptions } from '../create-runtime.js';
import { resolveHandlerRef } from '../handler-ref.js';
import type { HandlerRef } from '../handler-ref.js';
import type { InvokeOutcome } from '../invoke.js';
import type { RuntimeLogEntry } from '../worker-slot.js';

export interface FixtureDir {
  dir: string;
  /** Write `content` to `dir/relative` (folders created); returns the absolute path. */
  write(relative: string, content: string): string;
  /** Resolve a handler spec relative to the folder; fails the test if it does not resolve. */
  ref(spec: string): HandlerRef;
}

/** A fresh temp folder for this test file, removed after all its tests. */
export function useFixtureDir(prefix = 'localgw-runtime-'): FixtureDir {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write(relative, content) {
      const file = path.join(dir, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      return file;
    },
    ref(spec) {
      const resolved = resolveHandlerRef(dir, spec);
      if (!resolved.ok) throw new Error(`${resolved.message}${resolved.hint ? ` (${resolved.hint})` : ''}`);
      return resolved.value;
    },
  };
}

export interface TestRuntime {
  runtime: Runtime;
  logs: RuntimeLogEntry[];
  /** Invoke with defaults: functionName `fn`, a fresh request id, a 10 s timeout. */
  invoke(handler: InvokeRequest['handler'], overrides?: Partial<InvokeRequest>): Promise<InvokeOutcome>;
}

let requestCounter = 0;

/** A runtime recording its logs; call inside a test, it is closed when the test finishes. */
export function createTestRuntime(options: RuntimeOptions = {}): TestRuntime {
  const logs: RuntimeLogEntry[] = [];
  const runtime = createRuntime({ ...options, onLog: (entry) => logs.push(entry) });
  onTestFinished(() => runtime.close());
  return {
    runtime,
    logs,
    invoke: (handler, overrides = {}) =>
      runtime.invoke({ functionName: 'fn', handler, event: {}, requestId: `req-${++requestCounter}`, timeoutMs: 10_000, ...overrides }),
  };
}

/** The parsed payload of an `ok` outcome; fails with the whole outcome otherwise. */
export function payloadOf(outcome: InvokeOutcome): unknown {
  if (outcome.kind !== 'ok') throw new Error(`expected an ok outcome, got ${JSON.stringify(outcome)}`);
  return JSON.parse(outcome.payload) as unknown;
}

/**
 * Runs `node [...nodeArgs] script` to completion (killed after 15 s) and returns its exit code,
 * output, and when it exited: for tests that a runtime lets its process exit on its own.
 */
export async function runNodeScript(script: string, nodeArgs: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string; exitedAt: number }> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [...nodeArgs, script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const killer = setTimeout(() => child.kill(), 15_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const exitedAt = Date.now();
  clearTimeout(killer);
  return { code, stdout, stderr, exitedAt };
}

/** Threads of this process right now (Linux): each worker is one. */
export function threadCount(): number {
  return fs.readdirSync('/proc/self/task').length;
}

/**
 * Whether process `pid` has ended: no such process, or a zombie. A child of a worker thread that
 * was terminated stays a zombie until this process exits, since only that thread would have
 * reaped it; it runs nothing and holds nothing but its process table entry.
 */
export function processEnded(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
    throw error;
  }
  try {
    // `pid (comm) S ...`: the state follows the last parenthesis.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}
