// `npm run bench`: localgw against a bare node:http server answering with the same bytes,
// loaded alternately in the same run (issues 7 and 17), and with `--peer serverless-offline`
// against serverless-offline too. Prints markdown tables and writes bench/results/latest.{json,md}.
// Every load is bounded by its duration; every process this starts is stopped by its PID before
// the run ends. `node bench/run.mjs --help` for the flags, bench/README.md for the scenarios.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './lib/args.mjs';
import { chooseGenerator, errorCount, runLoad } from './lib/load.mjs';
import { measureCompile } from './lib/compile.mjs';
import { MAX_IDLE_WORKERS, measureFunctions } from './lib/functions.mjs';
import { installPeer, startPeer } from './lib/peer.mjs';
import { BIN, httpRequest, checkFdLimit, rssMb, sleep, startBare, startLocalgw, stopAll, threadCount } from './lib/processes.mjs';
import { createProject, FUNCTION_COUNT } from './lib/project.mjs';
import { evaluateTargets, median, toMarkdown } from './lib/report.mjs';
import { measureSoak } from './lib/soak.mjs';

const ORIGIN = 'https://www.example.com';
/** The many-connections scenarios (issue 17). */
const MANY_CONNECTIONS = 2_000;
/** conns2000paced: each connection sends a request every 500 ms on average: about 4,000 req/s offered. */
const PACE_MS = 500;

/**
 * The load scenarios; `config` names one of the project's configs. `peer`: also measured on the
 * peer with --peer. `connections`: instead of --connections. `tolerateErrors`: errors are a
 * figure of the scenario (reported), not a broken run (thrown).
 */
function scenarioTable(project, token) {
  const binary = { 'Content-Type': 'application/octet-stream' };
  return {
    plain: { label: 'plain route', config: 'api', path: '/hello', peer: true },
    cors: { label: 'route + CORS (Origin)', config: 'cors', path: '/hello', headers: { Origin: ORIGIN } },
    jwt: { label: 'route + JWT authorizer', config: 'api', path: '/secure/hello', headers: { Authorization: `Bearer ${token}` }, peer: true },
    routes10: { label: '10 routes (last matched)', config: 'routes10', path: '/api/svc10/items/42' },
    routes1000: { label: '1,000 routes (last matched)', config: 'routes1000', path: '/api/svc1000/items/42' },
    routes10000: { label: '10,000 routes (last matched)', config: 'routes10000', path: '/api/svc10000/items/42' },
    v1: { label: 'payload 1.0', config: 'api', path: '/v1/hello' },
    echo: {
      label: '100 kB JSON body echo',
      config: 'api',
      path: '/echo',
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      bodyFile: project.body100k,
      peer: true,
    },
    upload: { label: '1 MB binary upload (base64 in the event)', config: 'api', path: '/upload', method: 'POST', headers: binary, bodyFile: project.body1m },
    download: { label: '1 MB binary download (isBase64Encoded)', config: 'api', path: '/download' },
    functions200: { label: `route of a ${project.functions}-function project`, config: 'functions200', path: `/fn${project.functions}` },
    conns2000: { label: '2,000 keep-alive connections, full load', config: 'api', path: '/hello', connections: MANY_CONNECTIONS, tolerateErrors: true },
    conns2000paced: {
      label: `2,000 keep-alive connections, paced (1 request / ${PACE_MS} ms each)`,
      config: 'api',
      path: '/hello',
      connections: MANY_CONNECTIONS,
      paceMs: PACE_MS,
      tolerateErrors: true,
    },
    // Issue 20: the plain route while a request inspector page is open (its live stream
    // connected, so the gateway records every request's full story).
    inspector: { label: 'plain route, request inspector open', config: 'api', path: '/hello', inspector: true },
    // Issue 19: a Python handler (python3 through the Runtime API) answering the same bytes.
    python: { label: 'Python handler (python3.12)', config: 'python', path: '/hello' },
  };
}

