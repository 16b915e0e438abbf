// Runs in its own process (fresh module cache): startGateway() with a 10-route config, once cold
// and then repeatedly warm, timing ready (start → listening) and close(). Prints JSON.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway } from 'localgw';

const iterations = Number(process.argv[2] ?? 20);
const dir = mkdtempSync(join(tmpdir(), 'localgw-bench-startup-'));
mkdirSync(join(dir, 'handlers'));
writeFileSync(join(dir, 'handlers', 'h.mjs'), 'export const handler = async () => "ok";\n');
const routes = {};
for (let i = 1; i <= 10; i++) routes[`GET /svc${i}/items/{id}`] = 'handlers/h.handler';
const config = join(dir, 'localgw.config.json');
writeFileSync(config, JSON.stringify({ routes }));

async function once() {
  const t0 = performance.now();
  const gw = await startGateway({ config, port: 0 });
  const readyMs = performance.now() - t0;
  const res = await fetch(`${gw.url}/svc10/items/1`);
  await res.text();
  if (res.status !== 200) throw new Error(`startup: expected 200, got ${res.status}`);
  const t1 = performance.now();
  await gw.close();
  return { readyMs, closeMs: performance.now() - t1 };
}

try {
  const cold = await once();
  const warm = [];
  for (let i = 0; i < iterations; i++) warm.push(await once());
  process.stdout.write(JSON.stringify({ cold, warm }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
