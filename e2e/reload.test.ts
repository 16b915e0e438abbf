import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { startCli, type RunningCli } from './helpers/cli.js';
import { editFile, eventually } from './helpers/edit.js';
import { http } from './helpers/http.js';
import { tempProject } from './helpers/project.js';

// DESIGN.md "Who uses it" 3: the server runs while the developer edits real files on disk.

const config = {
  routes: {
    'GET /greet': 'handlers/greet.handler',
    'GET /ts': 'handlers/typed.handler',
    'GET /uses-lib': 'handlers/uses-lib.handler',
    'GET /env': 'handlers/env.handler',
    'GET /count': 'handlers/count.handler',
  },
};

const project = tempProject({
  'localgw.config.json': config,
  'handlers/greet.mjs': 'export const handler = async () => "v1";\n',
  'handlers/typed.ts': 'export const handler = async (): Promise<string> => {\n  const version: string = "ts-v1";\n  return version;\n};\n',
  'handlers/uses-lib.mjs': "import { word } from '../lib/word.mjs';\nexport const handler = async () => word();\n",
  'lib/word.mjs': "export const word = () => 'lib-v1';\n",
  'handlers/env.mjs': 'export const handler = async () => `${process.env.GREETING ?? "unset"} ${process.env.FROM_FILE ?? "unset"}`;\n',
  'extra.env': 'FROM_FILE=extra\n',
  'handlers/count.mjs': 'let n = 0;\nexport const handler = async () => String(++n);\n',
});

let gw: RunningCli;
beforeAll(async () => {
  gw = await startCli(['--dotenv', 'extra.env'], { cwd: project.dir });
});
afterAll(async () => {
  await gw?.stop();
  project.cleanup();
});

const body = (path: string) => async () => (await http(gw.url + path)).text;
const status = (path: string) => async () => (await http(gw.url + path)).status;

describe('hot reload', () => {
  it('a handler edit serves the new code and logs what changed', async () => {
    expect(await body('/greet')()).toBe('v1');
    editFile(project.path('handlers/greet.mjs'), (t) => t.replace('v1', 'v2'));
    await eventually(body('/greet'), 'v2');
    await gw.waitForOutput(/reloaded handlers[\\/]greet\.mjs in \d+ ms/);
  });

  it('an edit of a module the handler imports reloads it', async () => {
    expect(await body('/uses-lib')()).toBe('lib-v1');
    editFile(project.path('lib/word.mjs'), (t) => t.replace('lib-v1', 'lib-v2'));
    await eventually(body('/uses-lib'), 'lib-v2');
  });

  it('a TypeScript handler runs without a build step and reloads on edit', async () => {
    expect(await body('/ts')()).toBe('ts-v1');
    editFile(project.path('handlers/typed.ts'), (t) => t.replace('ts-v1', 'ts-v2'));
    await eventually(body('/ts'), 'ts-v2');
  });

  it('a config edit adds a route and turns CORS on, in one step', async () => {
    expect(await status('/new')()).toBe(404);
    editFile(project.path('localgw.config.json'), () =>
      JSON.stringify({ ...config, cors: { allowOrigins: ['https://app.example.com'] }, routes: { ...config.routes, 'GET /new': 'handlers/greet.handler' } }),
    );
    await eventually(status('/new'), 200);
    const res = await http(`${gw.url}/new`, { headers: { origin: 'https://app.example.com' } });
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
  });

  it('a config edit keeps warm workers (module state survives); a handler edit starts fresh ones', async () => {
    expect(await body('/count')()).toBe('1');
    expect(await body('/count')()).toBe('2');
    editFile(project.path('localgw.config.json'), () => JSON.stringify({ ...config, routes: { ...config.routes, 'GET /other': 'handlers/greet.handler' } }));
    await eventually(status('/other'), 200);
    expect(await body('/count')()).toBe('3');
    editFile(project.path('handlers/count.mjs'), (t) => t.replace('let n = 0;', 'let n = 100;'));
    await eventually(body('/count'), '101');
  });

  it('a broken config keeps the last good version serving, prints file:line:column, and its fix reloads', async () => {
    const file = project.path('localgw.config.json');
    const good = JSON.stringify({ ...config, routes: { ...config.routes, 'GET /fixed': 'handlers/greet.handler' } }, null, 2);
    writeFileSync(file, '{\n  "routes": {\n    "GET /greet": "handlers/greet.handler",,\n  }\n}\n');
    await gw.waitForOutput(/reload failed, still serving the last good version:\n.*localgw\.config\.json:3:\d+: invalid JSON/);
    expect(await body('/greet')()).toBe('v2');
    editFile(file, () => good);
    await eventually(status('/fixed'), 200);
  });

  it('a schema error keeps the last good version and names the field', async () => {
    const file = project.path('localgw.config.json');
    editFile(file, () => JSON.stringify({ routes: { ...config.routes, 'GET /bad/{proxy+}/x': 'handlers/greet.handler' } }));
    await gw.waitForOutput('routes["GET /bad/{proxy+}/x"]');
    expect(await status('/fixed')()).toBe(200);
    editFile(file, () => JSON.stringify(config));
    await eventually(status('/fixed'), 404);
  });

  it('a handler with a syntax error answers 500 with the error logged, and its fix reloads', async () => {
    const file = project.path('handlers/greet.mjs');
    editFile(file, () => 'export const handler = async () => {\n  return "v3"\n'); // missing brace
    await eventually(status('/greet'), 500);
    await gw.waitForOutput(/greet\.mjs:\d+/);
    expect(await body('/uses-lib')()).toBe('lib-v2');
    editFile(file, () => 'export const handler = async () => "v3";\n');
    await eventually(body('/greet'), 'v3');
  });

  it('--dotenv feeds the handlers, and creating a .env next to the config reloads them', async () => {
    expect(await body('/env')()).toBe('unset extra');
    writeFileSync(project.path('.env'), 'GREETING=hello\n');
    await eventually(body('/env'), 'hello extra');
    editFile(project.path('extra.env'), () => 'FROM_FILE=edited\n');
    await eventually(body('/env'), 'hello edited');
  });

  it('a steady stream of requests through several reloads sees no failure', async () => {
    const file = project.path('handlers/greet.mjs');
    const failures: string[] = [];
    const seen = new Set<string>();
    let running = true;
    const client = async () => {
      while (running) {
        try {
          const res = await http(`${gw.url}/greet`);
          if (res.status !== 200) failures.push(`${res.status} ${res.text}`);
          else seen.add(res.text);
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const clients = Array.from({ length: 4 }, client);
    for (let i = 4; i <= 8; i++) {
      editFile(file, () => `export const handler = async () => "v${i}";\n`);
      await eventually(body('/greet'), `v${i}`);
    }
    running = false;
    await Promise.all(clients);
    expect(failures).toEqual([]);
    expect([...seen]).toEqual(expect.arrayContaining(['v4', 'v8']));
  });
});
