import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

/** The built bin, exactly what `npx localgw` runs. */
export const BIN = fileURLToPath(new URL('../../packages/localgw/bin/localgw.js', import.meta.url));

export interface RunningCli {
  url: string;
  child: ChildProcess;
  /** Everything printed so far (stdout and stderr interleaved). */
  output(): string;
  /** Resolves once the output contains `text` (or matches it). */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs `localgw start --port 0 …` and resolves once it prints its URL. The output is kept and
 * attached to the error if it never gets ready, so a failing test shows why.
 */
export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; readyTimeoutMs?: number } = {}): Promise<RunningCli> {
  return startServer(BIN, ['start', '--port', '0', ...args], options);
}

/**
 * Runs a Node script that serves HTTP on 127.0.0.1 and resolves once it prints its URL.
 * `readyTimeoutMs`: for a start that does slow work first (`--synth` runs the CDK).
 */
export async function startServer(script: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; readyTimeoutMs?: number } = {}): Promise<RunningCli> {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const w of waiters) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const waitForOutput = (text: string | RegExp, timeoutMs = 15_000) =>
    new Promise<void>((resolve, reject) => {
      const test = () => (typeof text === 'string' ? output.includes(text) : text.test(output));
      if (test()) return resolve();
      const check = () => {
        if (test()) {
          cleanup();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${String(text)} in the output of ${script}:\n${output}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      void exited.then((code) => {
        if (waiters.has(check)) {
          cleanup();
          reject(new Error(`${script} exited (${code}) before printing ${String(text)}:\n${output}`));
        }
      });
    });

  await waitForOutput(/http:\/\/127\.0\.0\.1:\d+/, options.readyTimeoutMs);
  const url = /http:\/\/127\.0\.0\.1:\d+/.exec(output)![0];
  return {
    url,
    child,
    output: () => output,
    waitForOutput,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/**
 * `localgw start` in `project` for the tests of the enclosing describe block: started before
 * them, stopped after them, and the project removed. The object is filled in once it runs.
 */
export function serveProject(project: { dir: string; cleanup(): void }, args: string[] = []): RunningCli {
  const gw = {} as RunningCli;
  beforeAll(async () => {
    Object.assign(gw, await startCli(args, { cwd: project.dir }));
  });
  afterAll(async () => {
    if (gw.stop) await gw.stop();
    project.cleanup();
  });
  return gw;
}

/** Runs a one-shot command (`check`, `routes`, `token`) and returns its exit code and output. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const res = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** `runCli` without blocking the test process, so servers it runs (an issuer, a page) keep answering. */
export function runCliAsync(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Resolves once the output has lines matching `patterns` in this order (other lines may come between). */
export function waitForLogSequence(cli: RunningCli, patterns: RegExp[], timeoutMs?: number): Promise<void> {
  return cli.waitForOutput(new RegExp(patterns.map((p) => p.source).join('[\\s\\S]*')), timeoutMs);
}