export async function main(argv = process.argv.slice(2)) {
  const args = parseArgs(argv);
  if (args.help) {
    console.log(args.help);
    return 0;
  }
  const log = (message) => process.stderr.write(`bench: ${message}\n`);
  const outDir = args.out ?? fileURLToPath(new URL('./results', import.meta.url));
  mkdirSync(outDir, { recursive: true });
  const generator = chooseGenerator(args.generator, { install: args.install, log });
  const project = createProject({ functions: args.functions });
  const notes = [];
  const results = {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform} ${os.release()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown CPU',
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      generator,
      connections: args.connections,
      rounds: args.rounds,
      durationS: generator === 'wrk' ? Math.max(1, Math.round(args.durationS)) : args.durationS,
      warmupS: args.warmupS,
      quick: args.quick,
    },
    scenarios: {},
    coldStart: undefined,
    pythonColdStart: undefined,
    startup: undefined,
    memory: undefined,
    reload: undefined,
    functions: undefined,
    compile: undefined,
    soak: undefined,
    targets: [],
    notes,
  };
  if (generator === 'wrk' && args.durationS < 1) notes.push('wrk runs whole seconds: durations under 1 s were rounded up to 1 s.');
  if (args.connections !== 32) notes.push(`The p99 target is defined at 32 connections; this run used ${args.connections}.`);
  if (args.functions !== FUNCTION_COUNT) notes.push(`The many-functions targets are defined for ${FUNCTION_COUNT} functions; this run used ${args.functions}.`);

  const started = performance.now();
  try {
    // Installed before anything is timed; a failed install ends the run with npm's reason.
    const peer = args.peer && args.scenarios.some((id) => scenarioTable(project, '')[id].peer) ? await installPeer({ cacheDir: args.peerCache, timeoutS: args.peerInstallTimeoutS, log }) : undefined;
    if (args.peer && !peer) notes.push('--peer: none of plain, jwt and echo was selected, so the peer was not started.');
    if (peer) {
      results.meta.peer = peer;
      notes.push(
        `Peer: serverless-offline ${peer.serverlessOffline} with Serverless Framework ${peer.serverless} (npm, ${peer.cached ? 'cached' : `installed in ${(peer.installMs / 1000).toFixed(0)} s`} in ${peer.cacheDir}), its default worker-thread runner. ` +
          'Its JWT authorizer runs with ignoreJWTSignature, the only JWT mode it has: it checks expiry, issuer and audience but not the signature, which localgw verifies.',
      );
    }
    if (args.scenarios.length) await runScenarios(args, generator, project, results, log, peer);
    if (args.extras.includes('coldstart')) results.coldStart = await measureColdStart(args, project, log);
    if (args.extras.includes('pycoldstart')) results.pythonColdStart = await measurePythonColdStart(args, project, log);
    if (args.extras.includes('startup')) results.startup = measureStartup(args, log);
    if (args.extras.includes('memory')) results.memory = await measureMemory(args, generator, project, log);
    if (args.extras.includes('reload')) results.reload = await measureReload(args, project, log);
    if (args.extras.includes('functions')) results.functions = await measureFunctions(args, project, log);
    if (args.extras.includes('compile')) results.compile = await measureCompile(args, project, log);
    if (args.extras.includes('soak')) results.soak = await measureSoak(args, generator, project, log);
  } finally {
    await stopAll();
    project.cleanup();
  }
  results.meta.totalS = Math.round((performance.now() - started) / 1000);
  if (results.reload?.missed) notes.push(`${results.reload.missed} of ${2 * results.reload.edits} edits (handler and config) were not picked up by --watch within ${RELOAD_TIMEOUT_MS} ms.`);
  // At most maxIdleWorkers (the config's default, 32) stay warm, plus those busy: fewer alive than
  // that means the idle timeout stopped some before the reading.
  const warmAtMost = results.functions && Math.min(results.functions.count, MAX_IDLE_WORKERS);
  if (results.functions?.workersAlive !== undefined && results.functions.workersAlive < warmAtMost) {
    notes.push(
      `Only ${results.functions.workersAlive} workers were alive when the RSS after serving was read (up to ${warmAtMost} stay warm): serving took ${(results.functions.servedInMs / 1000).toFixed(1)} s, longer than idleTimeout (${results.functions.idleTimeoutS} s), so that figure is low; use a longer --idle-timeout.`,
    );
  }
  if (results.functions?.readyThreads !== undefined && results.functions.reapedAfterMs === null) {
    notes.push(`The ${results.functions.count} functions' workers were not all stopped within idleTimeout + ${Math.round(results.functions.idleWaitMs / 1000 - results.functions.idleTimeoutS)} s; the RSS after idle was read anyway.`);
  }
  if (results.scenarios.conns2000paced) {
    notes.push(
      `2,000 connections: at full load every connection has a request waiting, so latency is about connections ÷ throughput (Little's law${results.scenarios.conns2000 ? `: ${MANY_CONNECTIONS} ÷ ${fmtThousands(results.scenarios.conns2000.bare.rps)} req/s for bare node:http here` : ''}), whatever the server; ` +
        `the p99 target is read on the paced load (each connection sends after a random 0–${2 * PACE_MS} ms pause, about ${fmtThousands((MANY_CONNECTIONS * 1000) / PACE_MS)} req/s offered), where it measures the cost of 2,000 open sockets rather than the queue.`,
    );
  }
  results.targets = evaluateTargets(results);
  const markdown = toMarkdown(results);
  writeFileSync(join(outDir, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(outDir, 'latest.md'), markdown);
  process.stdout.write(markdown);
  log(`wrote ${join(outDir, 'latest.json')} and latest.md`);
  return 0;
}

