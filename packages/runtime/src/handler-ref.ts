import fs from 'node:fs';
import path from 'node:path';
import { runtimeFamily } from '@localgw/core/runtimes';
import { resolveBootstrapHandler, resolvePythonHandler, type ProcessHandler } from './process/process-handler.js';

/** A handler module and the export to call in it. */
export interface HandlerRef {
  /** Absolute path of the module, extension included. */
  file: string;
  /** The export to call; dots walk into nested objects (`nested.handler`), as in Lambda. */
  exportName: string;
  /**
   * Set for a function of another runtime (Python, custom runtimes): it runs as a child process
   * that speaks the Lambda Runtime API. `file` is then its module or bootstrap, `exportName` the
   * function or `_HANDLER`.
   */
  process?: ProcessHandler;
}

/** The runtime a function is declared with (config `runtime`, `bootstrap`); absent: Node.js. */
export interface FunctionRuntime {
  runtime?: string | undefined;
  bootstrap?: string | undefined;
}

export type ResolveHandlerResult = { ok: true; value: HandlerRef } | { ok: false; message: string; hint?: string };

/** Extensions tried, in this order, when a handler spec names a file without one (Lambda's order). */
export const HANDLER_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'] as const;

/**
 * Resolve a handler spec `FILE.EXPORT` relative to `baseDir` (the config file's folder).
 *
 * The spec splits at the last dot of its last path segment: `handlers/items.get` is export `get`
 * of `handlers/items.{js,mjs,cjs,ts,mts,cts}`, and `handlers/items.mjs.get` names the file
 * exactly. When that finds no file and the segment has more dots, Lambda's own reading is tried
 * too: split at the first dot, the rest being a nested export (`index.routes.get`).
 *
 * With a `runtime` other than Node.js the spec is that runtime's (`FOLDER/MODULE.FUNCTION` for
 * Python, `FOLDER/NAME` for a custom runtime's bootstrap in FOLDER; see process-handler.ts).
 *
 * @example resolveHandlerRef('/app', 'handlers/items.get') // { ok: true, value: { file: '/app/handlers/items.ts', exportName: 'get' } }
 */
export function resolveHandlerRef(baseDir: string, rawSpec: string, fn: FunctionRuntime = {}): ResolveHandlerResult {
  if (fn.runtime !== undefined) {
    const family = runtimeFamily(fn.runtime);
    if (family === 'python') return resolvePythonHandler(baseDir, rawSpec, fn.runtime);
    if (family === 'provided') return resolveBootstrapHandler(baseDir, rawSpec, fn.runtime, fn.bootstrap);
    if (family === undefined) return { ok: false, message: `localgw cannot run ${fn.runtime} functions`, hint: 'it runs Node.js, Python 3 and custom runtimes (provided.al2023)' };
  }
  // Configs are shared across platforms: a backslash is a folder separator everywhere.
  const spec = rawSpec.replaceAll('\\', '/');
  const slash = spec.lastIndexOf('/');
  const dir = spec.slice(0, slash + 1);
  const segment = spec.slice(slash + 1);
  const lastDot = segment.lastIndexOf('.');
  if (lastDot <= 0 || lastDot === segment.length - 1) {
    return {
      ok: false,
      message: `handler "${spec}" is not of the form FILE.EXPORT`,
      hint: `name the module and its export, e.g. "${dir}${segment.replace(/\.+$/, '') || 'index'}.handler"`,
    };
  }

  const splits = [lastDot];
  const firstDot = segment.indexOf('.');
  if (firstDot > 0 && firstDot !== lastDot) splits.push(firstDot);

  const tried: string[] = [];
  for (const at of splits) {
    const moduleSpec = dir + segment.slice(0, at);
    const exportName = segment.slice(at + 1);
    const base = path.resolve(baseDir, moduleSpec);
    const candidates = hasHandlerExtension(base) ? [base] : HANDLER_EXTENSIONS.map((ext) => base + ext);
    for (const file of candidates) {
      if (isFile(file)) return { ok: true, value: { file, exportName } };
      tried.push(file);
    }
  }

  const shown = tried.map((file) => path.relative(baseDir, file).split(path.sep).join('/'));
  const message = `handler "${spec}": no such file (tried ${shown.join(', ')} in ${baseDir})`;
  const hint = suggestFile(baseDir, dir, segment.slice(0, lastDot), segment.slice(lastDot + 1));
  return hint === undefined ? { ok: false, message } : { ok: false, message, hint };
}

function hasHandlerExtension(file: string): boolean {
  return (HANDLER_EXTENSIONS as readonly string[]).includes(path.extname(file));
}

function isFile(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

function suggestFile(baseDir: string, dir: string, moduleName: string, exportName: string): string | undefined {
  const folder = path.resolve(baseDir, dir || '.');
  let entries: string[];
  try {
    entries = fs.readdirSync(folder).filter((name) => hasHandlerExtension(name) && !name.endsWith('.d.ts') && isFile(path.join(folder, name)));
  } catch {
    return `the folder "${dir || './'}" does not exist in ${baseDir}`;
  }
  if (entries.length === 0) return `"${dir || './'}" contains no .js, .mjs, .cjs, .ts, .mts or .cts file`;

  const wanted = stripHandlerExtension(moduleName).toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of entries) {
    const d = editDistance(wanted, stripHandlerExtension(name).toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  if (best !== undefined && bestDistance <= limit) return `did you mean "${dir}${stripHandlerExtension(best)}.${exportName}"?`;
  const listed = entries.slice(0, 8).join(', ') + (entries.length > 8 ? ', …' : '');
  return `handler files in "${dir || './'}": ${listed}`;
}

function stripHandlerExtension(name: string): string {
  return hasHandlerExtension(name) ? name.slice(0, -path.extname(name).length) : name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
