// Import the handler module (TypeScript through tsx) and find the export to call. Failures are
// reported with Lambda's error types and the place to fix: file:line:column for syntax errors,
// the exports that do exist for a missing one.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type ImportModule = (url: string) => Promise<unknown>;

export type LoadResult =
  | { ok: true; handler: (...args: unknown[]) => unknown }
  | { ok: false; message: string; stack?: string };

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);

let typescriptEnabled: Promise<void> | undefined;

/**
 * tsx's ESM hooks cover `import` of .ts/.mts (and .cts); its CommonJS hooks cover `require` and
 * .ts files in a CommonJS package. Registered only when a TypeScript handler needs them, so
 * JavaScript handlers run on plain Node exactly as in Lambda.
 */
function enableTypeScript(): Promise<void> {
  typescriptEnabled ??= (async () => {
    const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
    esm.register();
    cjs.register();
  })();
  return typescriptEnabled;
}

export async function loadHandler(file: string, exportName: string, importModule: ImportModule): Promise<LoadResult> {
  let mod: unknown;
  try {
    if (TYPESCRIPT.has(path.extname(file))) await enableTypeScript();
    mod = await importModule(pathToFileURL(file).href);
  } catch (error) {
    return await describeImportError(file, error);
  }

  const found = findExport(mod, exportName);
  if (typeof found === 'function') return { ok: true, handler: found as (...args: unknown[]) => unknown };
  const display = path.basename(file);
  if (found === undefined) {
    const available = listExports(mod);
    const exports = available.length > 0 ? `it exports: ${available.join(', ')}` : 'it has no exports';
    return { ok: false, message: `Runtime.HandlerNotFound: ${display} does not export "${exportName}" (${exports}) — ${file}` };
  }
  return {
    ok: false,
    message: `Runtime.HandlerNotFound: export "${exportName}" of ${display} is not a function (it is ${describeValue(found)}) — ${file}`,
  };
}

/** Named export first; a CommonJS module's `module.exports` is also the namespace's `default`. */
function findExport(mod: unknown, exportName: string): unknown {
  const keys = exportName.split('.');
  const walk = (root: unknown) =>
    keys.reduce<unknown>((value, key) => (value !== null && (typeof value === 'object' || typeof value === 'function') ? (value as Record<string, unknown>)[key] : undefined), root);
  const named = walk(mod);
  if (named !== undefined) return named;
  const fallback = (mod as { default?: unknown } | null)?.default;
  return fallback !== null && (typeof fallback === 'object' || typeof fallback === 'function') ? walk(fallback) : undefined;
}

function listExports(mod: unknown): string[] {
  if (mod === null || typeof mod !== 'object') return [];
  const names = new Set(Object.keys(mod));
  const fallback = (mod as { default?: unknown }).default;
  if (fallback !== null && typeof fallback === 'object') {
    names.delete('default');
    for (const key of Object.keys(fallback)) names.add(key);
  }
  return [...names];
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

async function describeImportError(file: string, error: unknown): Promise<LoadResult> {
  const err = error as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown; errors?: unknown } | null;
  const name = typeof err?.name === 'string' ? err.name : 'Error';
  const message = typeof err?.message === 'string' ? err.message : String(error);
  const stack = typeof err?.stack === 'string' ? err.stack : undefined;
  const withStack = (text: string): LoadResult => (stack === undefined ? { ok: false, message: text } : { ok: false, message: text, stack });

  const transform = esbuildLocation(err?.errors) ?? esbuildMessageLocation(message);
  if (transform) return withStack(`Runtime.UserCodeSyntaxError: ${transform}`);
  if (error instanceof SyntaxError || name === 'SyntaxError') {
    const where = v8SyntaxLocation(stack) ?? (await checkSyntax(file)) ?? `a module imported by ${file}`;
    return withStack(`Runtime.UserCodeSyntaxError: ${where}: SyntaxError: ${message}`);
  }
  if (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND' || err?.code === 'ERR_UNKNOWN_FILE_EXTENSION') {
    return withStack(`Runtime.ImportModuleError: ${name}: ${message}`);
  }
  // The module threw while it ran its top-level code (Lambda's init phase).
  return withStack(`${name}: ${message} (thrown while loading ${file})`);
}

/** esbuild (through tsx) reports `errors: [{ text, location: { file, line, column } }]`, column 0-based. */
function esbuildLocation(errors: unknown): string | undefined {
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const first = errors[0] as { text?: unknown; location?: { file?: unknown; line?: unknown; column?: unknown } | null };
  if (typeof first.text !== 'string') return undefined;
  const loc = first.location;
  if (!loc || typeof loc.file !== 'string' || typeof loc.line !== 'number' || typeof loc.column !== 'number') return first.text;
  return `${loc.file}:${loc.line}:${loc.column + 1}: ${first.text}`;
}

/** tsx rethrows esbuild's failure as `Transform failed with 1 error:\nFILE:LINE:COL: ERROR: text`. */
function esbuildMessageLocation(message: string): string | undefined {
  if (!message.startsWith('Transform failed')) return undefined;
  const match = /^(.+):(\d+):(\d+): ERROR: (.*)$/m.exec(message);
  return match ? `${match[1]}:${match[2]}:${Number(match[3]) + 1}: ${match[4]}` : undefined;
}

/**
 * V8 puts a CommonJS syntax error's position at the top of the stack: `/x/h.cjs:3`, the source
 * line, then a caret line whose indentation gives the column.
 */
function v8SyntaxLocation(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  const head = /^(.*):(\d+)$/.exec(lines[0] ?? '');
  if (!head) return undefined;
  const location = head[1]!.startsWith('file://') ? safeFilePath(head[1]!) : head[1]!;
  const caret = lines[2]?.indexOf('^') ?? -1;
  return caret >= 0 ? `${location}:${head[2]}:${caret + 1}` : `${location}:${head[2]}`;
}

/**
 * An ES module's SyntaxError carries no position in Node 20 (only the fatal-error printer sees
 * it), so ask `node --check`, which prints it. Runs only when loading has already failed.
 */
function checkSyntax(file: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--check', file], { timeout: 10_000, windowsHide: true }, (error, _stdout, stderr) => {
      resolve(error ? v8SyntaxLocation(String(stderr).trimStart()) : undefined);
    });
  });
}

function safeFilePath(url: string): string {
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}
