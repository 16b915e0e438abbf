import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { REPO } from './helpers/project.js';

describe('docs cannot drift from the code', () => {
  it('docs/configuration.md and schema.json match the config schema', () => {
    const res = spawnSync(process.execPath, [join(REPO, 'packages/localgw/scripts/generate-schema.mjs'), '--check'], { encoding: 'utf8' });
    expect(res.status, res.stderr).toBe(0);
  });

  it('the configuration reference documents every top-level and route field', () => {
    const reference = readFileSync(join(REPO, 'docs/configuration.md'), 'utf8');
    for (const field of ['stage', 'stageVariables', 'cors.allowOrigins', 'cors.maxAge', 'authorizers.NAME', 'identitySource', 'authorizationScopes', 'payloadFormatVersion', 'timeout', 'environment', 'devTokens']) {
      expect(reference).toContain(field);
    }
  });

  it('every relative link in README.md and docs/ points at a file that exists', () => {
    const pages = ['README.md', ...readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    const broken: string[] = [];
    for (const page of pages) {
      const text = readFileSync(join(REPO, page), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        if (!existsSync(resolve(REPO, dirname(page), target!))) broken.push(`${page} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
