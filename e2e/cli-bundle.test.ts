// The bundled CLI that bin/localgw.js runs (packages/localgw/scripts/bundle-cli.mjs, issue 17):
// its source maps lead to our TypeScript, and only to ours.
import { readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGES = fileURLToPath(new URL('../packages/', import.meta.url));
const BUNDLE = join(PACKAGES, 'localgw/dist/cli-bundle');
const chunks = readdirSync(BUNDLE).filter((name) => name.endsWith('.js'));

function sourceMapOf(chunk: string): SourceMap {
  return new SourceMap(JSON.parse(readFileSync(join(BUNDLE, `${chunk}.map`), 'utf8')));
}

/** Where the bundle's map says the line that starts with `declaration` comes from. */
function originOf(declaration: string): { file: string; line: number } {
  for (const chunk of chunks) {
    const index = readFileSync(join(BUNDLE, chunk), 'utf8').split('\n').findIndex((text) => text.startsWith(declaration));
    if (index === -1) continue;
    const entry = sourceMapOf(chunk).findEntry(index, 0) as { originalSource?: string; originalLine?: number };
    return { file: fileURLToPath(new URL(entry.originalSource!, `file://${BUNDLE}/`)), line: entry.originalLine! + 1 };
  }
  throw new Error(`no bundle chunk declares ${declaration}`);
}

/** The chunks `chunk` imports statically, itself included: what Node compiles before it runs. */
function staticClosure(chunk: string, out = new Set<string>()): Set<string> {
  if (out.has(chunk)) return out;
  out.add(chunk);
  const code = readFileSync(join(BUNDLE, chunk), 'utf8');
  for (const [, imported] of code.matchAll(/(?:^|[;\n])\s*(?:import|export)\b[^;'"()]*?["']\.\/([^"']+\.js)["']/g)) staticClosure(imported!, out);
  return out;
}

function lineOf(file: string, text: string): number {
  return readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(text)) + 1;
}

describe('the bundled CLI', () => {
  it('is what bin/localgw.js runs', () => {
    expect(readFileSync(join(PACKAGES, 'localgw/bin/localgw.js'), 'utf8')).toContain("import('../dist/cli-bundle/main.js')");
  });

  it('maps our code to its TypeScript line, in any package', () => {
    const start = join(PACKAGES, 'localgw/src/cli/start.ts');
    expect(originOf('async function runStart(')).toEqual({ file: start, line: lineOf(start, 'export async function runStart(') });
    const resolve = join(PACKAGES, 'core/src/config/resolve-config.ts');
    expect(originOf('function resolveConfig(')).toEqual({ file: resolve, line: lineOf(resolve, 'export function resolveConfig(') });
  });

  // Issue 17: a cold start compiles what it loads, about 0.1 ms per kB here.
  it('loads, for `localgw start`, neither the importers nor YAML nor the OpenAPI reader: a project that has them loads them', () => {
    const main = readFileSync(join(BUNDLE, 'main.js'), 'utf8');
    const start = /import\("\.\/(start-[A-Z0-9]+\.js)"\)/.exec(main)?.[1];
    expect(start).toBeDefined();
    const loaded = [...staticClosure(start!)].map((chunk) => readFileSync(join(BUNDLE, chunk), 'utf8')).join('\n');
    expect(loaded).toContain('function runStart(');
    expect(loaded).toContain('function loadProject(');
    for (const declaration of ['YAMLParseError = class', 'function readTemplates(', 'function readServerless(', 'function importOpenApi(', 'function exportOpenApi(']) {
      expect(loaded, declaration).not.toContain(declaration);
      expect(chunks.some((chunk) => readFileSync(join(BUNDLE, chunk), 'utf8').includes(declaration)), `${declaration} is in the bundle`).toBe(true);
    }
  });

  it("maps no line to a dependency's sources: their frames keep the bundle's place", () => {
    for (const chunk of chunks) {
      const map = sourceMapOf(chunk);
      const lines = readFileSync(join(BUNDLE, chunk), 'utf8').split('\n').length;
      for (let line = 0; line < lines; line++) {
        const entry = map.findEntry(line, 0) as { originalSource?: string };
        expect(entry.originalSource ?? '', `${chunk}:${line + 1}`).not.toMatch(/node_modules/);
      }
    }
  });
});
