// A throwaway project with the bench configs and handlers: the dev signing key (.localgw/),
// generated route tables and the reload edits land there, never in the repository.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));

/** `GET /api/svc1/items/{id}` … `GET /api/svcN/items/{id}`; requests go to the last one. */
export function routesConfig(count) {
  const routes = {};
  for (let i = 1; i <= count; i++) routes[`GET /api/svc${i}/items/{id}`] = 'handlers/hello.handler';
  return { stageVariables: { env: 'bench' }, routes };
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

export function createProject() {
  const dir = mkdtempSync(join(tmpdir(), 'localgw-bench-'));
  cpSync(FIXTURES, dir, { recursive: true, filter: (src) => !/[\\/](node_modules|\.localgw)([\\/]|$)/.test(src) });
  const write = (name, content) => {
    const file = join(dir, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  };
  return {
    dir,
    write,
    path: (name) => join(dir, name),
    configs: {
      api: join(dir, 'api.config.json'),
      cors: join(dir, 'cors.config.json'),
      python: join(dir, 'python.config.json'),
      routes10: write('routes10.config.json', routesConfig(10)),
      routes1000: write('routes1000.config.json', routesConfig(1000)),
    },
    body100k: write('body-100k.json', jsonBody(100 * 1024)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
