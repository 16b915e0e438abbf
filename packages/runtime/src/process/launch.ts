// What command starts a function's runtime process: the local Python for Python functions
// (running localgw's runtime interface client), the bootstrap for custom runtimes. Found once
// and kept: a cold start must not pay for a search, nor a pyenv shim, each time.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessHandler } from './process-handler.js';

export type Launch = { ok: true; command: string; args: string[]; note?: string } | { ok: false; message: string };

const WINDOWS = process.platform === 'win32';

/** localgw's Python runtime interface client, shipped beside `dist/` and `src/`. */
export const PYTHON_BOOTSTRAP = fileURLToPath(new URL('../../python/bootstrap.py', import.meta.url));

export function launchCommand(fn: ProcessHandler, env: Record<string, string>): Promise<Launch> {
  return fn.family === 'python' ? pythonLaunch(fn, env) : Promise.resolve(bootstrapLaunch(fn.bootstrap!, env));
}

interface Interpreter {
  executable: string;
  version: string;
}

const probes = new Map<string, Promise<Interpreter | { error: string }>>();

/**
 * The Python to run: `LOCALGW_PYTHON`, else a `.venv` in the function's folder or one above it
 * up to the project's, else the active `VIRTUAL_ENV`, else `python3` on PATH. Asked once for its
 * real path (a pyenv or asdf shim costs tens of milliseconds a start) and version.
 */
async function pythonLaunch(fn: ProcessHandler, env: Record<string, string>): Promise<Launch> {
  const { command, source } = pythonCommand(fn, env);
  const key = `${command}\0${fn.taskRoot}`;
  let probe = probes.get(key);
  if (probe === undefined) {
    probe = probePython(command, fn.taskRoot);
    probes.set(key, probe);
  }
  const found = await probe;
  if ('error' in found) {
    // Not kept: installing Python, or creating the venv, must work without a restart.
    probes.delete(key);
    const which = source === 'PATH' ? `${command} (from PATH)` : `${command} (from ${source})`;
    return { ok: false, message: `cannot run ${fn.runtime} functions: ${which} ${found.error}; install Python 3, or set LOCALGW_PYTHON to the interpreter to use` };
  }
  const wanted = /^python(\d+\.\d+)$/.exec(fn.runtime)?.[1];
  const note = wanted !== undefined && !found.version.startsWith(`${wanted}.`) ? `${fn.runtime} functions run on the local Python ${found.version} (${found.executable})` : undefined;
  return { ok: true, command: found.executable, args: [PYTHON_BOOTSTRAP], ...(note !== undefined && { note }) };
}

function pythonCommand(fn: ProcessHandler, env: Record<string, string>): { command: string; source: string } {
  if (env.LOCALGW_PYTHON) return { command: env.LOCALGW_PYTHON, source: 'LOCALGW_PYTHON' };
  const bin = WINDOWS ? path.join('Scripts', 'python.exe') : path.join('bin', 'python');
  for (let dir = fn.taskRoot; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, '.venv', bin);
    if (fs.existsSync(candidate)) return { command: candidate, source: path.join(dir, '.venv') };
    if (dir === fn.projectRoot || !isInside(dir, fn.projectRoot) || path.dirname(dir) === dir) break;
  }
  if (env.VIRTUAL_ENV) return { command: path.join(env.VIRTUAL_ENV, bin), source: 'VIRTUAL_ENV' };
  return { command: WINDOWS ? 'python' : 'python3', source: 'PATH' };
}

function isInside(dir: string, root: string): boolean {
  const relative = path.relative(root, dir);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function probePython(command: string, cwd: string): Promise<Interpreter | { error: string }> {
  const script = 'import sys; print(sys.executable); print(sys.version.split()[0])';
  return new Promise((resolve) => {
    execFile(command, ['-c', script], { cwd, timeout: 15_000, windowsHide: true }, (error, stdout) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        resolve({ error: code === 'ENOENT' ? 'was not found' : `failed: ${error.message.split('\n')[0]}` });
        return;
      }
      const [executable, version] = stdout.trim().split(/\r?\n/);
      if (!executable || !version) resolve({ error: `did not say where it is (${JSON.stringify(stdout.slice(0, 200))})` });
      else if (!version.startsWith('3.')) resolve({ error: `is Python ${version}; functions need Python 3` });
      else resolve({ executable, version });
    });
  });
}

let bash: string | null | undefined;

/**
 * A custom runtime's bootstrap is executed by its shebang, except `#!/bin/sh`, which runs with
 * bash where bash exists: on Amazon Linux /bin/sh is bash, and AWS's own tutorial bootstrap
 * relies on it (DESIGN.md).
 */
function bootstrapLaunch(bootstrap: string, env: Record<string, string>): Launch {
  let head = '';
  try {
    const fd = fs.openSync(bootstrap, 'r');
    try {
      const buffer = Buffer.alloc(64);
      head = buffer.subarray(0, fs.readSync(fd, buffer, 0, 64, 0)).toString('latin1');
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    return { ok: false, message: `cannot read the bootstrap ${bootstrap}: ${(error as Error).message}` };
  }
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(head);
  const interpreter = shebang?.[1] === '/usr/bin/env' ? shebang[2] : shebang?.[1];
  if (interpreter === '/bin/sh' || interpreter === 'sh') {
    bash ??= findOnPath('bash', env.PATH ?? process.env.PATH ?? '') ?? null;
    if (bash !== null) return { ok: true, command: bash, args: [bootstrap] };
  }
  return { ok: true, command: bootstrap, args: [] };
}

function findOnPath(name: string, pathVariable: string): string | undefined {
  for (const dir of pathVariable.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, WINDOWS ? `${name}.exe` : name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}
