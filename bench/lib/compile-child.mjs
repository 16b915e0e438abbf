// Runs in its own process (fresh module cache, cold JIT, as `localgw start` is): times
// createGateway({ config: FILE }) — read the file, validate it, compile the route table, resolve
// the handlers; no socket, no worker — once, then ITERATIONS more times (what a config reload
// pays, warm). The public API is the bench's only way in (bench code is black-box). Prints JSON.
import { createGateway } from 'localgw';

const [config, iterationsArg] = process.argv.slice(2);
const iterations = Number(iterationsArg ?? 5);

async function once() {
  const t0 = performance.now();
  const gw = await createGateway({ config });
  const ms = performance.now() - t0;
  const routes = gw.routes().length;
  await gw.close();
  return { ms, routes };
}

const first = await once();
const warm = [];
for (let i = 0; i < iterations; i++) warm.push((await once()).ms);
process.stdout.write(JSON.stringify({ routes: first.routes, firstMs: first.ms, warmMs: warm }));
