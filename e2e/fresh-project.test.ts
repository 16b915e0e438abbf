import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, tempProject } from './helpers/project.js';

// Issue 6 "Done when": following only the README and docs/testing.md in a fresh project outside
// the repository, with localgw installed from packed tarballs (what npm would download), a
// user's test suite runs green. The packages are packed with pnpm, which rewrites workspace:
// and catalog: ranges to real versions, exactly as `pnpm publish` would.

const PACKAGES = ['core', 'jwt', 'runtime', 'formats', 'localgw'];
const isWindows = process.platform === 'win32';
let tarballs: string[] = [];
const packDir = mkdtempSync(join(tmpdir(), 'localgw-pack-'));

const project = tempProject({
  'package.json': { name: 'my-api', private: true, type: 'module', scripts: { test: 'vitest run' } },
  'localgw.config.json': {
    authorizers: { main: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['my-client'] } },
    routes: {
      'GET /health': 'handlers/health.handler',
      'GET /items/{id}': { handler: 'handlers/items.get', authorizer: 'main', authorizationScopes: ['items/read'] },
    },
  },
  'handlers/health.mjs': 'export const handler = async () => ({ statusCode: 200, body: "ok" });\n',
  'handlers/items.mjs': 'export const get = async (event) => ({ id: event.pathParameters.id, sub: event.requestContext.authorizer.jwt.claims.sub });\n',
  // The test file from docs/testing.md, adapted only in its assertions.
  'test/api.test.ts': `
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from 'localgw';

let gw: RunningGateway;
beforeAll(async () => {
  gw = await startGateway({ config: './localgw.config.json', port: 0 });
});
afterAll(() => gw.close());

it('serves /health', async () => {
  const res = await fetch(\`\${gw.url}/health\`);
  expect(res.status).toBe(200);
});

it('verifies tokens minted by gw.token()', async () => {
  expect((await fetch(\`\${gw.url}/items/1\`)).status).toBe(401);
  const token = await gw.token({ authorizer: 'main', sub: 'alice', scope: 'items/read' });
  const res = await fetch(\`\${gw.url}/items/1\`, { headers: { authorization: \`Bearer \${token}\` } });
  expect(await res.json()).toEqual({ id: '1', sub: 'alice' });
});
`,
});

beforeAll(() => {
  for (const name of PACKAGES) {
    execFileSync('npx', ['--yes', 'pnpm@10.34.8', 'pack', '--pack-destination', packDir], {
      cwd: join(REPO, 'packages', name),
      stdio: 'pipe',
      shell: isWindows,
    });
  }
  tarballs = readdirSync(packDir).map((file) => join(packDir, file));
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, 'vitest@3'], {
    cwd: project.dir,
    encoding: 'utf8',
    shell: isWindows,
  });
  if (install.status !== 0) throw new Error(`npm install failed:\n${install.stdout}\n${install.stderr}`);
}, 240_000);

afterAll(() => {
  project.cleanup();
  rmSync(packDir, { recursive: true, force: true });
});

describe('a fresh project using the packed packages', () => {
  it('packs the five packages with real dependency ranges', () => {
    expect(tarballs.map((t) => t.split(/[\\/]/).pop()).sort()).toEqual([
      'localgw-0.1.0.tgz',
      'localgw-core-0.1.0.tgz',
      'localgw-formats-0.1.0.tgz',
      'localgw-jwt-0.1.0.tgz',
      'localgw-runtime-0.1.0.tgz',
    ]);
  });

  it('npx localgw --help works in the project', () => {
    const res = spawnSync('npx', ['localgw', '--help'], { cwd: project.dir, encoding: 'utf8', shell: isWindows });
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('start');
  });

  it('npx localgw start in a SAM project folder serves template.yaml as a new user would (issue 15)', async () => {
    const app = join(project.dir, 'sam-app');
    cpSync(join(REPO, 'examples/sam'), app, { recursive: true, filter: (src) => !/node_modules|\.localgw/.test(src) });
    // Its own process group, so stopping it stops npx and the localgw it runs.
    const child = spawn('npx', ['localgw', 'start', '--port', '0', '--no-watch'], { cwd: app, shell: isWindows, detached: !isWindows, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    try {
      await expect.poll(() => /http:\/\/127\.0\.0\.1:\d+/.exec(output)?.[0], { timeout: 30_000, interval: 50 }).toBeDefined();
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(output)![0];
      expect(output).toMatch(/GET \/items\s+→ src\/items\.list\s+auth: CognitoJwt\s+template\.yaml:\d+/);
      expect(await (await fetch(`${url}/health`)).json()).toMatchObject({ status: 'ok', apiId: 'serverlesshttpapi' });
      expect((await fetch(`${url}/items`)).status).toBe(401);
    } finally {
      if (isWindows) child.kill();
      else process.kill(-child.pid!, 'SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }, 60_000);

  it("the user's vitest suite from docs/testing.md passes", () => {
    const res = spawnSync('npx', ['vitest', 'run'], { cwd: project.dir, encoding: 'utf8', shell: isWindows, env: { ...process.env, CI: 'true' } });
    expect(res.status, `${res.stdout}\n${res.stderr}`).toBe(0);
    expect(res.stdout).toMatch(/2 passed/);
  }, 120_000);

  it('CommonJS consumers can require it (Node >= 20.19 loads ES modules from require)', () => {
    const res = spawnSync(process.execPath, ['-e', "const l = require('localgw'); process.stdout.write(typeof l.startGateway + ' ' + typeof l.defineConfig)"], { cwd: project.dir, encoding: 'utf8' });
    expect(res.stdout).toBe('function function');
  });

  it('the package ships its JSON Schema', () => {
    const schema = JSON.parse(execFileSync(process.execPath, ['-e', "process.stdout.write(require('fs').readFileSync(require.resolve('localgw/schema.json'),'utf8'))"], { cwd: project.dir, encoding: 'utf8' }));
    expect(schema.title).toBe('localgw configuration');
  });
});
