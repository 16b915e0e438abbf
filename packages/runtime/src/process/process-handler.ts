// Handlers of runtimes other than Node.js: what a spec names on disk, checked once when the
// config loads (a missing module or bootstrap is a config problem, shown by `localgw check` and
// the route table, answered 500), and run later as a child process (process-slot.ts).
import fs from 'node:fs';
import path from 'node:path';
import { didYouMean } from '@localgw/core/did-you-mean';
import type { RuntimeFamily } from '@localgw/core/runtimes';
import type { HandlerRef, ResolveHandlerResult } from '../handler-ref.js';

/** How a function of a runtime other than Node.js runs: a process speaking the Runtime API. */
export interface ProcessHandler {
  /** The Lambda runtime identifier (`python3.12`, `provided.al2023`, `go1.x`). */
  runtime: string;
  family: Exclude<RuntimeFamily, 'nodejs'>;
  /** `LAMBDA_TASK_ROOT` and the process's working directory: the handler's folder (Lambda's /var/task). */
  taskRoot: string;
  /** `_HANDLER`: what the spec names inside the task root (`app.handler`, `pkg.app.handler`, `bootstrap`). */
  handler: string;
  /** The executable of a custom runtime; Python functions run localgw's own runtime interface client. */
  bootstrap?: string;
  /** The config's folder: a `.venv` is looked for from `taskRoot` up to it. */
  projectRoot: string;
}

/** A handler spec's folder and the name in it: `reports/pkg.app.handler` → `reports`, `pkg.app.handler`. */
function splitSpec(baseDir: string, rawSpec: string): { spec: string; dir: string; name: string; taskRoot: string } {
  const spec = rawSpec.replaceAll('\\', '/');
  const slash = spec.lastIndexOf('/');
  const dir = spec.slice(0, slash + 1);
  return { spec, dir, name: spec.slice(slash + 1), taskRoot: path.resolve(baseDir, dir || '.') };
}

/**
 * `FOLDER/MODULE.FUNCTION` of a Python function: FOLDER is the task root (the function's code
 * folder, as `CodeUri` in SAM), MODULE is imported from it (dots for packages, as Lambda's
 * `_HANDLER`), FUNCTION is called.
 */
export function resolvePythonHandler(baseDir: string, rawSpec: string, runtime: string): ResolveHandlerResult {
  const { spec, dir, name, taskRoot } = splitSpec(baseDir, rawSpec);
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) {
    return {
      ok: false,
      message: `handler "${spec}" is not of the form FOLDER/MODULE.FUNCTION`,
      hint: `name the module and its function, e.g. "${dir}${name.replace(/\.+$/, '') || 'app'}.handler"`,
    };
  }
  const moduleName = name.slice(0, dot);
  const exportName = name.slice(dot + 1);
  const modulePath = path.join(taskRoot, ...moduleName.split('.'));
  const candidates = [`${modulePath}.py`, path.join(modulePath, '__init__.py')];
  const file = candidates.find(isFile);
  const process: ProcessHandler = { runtime, family: 'python', taskRoot, handler: name, projectRoot: path.resolve(baseDir) };
  if (file !== undefined) return { ok: true, value: { file, exportName, process } satisfies HandlerRef };
  const shown = candidates.map((candidate) => path.relative(baseDir, candidate).split(path.sep).join('/'));
  const hint = suggestModule(taskRoot, dir, moduleName, exportName);
  const message = `handler "${spec}": no such module (tried ${shown.join(', ')} in ${baseDir})`;
  return hint === undefined ? { ok: false, message } : { ok: false, message, hint };
}

/**
 * `FOLDER/NAME` of a custom runtime: FOLDER holds the executable `bootstrap` (or `bootstrap`
 * names it, relative to the config), NAME is `_HANDLER`. `go1.x` runs the executable NAME, as
 * that runtime did.
 */
export function resolveBootstrapHandler(baseDir: string, rawSpec: string, runtime: string, bootstrapSpec: string | undefined): ResolveHandlerResult {
  const { spec, name, taskRoot } = splitSpec(baseDir, rawSpec);
  if (name === '') return { ok: false, message: `handler "${spec}" names a folder, not a handler`, hint: 'e.g. "my-function/bootstrap"; the folder holds the bootstrap executable' };
  const bootstrap = bootstrapSpec !== undefined ? path.resolve(baseDir, bootstrapSpec) : path.join(taskRoot, runtime === 'go1.x' ? name : 'bootstrap');
  const process: ProcessHandler = { runtime, family: 'provided', taskRoot, handler: name, bootstrap, projectRoot: path.resolve(baseDir) };
  const shown = path.relative(baseDir, bootstrap).split(path.sep).join('/') || bootstrap;
  if (!isFile(bootstrap)) {
    return {
      ok: false,
      message: `${runtime} function "${spec}": no bootstrap executable at ${shown}`,
      hint: runtime === 'go1.x' ? `build the Go binary ${name} into ${path.relative(baseDir, taskRoot) || '.'}` : `put the executable that runs the function there (a Go or Rust binary, or a script), or name it with "bootstrap"`,
    };
  }
  if (!isExecutable(bootstrap)) return { ok: false, message: `${runtime} function "${spec}": ${shown} is not executable`, hint: `chmod +x ${shown}` };
  return { ok: true, value: { file: bootstrap, exportName: name, process } satisfies HandlerRef };
}

function isFile(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

function isExecutable(file: string): boolean {
  // Windows has no execute bit: whatever it can start is checked when it starts.
  if (process.platform === 'win32') return true;
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function suggestModule(taskRoot: string, dir: string, moduleName: string, exportName: string): string | undefined {
  let modules: string[];
  try {
    modules = fs.readdirSync(taskRoot).filter((entry) => entry.endsWith('.py')).map((entry) => entry.slice(0, -3));
  } catch {
    return `the folder "${dir || './'}" does not exist`;
  }
  if (modules.length === 0) return `"${dir || './'}" contains no .py file`;
  const close = didYouMean(moduleName.split('.')[0]!, modules);
  if (close !== undefined) return `did you mean "${dir}${close}.${exportName}"?`;
  return `Python modules in "${dir || './'}": ${modules.slice(0, 8).map((m) => `${m}.py`).join(', ')}${modules.length > 8 ? ', …' : ''}`;
}
