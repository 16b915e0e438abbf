// A project of many functions (issue 17): how long `localgw start` takes to be ready, the memory
// once every function has served a request (a worker each), and the memory once the config's
// `idleTimeout` has stopped them again, so that memory follows use, not the size of the project.
import { httpRequest, settledRssMb, sleep, startLocalgw, threadCount } from './processes.mjs';
import { median } from './report.mjs';

/** Requests in flight while every function is served once (each starts a worker). */
const CONCURRENCY = 4;
/** The config's default `maxIdleWorkers`: how many idle workers stay warm across the functions. */
export const MAX_IDLE_WORKERS = 32;

/** How long past `idleTimeout` the workers may take to be stopped before the figure is taken anyway. */
const REAP_GRACE_MS = 20_000;

/** `localgw start` as a user runs it (watching), timed from the spawn to the URL line. */
async function startTimed(config) {
  const spawnedAt = performance.now();
  const gw = await startLocalgw(config, { watch: true, timeoutMs: 60_000 });
  return { gw, readyMs: performance.now() - spawnedAt, spawnedAt };
}

async function get(gw, path) {
  const res = await httpRequest(`${gw.url}${path}`, { timeoutMs: 30_000 });
  if (res.status !== 200) throw new Error(`functions: GET ${path} answered ${res.status} ${res.body.subarray(0, 200)}`);
  return res;
}

export async function measureFunctions(args, project, log) {
  const count = project.functions;
  const idleTimeoutS = args.idleTimeoutS;
  const config = project.functionsWithIdleTimeout(idleTimeoutS);
  log(`functions: ${count} functions, ${args.functionStarts} start(s) to ready, then each served once, then idle (idleTimeout ${idleTimeoutS} s)`);
  const readySamplesMs = [];
  // Every start but the last is only timed; the last one goes on to the memory figures.
  for (let i = 1; i < args.functionStarts; i++) {
    const { gw, readyMs } = await startTimed(config);
    readySamplesMs.push(readyMs);
    await gw.stop();
  }
  const { gw, readyMs, spawnedAt } = await startTimed(config);
  readySamplesMs.push(readyMs);
  try {
    const readyThreads = threadCount(gw.pid);
    const readyRssMb = await settledRssMb(gw.pid);
    await get(gw, '/fn1');
    const firstResponseMs = performance.now() - spawnedAt;

    const servedFrom = performance.now();
    let next = 2;
    const serveRest = async () => {
      while (next <= count) await get(gw, `/fn${next++}`);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, serveRest));
    const lastRequestAt = performance.now();
    const servedInMs = lastRequestAt - servedFrom;
    const servedThreads = threadCount(gw.pid);
    const servedRssMb = await settledRssMb(gw.pid);
    // A worker is a thread: if fewer than `count` were alive, some were already reaped (serving
    // took longer than idleTimeout) and the figure is below what every function costs at once.
    const workersAlive = servedThreads === undefined ? undefined : servedThreads - readyThreads;

    // Reaped: the thread count is back to what it was before any worker started (give or take
    // one of Node's own). Without /proc (no thread count), wait the idle timeout plus 5 s.
    log(`functions: ${count} served in ${Math.round(servedInMs)} ms, ${servedRssMb.toFixed(1)} MB; waiting for the idle timeout`);
    const idleWaitMs = idleTimeoutS * 1000 + REAP_GRACE_MS;
    let reapedAfterMs = null;
    if (readyThreads === undefined) await sleep(idleTimeoutS * 1000 + 5_000);
    else {
      while (performance.now() - lastRequestAt < idleWaitMs) {
        if (threadCount(gw.pid) <= readyThreads + 1) {
          reapedAfterMs = performance.now() - lastRequestAt;
          break;
        }
        await sleep(250);
      }
    }
    // Freed memory goes back to the system over a moment (heaps torn down, arenas trimmed).
    await sleep(1_000);
    const idleRssMb = await settledRssMb(gw.pid);
    const idleThreads = threadCount(gw.pid);
    // A stopped function still answers: its next request starts a new worker (a cold start).
    await get(gw, `/fn${count}`);
    return {
      count,
      idleTimeoutS,
      readyMedianMs: median(readySamplesMs),
      readySamplesMs,
      firstResponseMs,
      readyRssMb,
      readyThreads,
      servedInMs,
      servedRssMb,
      servedThreads,
      workersAlive,
      reapedAfterMs,
      idleWaitMs,
      idleRssMb,
      idleThreads,
    };
  } finally {
    await gw.stop();
  }
}
