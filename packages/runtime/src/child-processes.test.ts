// Issue 13.6: child processes a handler starts must not outlive its worker or the gateway. Real
// child processes; a killed one may linger as a zombie (see processEnded), which counts as ended.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTestRuntime, payloadOf, processEnded, runNodeScript, useFixtureDir } from './test-support/fixtures.js';

const fx = useFixtureDir();

fx.write(
  'children.mjs',
  `import { spawn, exec } from 'node:child_process';
import fs from 'node:fs';
const forever = [process.execPath, ['-e', 'setInterval(() => {}, 1000)']];
const start = (options = {}) => spawn(...forever, { stdio: 'ignore', ...options });
export const spawnAndAnswer = async () => ({ pid: start().pid });
// These never answer: the test reads the child's pid from a file.
export const spawnAndHang = async (event) => { fs.writeFileSync(event.pidFile, String(start().pid)); await new Promise(() => setInterval(() => {}, 1000)); };
export const spawnAndExit = async (event) => { fs.writeFileSync(event.pidFile, String(start().pid)); setTimeout(() => process.exit(4), 50); await new Promise(() => {}); };
export const spawnAndSpin = async (event) => { const child = start(); setTimeout(() => { const end = Date.now() + 30_000; while (Date.now() < end); }, 10); return { pid: child.pid }; };
// A detached child leads its own process group, and starts a grandchild in it.
export const spawnGroup = async () => {
  const child = spawn(process.execPath, ['-e', \`
    const c = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    console.log(c.pid); setInterval(() => {}, 1000);\`], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  const grandchild = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d)))));
  return { pid: child.pid, grandchild };
};
// A shell, and its own child: the one that would be left running.
export const viaExec = async () => {
  const shell = exec(\`"\${process.execPath}" -e "console.log(process.pid); setInterval(() => {}, 1000)"\`);
  const node = await new Promise((resolve) => shell.stdout.once('data', (d) => resolve(Number(String(d)))));
  return { pid: shell.pid, node };
};
`,
);

const ended = async (pid: number) => expect.poll(() => processEnded(pid), { timeout: 10_000, interval: 50 }).toBe(true);

describe('child processes a handler starts do not outlive its worker (issue 13.6)', () => {
  it('close() kills them', async () => {
    const { invoke, runtime } = createTestRuntime();
    const { pid } = payloadOf(await invoke(fx.ref('children.spawnAndAnswer'))) as { pid: number };
    const shell = payloadOf(await invoke(fx.ref('children.viaExec'))) as { pid: number; node: number };
    expect(processEnded(pid)).toBe(false);
    expect(processEnded(shell.node)).toBe(false);
    await runtime.close();
    await ended(pid);
    await ended(shell.pid);
    // Below the shell, on Linux (/proc); elsewhere only a detached child's group is reached.
    if (process.platform === 'linux') await ended(shell.node);
  });

  it.each([
    // Room for the worker to start on a loaded machine before its timeout.
    ['a timeout', 'spawnAndHang', { timeoutMs: 4_000 }, 'timeout'],
    ['a crash', 'spawnAndExit', {}, 'crash'],
  ])('%s kills them', async (_title, name, overrides, kind) => {
    const { invoke } = createTestRuntime();
    const pidFile = path.join(fx.dir, `${name}.pid`);
    const outcome = await invoke(fx.ref(`children.${name}`), { ...overrides, event: { pidFile } });
    expect(outcome.kind).toBe(kind);
    await ended(Number(fs.readFileSync(pidFile, 'utf8')));
  });

  it('a reload and the idle timeout kill them with their worker, and a worker held after answering takes them along when replaced', async () => {
    const { invoke, runtime } = createTestRuntime({ idleTimeoutMs: 600 });
    const { pid: reloaded } = payloadOf(await invoke(fx.ref('children.spawnAndAnswer'))) as { pid: number };
    await runtime.reload();
    await ended(reloaded);
    const { pid: idle } = payloadOf(await invoke(fx.ref('children.spawnAndAnswer'))) as { pid: number };
    await ended(idle);
    const { pid: held } = payloadOf(await invoke(fx.ref('children.spawnAndSpin'), { functionName: 'held' })) as { pid: number };
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await invoke(fx.ref('children.spawnAndSpin'), { functionName: 'held', timeoutMs: 300 })).kind).toBe('timeout');
    await ended(held);
  });

  // A child process of its own: the only way to see what happens when the process exits.
  it('a process that exits without close() takes them along', async () => {
    const script = fx.write(
      'exits-without-close.mjs',
      `import { createRuntime, resolveHandlerRef } from ${JSON.stringify(pathToFileURL(path.join(import.meta.dirname, 'index.ts')).href)};
const runtime = createRuntime();
const handler = resolveHandlerRef(${JSON.stringify(fx.dir)}, 'children.spawnAndAnswer').value;
const outcome = await runtime.invoke({ functionName: 'fn', handler, event: {}, requestId: 'r', timeoutMs: 10_000 });
console.log(outcome.payload);
process.exit(0);
`,
    );
    const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const { code, stdout, stderr } = await runNodeScript(script, ['--import', tsxLoader]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    await ended((JSON.parse(stdout) as { pid: number }).pid);
  });

  it('a detached child is killed with its process group, grandchildren included', async () => {
    const { invoke, runtime } = createTestRuntime();
    const { pid, grandchild } = payloadOf(await invoke(fx.ref('children.spawnGroup'))) as { pid: number; grandchild: number };
    expect(processEnded(grandchild)).toBe(false);
    await runtime.close();
    await ended(pid);
    await ended(grandchild);
  });
});
