// A throwaway project with the bench configs and handlers: the dev signing key (.localgw/),
// generated route tables and the reload edits land there, never in the repository.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binaryBody } from '../fixtures/binary.mjs';
import { BODY } from '../fixtures/handlers/hello.mjs';

const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));

/** Functions in the many-functions project (issue 17's figure; `--functions` changes it). */
export const FUNCTION_COUNT = 200;

/** `GET /api/svc1/items/{id}` … `GET /api/svcN/items/{id}`; requests go to the last one. */
export function routesConfig(count) {
  const routes = {};
  for (let i = 1; i <= count; i++) routes[`GET /api/svc${i}/items/{id}`] = 'handlers/hello.handler';
  return { stageVariables: { env: 'bench' }, routes };
}

/**
 * `GET /fn1` … `GET /fnN`, each its own function (its own file, so its own worker pool): a
 * project with many small Lambda functions, as serverless-offline users have them.
 */
export function functionsConfig(count, extra = {}) {
  const routes = {};
  for (let i = 1; i <= count; i++) routes[`GET /fn${i}`] = `functions/fn${i}.handler`;
  return { ...extra, routes };
}

function writeFunctions(dir, count) {
  mkdirSync(join(dir, 'functions'));
  // The hello body, so the bare server answers the same bytes on /fnN.
  const source = `export const handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(BODY)} });\n`;
  for (let i = 1; i <= count; i++) writeFileSync(join(dir, 'functions', `fn${i}.mjs`), source);
}

/** A JSON document of about `bytes` bytes (the body echo scenario). */
export function jsonBody(bytes) {
  const items = [];
  let size = 2;
  for (let i = 0; size < bytes - 64; i++) {
    const item = { id: i, name: `item-${i}`, tags: ['bench', 'localgw'], price: (i * 7) % 100, active: i % 2 === 0 };
    size += JSON.stringify(item).length + 1;
    items.push(item);
  }
  const text = JSON.stringify({ items });
  return text + ' '.repeat(Math.max(0, bytes - Buffer.byteLength(text)));
}

export function createProject({ functions = FUNCTION_COUNT } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'localgw-bench-'));
  cpSync(FIXTURES, dir, { recursive: true, filter: (src) => !/[\\/](node_modules|\.localgw)([\\/]|$)/.test(src) });
  const write = (name, content) => {
    const file = join(dir, name);
    writeFileSync(file, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content, null, 2));
    return file;
  };
  writeFunctions(dir, functions);
  return {
    dir,
    write,
    path: (name) => join(dir, name),
    configs: {
      api: join(dir, 'api.config.json'),
      cors: join(dir, 'cors.config.json'),
      routes10: write('routes10.config.json', routesConfig(10)),
      routes1000: write('routes1000.config.json', routesConfig(1000)),
      routes10000: write('routes10000.config.json', routesConfig(10_000)),
      functions200: write('functions200.config.json', functionsConfig(functions)),
    },
    /** The many-functions project with a short `idleTimeout` (seconds), for the memory-after-idle figure. */
    functions,
    functionsWithIdleTimeout: (seconds) => write(`functions-idle${seconds}.config.json`, functionsConfig(functions, { idleTimeout: seconds })),
    body100k: write('body-100k.json', jsonBody(100 * 1024)),
    body1m: write('body-1m.bin', binaryBody()),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