const fmtThousands = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '?');

function mintToken(config) {
  const res = spawnSync(process.execPath, [BIN, 'token', '--config', config, '--authorizer', 'main', '--sub', 'bench-user', '--expires-in', '2h'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const token = res.stdout.trim().split('\n').pop();
  if (res.status !== 0 || !token || token.split('.').length !== 3) throw new Error(`localgw token failed (${res.status}):\n${res.stdout}${res.stderr}`);
  return token;
}

async function runScenarios(args, generator, project, results, log, peerInstall) {
  const token = args.scenarios.includes('jwt') ? mintToken(project.configs.api) : '';
  const table = scenarioTable(project, token);
  const scenarios = args.scenarios.map((id) => ({ id, ...table[id], connections: table[id].connections ?? args.connections }));

  // Every socket is a descriptor on both sides, plus what the servers open anyway.
  const fdLimit = checkFdLimit(Math.max(...scenarios.map((s) => s.connections)) + 512);
  results.meta.fdLimit = fdLimit;
  if (fdLimit.soft !== undefined && scenarios.some((s) => s.connections >= MANY_CONNECTIONS)) {
    results.notes.push(`Open files: ${fdLimit.needed} needed for 2,000 connections; the limit here is ${fdLimit.soft} (hard ${fdLimit.hard}; Node raises its soft limit to the hard one and its children inherit it), so nothing was raised.`);
  }

  log(`starting bare node:http and ${new Set(scenarios.map((s) => s.config)).size} localgw server(s)…`);
  const servers = { bare: await startBare() };
  const gateways = {};
  for (const name of new Set(scenarios.map((s) => s.config))) gateways[name] = await startLocalgw(project.configs[name], { timeoutMs: 60_000 });
  if (peerInstall) {
    log('starting serverless-offline…');
    servers.peer = await startPeer(peerInstall, project);
  }
  const targetsOf = (s) => (servers.peer && s.peer ? ['bare', 'localgw', 'peer'] : ['bare', 'localgw']);
  const urlOf = (target, s) => (target === 'localgw' ? gateways[s.config].url : servers[target].url) + s.path;

  // Same bytes, same status, or the comparison means nothing.
  for (const s of scenarios) {
    const request = { method: s.method ?? 'GET', headers: s.headers ?? {}, body: s.bodyFile ? readFileSync(s.bodyFile) : undefined };
    const answers = await Promise.all(targetsOf(s).map((target) => httpRequest(urlOf(target, s), request)));
    if (answers.some((a) => a.status !== 200 || !a.body.equals(answers[0].body))) {
      const shown = targetsOf(s).map((target, i) => `${target} ${answers[i].status} ${answers[i].body.subarray(0, 200)}`);
      throw new Error(`${s.id}: they must all answer 200 with the same body; got ${shown.join(' / ')}`);
    }
    if (s.id === 'cors' && answers[1].headers['access-control-allow-origin'] !== ORIGIN) throw new Error('cors: localgw did not answer with access-control-allow-origin');
  }

  const load = async (target, s, durationS) => {
    const watching = s.inspector && target === 'localgw' ? watchInspector(gateways[s.config]) : undefined;
    try {
      await watching?.ready;
      return await runLoad(generator, {
        url: urlOf(target, s),
        method: s.method,
        headers: s.headers,
        bodyFile: s.bodyFile,
        connections: s.connections,
        paceMs: s.paceMs,
        durationS,
        workDir: project.dir,
      });
    } finally {
      watching?.stop();
    }
  };

  if (args.warmupS > 0) {
    log(`warm-up: ${args.warmupS} s per target`);
    for (const s of scenarios) for (const target of targetsOf(s)) await load(target, s, args.warmupS);
  }
  const runs = Object.fromEntries(scenarios.map((s) => [s.id, { bare: [], localgw: [], peer: [] }]));
  for (let round = 0; round < args.rounds; round++) {
    for (const s of scenarios) {
      // Rotate which goes first, so none always gets the warmer machine.
      const targets = targetsOf(s);
      const order = targets.map((_, i) => targets[(i + round) % targets.length]);
      for (const target of order) {
        const r = await load(target, s, args.durationS);
        runs[s.id][target].push(r);
        log(`round ${round + 1}/${args.rounds} ${s.id.padEnd(14)} ${target.padEnd(7)} ${Math.round(r.rps).toString().padStart(7)} req/s  p50 ${r.latencyMs.p50.toFixed(2)} ms  p99 ${r.latencyMs.p99.toFixed(2)} ms${errorCount(r) ? `  ${errorCount(r)} errors` : ''}`);
        if (r.requests === 0) throw new Error(`${s.id} ${target}: no request completed${errorCount(r) ? ` (${JSON.stringify(r.errors)} errors)` : ''}`);
        if (errorCount(r) > 0 && !s.tolerateErrors) throw new Error(`${s.id} ${target}: ${JSON.stringify(r.errors)} errors in ${r.requests} requests`);
      }
    }
  }
  const summarize = (list) => ({
    rps: median(list.map((r) => r.rps)),
    p50Ms: median(list.map((r) => r.latencyMs.p50)),
    p99Ms: median(list.map((r) => r.latencyMs.p99)),
    requests: list.reduce((sum, r) => sum + r.requests, 0),
    errors: list.reduce((sum, r) => sum + errorCount(r), 0),
    runs: list.map((r) => ({ rps: r.rps, latencyMs: r.latencyMs, requests: r.requests, durationS: r.durationS, errors: r.errors })),
  });
  for (const s of scenarios) {
    const localgw = summarize(runs[s.id].localgw);
    const bareSummary = summarize(runs[s.id].bare);
    const peer = runs[s.id].peer.length ? summarize(runs[s.id].peer) : undefined;
    results.scenarios[s.id] = {
      id: s.id,
      label: s.label,
      request: `${s.method ?? 'GET'} ${s.path}${s.headers ? ` (${Object.keys(s.headers).join(', ')})` : ''}`,
      connections: s.connections,
      ...(s.paceMs && { paceMs: s.paceMs }),
      ...(s.tolerateErrors && { tolerateErrors: true }),
      localgw,
      bare: bareSummary,
      ratio: localgw.rps / bareSummary.rps,
      ...(peer && { peer, vsPeer: localgw.rps / peer.rps }),
    };
  }
  for (const id of ['routes1000', 'routes10000']) {
    if (results.scenarios[id] && results.scenarios.routes10) results.scenarios[id].vsRoutes10 = results.scenarios[id].localgw.rps / results.scenarios.routes10.localgw.rps;
  }
  if (results.scenarios.inspector && results.scenarios.plain) {
    const vsPlain = results.scenarios.inspector.localgw.rps / results.scenarios.plain.localgw.rps;
    results.scenarios.inspector.vsPlain = vsPlain;
    results.notes.push(`With a request inspector page open, the plain route ran at ${vsPlain.toFixed(2)} of its requests/s with no page open (the cost of recording every request's full story).`);
  }
  for (const [name, gw] of Object.entries(gateways)) {
    results.scenarios[Object.keys(results.scenarios).find((id) => table[id].config === name)].localgwRssAfterMb = rssMb(gw.pid);
  }
  await Promise.all([...Object.values(servers), ...Object.values(gateways)].map((server) => server.stop()));
}

/** Spawn `localgw start`, time until the first 200 on /hello. */
async function coldStartOnce(config, { watch }) {
  const spawnedAt = performance.now();
  const gw = await startLocalgw(config, { watch });
  const readyMs = performance.now() - spawnedAt;
  try {
    const res = await httpRequest(`${gw.url}/hello`);
    const firstMs = performance.now() - spawnedAt;
    if (res.status !== 200) throw new Error(`cold start: first response was ${res.status}`);
    return { readyMs, firstMs };
  } finally {
    await gw.stop();
  }
}

async function measureColdStart(args, project, log) {
  log(`cold start: ${args.coldStarts} × localgw start (and as many with --no-watch)`);
  const watched = [];
  const unwatched = [];
  for (let i = 0; i < args.coldStarts; i++) {
    watched.push(await coldStartOnce(project.configs.api, { watch: true }));
    unwatched.push(await coldStartOnce(project.configs.api, { watch: false }));
  }
  return {
    medianMs: median(watched.map((s) => s.firstMs)),
    readyMedianMs: median(watched.map((s) => s.readyMs)),
    noWatchMedianMs: median(unwatched.map((s) => s.firstMs)),
    samplesMs: watched.map((s) => s.firstMs),
    noWatchSamplesMs: unwatched.map((s) => s.firstMs),
  };
}

/**
 * Issue 19: a Python function's cold start, as a developer meets it: the first request to a
 * Python route of a gateway that has just started (the interpreter found, the process started,
 * its module imported, the invocation answered). Then a warm request, for comparison.
 */
async function measurePythonColdStart(args, project, log) {
  log(`Python cold start: ${args.coldStarts} × localgw start, first request to a Python route`);
  const first = [];
  const warm = [];
  for (let i = 0; i < args.coldStarts; i++) {
    const gw = await startLocalgw(project.configs.python, { watch: false });
    try {
      const started = performance.now();
      const res = await httpRequest(`${gw.url}/hello`);
      first.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`Python cold start: first response was ${res.status} ${res.body.subarray(0, 200)}`);
      const again = performance.now();
      await httpRequest(`${gw.url}/hello`);
      warm.push(performance.now() - again);
    } finally {
      await gw.stop();
    }
  }
  return { medianMs: median(first), samplesMs: first, warmMedianMs: median(warm) };
}

async function measureMemory(args, generator, project, log) {
  const idleRequests = 5;
  log(`memory: idle RSS, then ${args.rssRequests.toLocaleString('en-US')} requests`);
  const gw = await startLocalgw(project.configs.api, { watch: true });
  try {
    for (let i = 0; i < idleRequests; i++) {
      const res = await httpRequest(`${gw.url}/hello`);
      if (res.status !== 200) throw new Error(`memory: /hello answered ${res.status}`);
    }
    await sleep(1000);
    const idleRssMb = rssMb(gw.pid);
    const idleThreads = threadCount(gw.pid);
    const load = (durationS) => runLoad(generator, { url: `${gw.url}/hello`, connections: args.connections, durationS, workDir: project.dir });
    // Under load RSS climbs for a few seconds while the heaps grow to their working size, then
    // swings by ±10 MB with the garbage collections, so a single reading says little: the
    // figures are medians of readings every 250 ms over the last two seconds of the warm-up
    // and of the run, both under the same load.
    const samples = [];
    const sampler = setInterval(() => samples.push({ at: performance.now(), mb: rssMb(gw.pid) }), 250);
    const settledMb = (until) => {
      const window = samples.filter((s) => s.at > until - 2_000 && s.at <= until).map((s) => s.mb);
      return window.length > 0 ? median(window) : rssMb(gw.pid);
    };
    let done = 0;
    let warmRssMb;
    let afterRssMb;
    try {
      // Warm-up: the worker pool grows to its size under this concurrency, the JIT settles, and
      // the heaps reach their working size (about 4 s at 40k requests/s here).
      const warm = await load(args.quick ? 1 : 6);
      warmRssMb = settledMb(performance.now());
      let rate = warm.rps;
      while (done < args.rssRequests) {
        const seconds = Math.min(30, Math.max(generator === 'wrk' ? 1 : 0.2, (args.rssRequests - done) / rate));
        const r = await load(seconds);
        if (errorCount(r) > 0) throw new Error(`memory: ${JSON.stringify(r.errors)} errors`);
        done += r.requests;
        rate = r.rps;
      }
      afterRssMb = settledMb(performance.now());
    } finally {
      clearInterval(sampler);
    }
    const peakRssMb = Math.max(...samples.map((s) => s.mb));
    return {
      idleRequests,
      idleRssMb,
      idleThreads,
      warmRssMb,
      warmThreads: threadCount(gw.pid),
      afterRssMb,
      peakRssMb,
      requests: done,
      growthMb: afterRssMb - warmRssMb,
      growthFromIdleMb: afterRssMb - idleRssMb,
    };
  } finally {
    await gw.stop();
  }
}

/** Issue 6: startGateway() in a test suite, after the first start (warm module cache). */
function measureStartup(args, log) {
  const iterations = args.quick ? 3 : 20;
  log(`startup: startGateway() with 10 routes, 1 cold + ${iterations} warm starts and closes`);
  const res = spawnSync(process.execPath, [fileURLToPath(new URL('./lib/startup-child.mjs', import.meta.url)), String(iterations)], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`startup measurement failed:\n${res.stderr}`);
  const { cold, warm } = JSON.parse(res.stdout);
  return {
    coldReadyMs: cold.readyMs,
    readyMedianMs: median(warm.map((s) => s.readyMs)),
    closeMedianMs: median(warm.map((s) => s.closeMs)),
    iterations,
  };
}

const RELOAD_TIMEOUT_MS = 5_000;

async function measureReload(args, project, log) {
  log(`reload: ${args.reloadEdits} handler edits under localgw start (--watch)`);
  const file = project.path('handlers/reload.mjs');
  const handlerSource = (version) =>
    `export const handler = async () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'version ${version}' });\n`;
  writeFileSync(file, handlerSource(0));
  const config = project.write('reload.config.json', { routes: { 'GET /reload': 'handlers/reload.handler' } });
  const gw = await startLocalgw(config, { watch: true });
  const samples = [];
  const configSamples = [];
  let missed = 0;
  try {
    const first = await httpRequest(`${gw.url}/reload`);
    if (first.body.toString() !== 'version 0') throw new Error(`reload: expected "version 0", got ${first.status} ${first.body}`);
    for (let version = 1; version <= args.reloadEdits; version++) {
      // Let the previous reload settle, so each edit is its own reload (the watcher debounces).
      await sleep(150);
      const wanted = `version ${version}`;
      const started = performance.now();
      writeFileSync(file, handlerSource(version));
      let seen = false;
      while (performance.now() - started < RELOAD_TIMEOUT_MS) {
        const res = await httpRequest(`${gw.url}/reload`);
        if (res.status === 200 && res.body.toString() === wanted) {
          seen = true;
          break;
        }
        await sleep(2);
      }
      if (seen) samples.push(performance.now() - started);
      else missed++;
    }
    // Config edits: each adds a route; timed until the new route answers.
    for (let version = 1; version <= args.reloadEdits; version++) {
      await sleep(150);
      const started = performance.now();
      writeFileSync(config, JSON.stringify({ routes: { 'GET /reload': 'handlers/reload.handler', [`GET /added${version}`]: 'handlers/reload.handler' } }));
      let seen = false;
      while (performance.now() - started < RELOAD_TIMEOUT_MS) {
        const res = await httpRequest(`${gw.url}/added${version}`);
        if (res.status === 200) {
          seen = true;
          break;
        }
        await sleep(2);
      }
      if (seen) configSamples.push(performance.now() - started);
      else missed++;
    }
  } finally {
    await gw.stop();
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    configMedianMs: configSamples.length ? median(configSamples) : null,
    configSamplesMs: configSamples,
    edits: args.reloadEdits,
    missed,
    medianMs: samples.length ? median(samples) : null,
    p90Ms: samples.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))] : null,
    maxMs: samples.length ? sorted[sorted.length - 1] : null,
    samplesMs: samples,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => (process.exitCode = code),
    async (error) => {
      await stopAll();
      console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}

/**
 * What an open inspector page does: keep the admin server's live stream open and read it (a new
 * summary per request), which also makes the gateway record every request's full story.
 */
function watchInspector(gateway) {
  const admin = /^admin (http:\/\/127\.0\.0\.1:\d+)/m.exec(gateway.output())?.[1];
  if (!admin) throw new Error(`inspector: localgw printed no admin URL:\n${gateway.output()}`);
  const controller = new AbortController();
  let events = 0;
  const ready = fetch(`${admin}/inspector/api/stream`, { signal: controller.signal }).then((res) => {
    const reader = res.body.getReader();
    const pump = () =>
      reader.read().then(({ value, done }) => {
        if (done) return;
        for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) events++;
        return pump();
      });
    pump().catch(() => {});
  });
  return { ready, stop: () => controller.abort(), events: () => events };
}
