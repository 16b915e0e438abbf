import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config.js';
import { findConfigFile, CONFIG_FILE_NAMES } from './find-config.js';
import { loadEnvFiles } from './env-file.js';

const dir = mkdtempSync(join(tmpdir(), 'localgw-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
};

describe('loadConfig: every supported format', () => {
  it('JSON', async () => {
    const loaded = await loadConfig(write('a/localgw.config.json', '{ "routes": { "GET /a": "h.a" } }'));
    expect(loaded.config.routes[0]!.key.routeKey).toBe('GET /a');
    expect(loaded.baseDir).toBe(join(dir, 'a'));
  });

  it('YAML', async () => {
    const loaded = await loadConfig(write('b/localgw.config.yaml', 'stage: dev\nroutes:\n  "GET /b": h.b\n'));
    expect(loaded.config.stage).toBe('dev');
  });

  it('TypeScript with defineConfig-style default export, reporting the modules it imports', async () => {
    write('c/routes.ts', "export const routes: Record<string, string> = { 'GET /c': 'h.c' };\n");
    const file = write('c/localgw.config.ts', "import { routes } from './routes.ts';\nconst config: { routes: Record<string, string> } = { routes };\nexport default config;\n");
    const loaded = await loadConfig(file);
    expect(loaded.config.routes[0]!.key.routeKey).toBe('GET /c');
    expect(loaded.dependencies).toEqual([join(dir, 'c/routes.ts')]);
  });

  it('ESM JavaScript, re-read on every load (no stale module cache)', async () => {
    const file = write('d/localgw.config.mjs', "export default { routes: { 'GET /d1': 'h.d' } };\n");
    expect((await loadConfig(file)).config.routes[0]!.key.routeKey).toBe('GET /d1');
    write('d/localgw.config.mjs', "export default { routes: { 'GET /d2': 'h.d' } };\n");
    expect((await loadConfig(file)).config.routes[0]!.key.routeKey).toBe('GET /d2');
  });

  it('an inline object, relative to the given cwd', async () => {
    const loaded = await loadConfig({ routes: { 'GET /e': 'h.e' } }, dir);
    expect(loaded.file).toBeUndefined();
    expect(loaded.baseDir).toBe(dir);
  });
});

describe('loadConfig: errors say where', () => {
  it('invalid JSON gives file:line:column', async () => {
    const file = write('f/localgw.config.json', '{\n  "routes": {\n    "GET /a": "h.a",,\n  }\n}\n');
    await expect(loadConfig(file)).rejects.toMatchObject({ code: 'ERR_CONFIG_PARSE', message: expect.stringMatching(/localgw\.config\.json:3:\d+: invalid JSON/) });
  });

  it('invalid YAML gives file:line:column', async () => {
    const file = write('g/localgw.config.yml', 'routes:\n  "GET /a": h.a\n   bad: [\n');
    await expect(loadConfig(file)).rejects.toMatchObject({ code: 'ERR_CONFIG_PARSE', message: expect.stringMatching(/localgw\.config\.yml:\d+:\d+: invalid YAML/) });
  });

  it('a TypeScript config that does not compile names the file', async () => {
    const file = write('h/localgw.config.ts', 'export default {{ routes: {} };\n');
    await expect(loadConfig(file)).rejects.toMatchObject({ code: 'ERR_CONFIG_PARSE', message: expect.stringContaining('localgw.config.ts') });
  });

  it('a schema error carries the issues with their paths', async () => {
    const file = write('i/localgw.config.json', '{ "routes": { "GET /a": { "handler": "h.a", "timout": 3 } } }');
    await expect(loadConfig(file)).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      details: { issues: [expect.objectContaining({ path: 'routes["GET /a"].timout', hint: 'did you mean "timeout"?' })] },
    });
  });

  it('a missing file', async () => {
    await expect(loadConfig(join(dir, 'nope.json'))).rejects.toMatchObject({ code: 'ERR_CONFIG_NOT_FOUND' });
  });
});

describe('findConfigFile', () => {
  it('takes the first name in DESIGN.md order', () => {
    write('j/localgw.config.yaml', 'routes: {}\n');
    write('j/localgw.config.json', '{"routes":{}}');
    expect(findConfigFile(join(dir, 'j'))).toBe(join(dir, 'j/localgw.config.json'));
    expect(CONFIG_FILE_NAMES[0]).toBe('localgw.config.ts');
    expect(findConfigFile(join(dir, 'nothing-here'))).toBeUndefined();
  });
});

describe('loadEnvFiles', () => {
  it('reads .env next to the config, then the explicit dotenv file on top', () => {
    write('k/.env', 'A=from-dotenv\nB=keep\n');
    write('k/local.env', 'A=from-file\n');
    expect(loadEnvFiles(join(dir, 'k'), 'local.env', join(dir, 'k'))).toEqual({
      values: { A: 'from-file', B: 'keep' },
      files: [join(dir, 'k/.env'), join(dir, 'k/local.env')],
    });
  });
  it('a missing explicit dotenv file is an error, a missing .env is not', () => {
    expect(loadEnvFiles(join(dir, 'l'), undefined, dir)).toEqual({ values: {}, files: [] });
    expect(() => loadEnvFiles(join(dir, 'l'), 'missing.env', dir)).toThrow(/dotenv file missing.env: no such file/);
  });
});
