// 10,000 routes (issue 17): what compiling a big config costs. Two figures, because neither alone
// says it all: createGateway() in a fresh process (the config's read, validation, compilation and
// handler resolution, without Node's start-up or a socket: the target's figure), and the
// difference between `localgw start`'s ready line with 10,000 routes and with 10 (everything the
// CLI does more, the route table it prints included).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startLocalgw } from './processes.mjs';
import { median } from './report.mjs';

const CHILD = fileURLToPath(new URL('./compile-child.mjs', import.meta.url));

function createGatewayTimes(config, iterations, expectedRoutes) {
  const res = spawnSync(process.execPath, [CHILD, config, String(iterations)], { encoding: 'utf8', timeout: 120_000 });
  if (res.status !== 0) throw new Error(`compile: createGateway(${config}) failed (${res.status ?? res.signal}):\n${res.stderr}`);
  const { routes, firstMs, warmMs } = JSON.parse(res.stdout);
  if (routes !== expectedRoutes) throw new Error(`compile: expected ${expectedRoutes} routes, createGateway compiled ${routes}`);
  return { firstMs, warmMedianMs: median(warmMs), warmSamplesMs: warmMs };
}

async function readyMs(config) {
  const gw = await startLocalgw(config, { watch: false, timeoutMs: 60_000 });
  await gw.stop();
  return gw.readyMs;
}

export async function measureCompile(args, project, log) {
  const iterations = args.quick ? 2 : 10;
  log(`compile: createGateway() with 10 and 10,000 routes (fresh process, then ${iterations} warm), and localgw start ready ×${args.compileStarts} each`);
  const routes10 = createGatewayTimes(project.configs.routes10, iterations, 10);
  const routes10000 = createGatewayTimes(project.configs.routes10000, iterations, 10_000);
  const routes10SamplesMs = [];
  const routes10000SamplesMs = [];
  // Alternated, so that neither gets the quieter moments of a shared machine.
  for (let i = 0; i < args.compileStarts; i++) {
    routes10SamplesMs.push(await readyMs(project.configs.routes10));
    routes10000SamplesMs.push(await readyMs(project.configs.routes10000));
  }
  const startup = {
    routes10Ms: median(routes10SamplesMs),
    routes10000Ms: median(routes10000SamplesMs),
    routes10SamplesMs,
    routes10000SamplesMs,
  };
  startup.deltaMs = startup.routes10000Ms - startup.routes10Ms;
  return { routes10, routes10000, startup };
}
