// The worker is its own program (style-anchors.md §3.3, §3.6): it may import `node:*`, tsx, the
// protocol, the shared Lambda model (which themselves import nothing but `node:*`, each other
// and core's wire form of a request) and core's event builders (pure, and light: not core's
// whole index, with its schema). Main-thread code never imports the worker. Checked here because
// one lint config covers the whole repository.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '..');
const SHARED = ['protocol.ts', 'result-ring.ts', 'lambda-context.ts', 'call-handler.ts', 'result-body.ts'];

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((m) => (m[1] ?? m[2])!);
}

function sources(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.startsWith('test-support'))
    .map((name) => path.join(dir, name));
}

describe('worker boundaries', () => {
  it("worker/ imports only node:*, tsx, the protocol, the shared Lambda model and core's event builders", () => {
    for (const file of sources(path.join(src, 'worker'))) {
      for (const spec of importsOf(file)) {
        const allowed =
          spec.startsWith('node:') ||
          spec.startsWith('tsx/') ||
          spec === '@localgw/core/event-wire' ||
          (spec.startsWith('./') && !spec.includes('/..')) ||
          SHARED.some((shared) => spec === `../${shared.replace(/\.ts$/, '.js')}`);
        expect(allowed, `${path.relative(src, file)} imports ${spec}`).toBe(true);
      }
    }
  });

  it("the shared modules import only node:*, each other and core's wire form", () => {
    for (const shared of SHARED) {
      for (const spec of importsOf(path.join(src, shared))) {
        const allowed =
          spec.startsWith('node:') || spec === '@localgw/core/event-wire' || SHARED.some((other) => spec === `./${other.replace(/\.ts$/, '.js')}`);
        expect(allowed, `${shared} imports ${spec}`).toBe(true);
      }
    }
  });

  it('main-thread code never imports the worker', () => {
    for (const file of sources(src).filter((f) => !f.includes(`${path.sep}worker${path.sep}`))) {
      for (const spec of importsOf(file)) expect(spec.startsWith('./worker/'), `${path.relative(src, file)} imports ${spec}`).toBe(false);
    }
  });
});
