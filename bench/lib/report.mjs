// Medians and slopes, the targets (issues 7 and 17) and the markdown tables.

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Least-squares slope of `y` over `x` (points `{ x, y }`); NaN with fewer than two distinct x. */
export function linearSlope(points) {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((sum, p) => sum + p.x, 0) / n;
  const my = points.reduce((sum, p) => sum + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : NaN;
}

const ratio = (v) => v.toFixed(2);
const ms = (v) => `${Math.round(v)} ms`;
const mb = (v) => `${v.toFixed(1)} MB`;
const times = (v) => `${v.toFixed(1)}×`;
/** Errors of localgw over the 2,000-connection runs, both loads; undefined when neither ran. */
const connectionErrors = (r) => {
  const runs = [r.scenarios.conns2000, r.scenarios.conns2000paced].filter(Boolean);
  return runs.length ? runs.reduce((sum, s) => sum + s.localgw.errors, 0) : undefined;
};

/**
 * The issues' targets: `value(results)` gives the measured figure, `ok` compares it. Round 1 is
 * issue 7 (with issues 5 and 6); round 2 is issue 17, whose table keeps round 1's.
 */
export const TARGETS = [
  { id: 'plain-ratio', round: 1, label: 'plain route, ratio to bare node:http', goal: '≥ 0.50', value: (r) => r.scenarios.plain?.ratio, ok: (v) => v >= 0.5, format: ratio },
  { id: 'cors-ratio', round: 1, label: 'with CORS, ratio to bare node:http', goal: '≥ 0.45', value: (r) => r.scenarios.cors?.ratio, ok: (v) => v >= 0.45, format: ratio },
  { id: 'jwt-ratio', round: 1, label: 'with JWT authorizer, ratio to bare node:http', goal: '≥ 0.40', value: (r) => r.scenarios.jwt?.ratio, ok: (v) => v >= 0.4, format: ratio },
  { id: 'routes-ratio', round: 1, label: '1,000 routes vs 10 routes', goal: '≥ 0.90', value: (r) => r.scenarios.routes1000?.vsRoutes10, ok: (v) => v >= 0.9, format: ratio },
  { id: 'plain-p99', round: 1, label: 'p99 latency, plain route', goal: '≤ 5 ms', value: (r) => r.scenarios.plain?.localgw.p99Ms, ok: (v) => v <= 5, format: (v) => `${v.toFixed(2)} ms` },
  { id: 'cold-start', round: 1, label: 'cold start to first response', goal: '≤ 400 ms', value: (r) => r.coldStart?.medianMs, ok: (v) => v <= 400, format: ms },
  { id: 'startup-ready', round: 1, label: 'startGateway() ready, 10 routes, warm (issue 6)', goal: '≤ 150 ms', value: (r) => r.startup?.readyMedianMs, ok: (v) => v <= 150, format: (v) => `${v.toFixed(1)} ms` },
  { id: 'startup-close', round: 1, label: 'gw.close() (issue 6)', goal: '≤ 50 ms', value: (r) => r.startup?.closeMedianMs, ok: (v) => v <= 50, format: (v) => `${v.toFixed(1)} ms` },
  { id: 'reload-handler', round: 1, label: 'reload: handler edit → new code (issue 5)', goal: '≤ 150 ms', value: (r) => r.reload?.medianMs, ok: (v) => v <= 150, format: ms },
  { id: 'reload-config', round: 1, label: 'reload: config edit → new route (issue 5)', goal: '≤ 100 ms', value: (r) => r.reload?.configMedianMs, ok: (v) => v <= 100, format: ms },
  { id: 'idle-rss', round: 1, label: 'idle RSS', goal: '≤ 90 MB', value: (r) => r.memory?.idleRssMb, ok: (v) => v <= 90, format: mb },
  { id: 'rss-growth', round: 1, label: 'RSS growth over the load run', goal: '≤ 20 MB', value: (r) => r.memory?.growthMb, ok: (v) => v <= 20, format: mb },

  { id: 'plain-ratio-2', round: 2, label: 'plain route, ratio to bare node:http', goal: '≥ 0.65', value: (r) => r.scenarios.plain?.ratio, ok: (v) => v >= 0.65, format: ratio },
  { id: 'cors-ratio-2', round: 2, label: 'with CORS, ratio to bare node:http', goal: '≥ 0.62', value: (r) => r.scenarios.cors?.ratio, ok: (v) => v >= 0.62, format: ratio },
  { id: 'jwt-ratio-2', round: 2, label: 'with JWT authorizer, ratio to bare node:http', goal: '≥ 0.62', value: (r) => r.scenarios.jwt?.ratio, ok: (v) => v >= 0.62, format: ratio },
  { id: 'echo-ratio', round: 2, label: '100 kB JSON echo, ratio to bare echoing the same body', goal: '≥ 0.45', value: (r) => r.scenarios.echo?.ratio, ok: (v) => v >= 0.45, format: ratio },
  { id: 'upload-ratio', round: 2, label: '1 MB binary upload, ratio to bare node:http', goal: '≥ 0.40', value: (r) => r.scenarios.upload?.ratio, ok: (v) => v >= 0.4, format: ratio },
  { id: 'download-ratio', round: 2, label: '1 MB binary download, ratio to bare node:http', goal: '≥ 0.40', value: (r) => r.scenarios.download?.ratio, ok: (v) => v >= 0.4, format: ratio },
  { id: 'functions-ready', round: 2, label: '200 functions: localgw start → ready', goal: '≤ 500 ms', value: (r) => r.functions?.readyMedianMs, ok: (v) => v <= 500, format: ms },
  { id: 'functions-rss-served', round: 2, label: '200 functions: RSS after each served once', goal: '≤ 800 MB', value: (r) => r.functions?.servedRssMb, ok: (v) => v <= 800, format: mb },
  { id: 'functions-rss-idle', round: 2, label: '200 functions: RSS after the idle period', goal: '≤ 150 MB', value: (r) => r.functions?.idleRssMb, ok: (v) => v <= 150, format: mb },
  { id: 'routes10000-compile', round: 2, label: '10,000 routes: config compile (createGateway, first in a fresh process)', goal: '≤ 300 ms', value: (r) => r.compile?.routes10000.firstMs, ok: (v) => v <= 300, format: ms },
  { id: 'routes10000-ratio', round: 2, label: '10,000 routes: last-route throughput vs 10 routes', goal: '≥ 0.95', value: (r) => r.scenarios.routes10000?.vsRoutes10, ok: (v) => v >= 0.95, format: ratio },
  { id: 'conns2000-errors', round: 2, label: '2,000 keep-alive connections: errors (both loads)', goal: '0', value: connectionErrors, ok: (v) => v === 0, format: (v) => String(v) },
  { id: 'conns2000-p99', round: 2, label: '2,000 keep-alive connections: p99 (paced load)', goal: '≤ 50 ms', value: (r) => r.scenarios.conns2000paced?.localgw.p99Ms, ok: (v) => v <= 50, format: (v) => `${v.toFixed(1)} ms` },
  { id: 'soak-errors', round: 2, label: 'soak at full load: errors', goal: '0', value: (r) => r.soak?.errors, ok: (v) => v === 0, format: (v) => String(v) },
  { id: 'soak-slope', round: 2, label: 'soak: RSS slope after warm-up', goal: '≤ 1 MB/min', value: (r) => r.soak?.slopeMbPerMin, ok: (v) => v <= 1, format: (v) => `${v.toFixed(2)} MB/min` },
  { id: 'cold-start-2', round: 2, label: 'cold start `localgw start` → first 200', goal: '≤ 250 ms', value: (r) => r.coldStart?.medianMs, ok: (v) => v <= 250, format: ms },
  { id: 'reload-handler-2', round: 2, label: 'handler edit → new code served (median of the edits)', goal: '≤ 60 ms', value: (r) => r.reload?.medianMs, ok: (v) => v <= 60, format: ms },
  { id: 'reload-config-2', round: 2, label: 'config edit → new route served (median of the edits)', goal: '≤ 50 ms', value: (r) => r.reload?.configMedianMs, ok: (v) => v <= 50, format: ms },
  { id: 'peer-plain', round: 2, label: 'plain route, localgw / serverless-offline', goal: '≥ 15×', value: (r) => r.scenarios.plain?.vsPeer, ok: (v) => v >= 15, format: times },
  { id: 'peer-jwt', round: 2, label: 'JWT route, localgw / serverless-offline', goal: '≥ 15×', value: (r) => r.scenarios.jwt?.vsPeer, ok: (v) => v >= 15, format: times },
  { id: 'peer-echo', round: 2, label: '100 kB JSON echo, localgw / serverless-offline', goal: '≥ 15×', value: (r) => r.scenarios.echo?.vsPeer, ok: (v) => v >= 15, format: times },
];

export function evaluateTargets(results) {
  return TARGETS.map((t) => {
    const value = t.value(results);
    const measured = typeof value === 'number' && Number.isFinite(value);
    return { id: t.id, round: t.round, label: t.label, goal: t.goal, value: measured ? value : null, display: measured ? t.format(value) : 'not measured', met: measured ? t.ok(value) : null };
  });
}

const fmtRps = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');
const fmtMs = (v) => (Number.isFinite(v) ? v.toFixed(2) : '–');
const fmtRatio = (v) => (Number.isFinite(v) ? v.toFixed(2) : '–');
const mark = (met) => (met === null ? '–' : met ? '✓' : '✗');

/** Targets shown in a scenario's row of the load table: `[target id, prefix]`. */
const ROW_TARGETS = {
  plain: [['plain-ratio'], ['plain-ratio-2'], ['plain-p99', 'p99 '], ['peer-plain', 'vs peer ']],
  cors: [['cors-ratio'], ['cors-ratio-2']],
  jwt: [['jwt-ratio'], ['jwt-ratio-2'], ['peer-jwt', 'vs peer ']],
  echo: [['echo-ratio'], ['peer-echo', 'vs peer ']],
  upload: [['upload-ratio']],
  download: [['download-ratio']],
  routes1000: [['routes-ratio', 'vs 10 routes ']],
  routes10000: [['routes10000-ratio', 'vs 10 routes ']],
  conns2000paced: [['conns2000-p99', 'p99 ']],
};

export function toMarkdown(results) {
  const { meta } = results;
  const out = [];
  const evaluated = new Map(results.targets.map((t) => [t.id, t]));
  const targetCell = ([id, prefix = '']) => {
    const t = evaluated.get(id);
    return `${prefix}${t.goal}${t.round === 2 ? ' (r2)' : ''} ${mark(t.met)}`;
  };
  out.push(`## localgw benchmark (${meta.date})`);
  out.push('');
  out.push(
    `Node ${meta.node}, ${meta.cpus} × ${meta.cpuModel}, ${meta.memoryGb} GB; ${meta.generator} 1 thread × ${meta.connections} connections unless the row says otherwise; ` +
      `${meta.rounds} alternating round(s) × ${meta.durationS} s per target${meta.quick ? ' (quick smoke run: figures are not meaningful)' : ''}.` +
      (meta.peer ? ` Peer: serverless-offline ${meta.peer.serverlessOffline} on Serverless Framework ${meta.peer.serverless}, measured in the same rounds.` : ''),
  );
  const scenarios = Object.values(results.scenarios);
  if (scenarios.length) {
    out.push('');
    const peer = scenarios.some((s) => s.peer);
    const peerHead = peer ? ' serverless-offline req/s | p50 ms | p99 ms | localgw / peer |' : '';
    out.push(`| scenario | localgw req/s | p50 ms | p99 ms | bare node:http req/s | p50 ms | p99 ms | ratio |${peerHead} target |`);
    out.push(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${peer ? ' ---: | ---: | ---: | ---: |' : ''} --- |`);
    for (const s of scenarios) {
      const cells = (ROW_TARGETS[s.id] ?? []).map(targetCell);
      if (s.vsRoutes10 !== undefined) cells.unshift(`${fmtRatio(s.vsRoutes10)} of 10 routes`);
      if (s.tolerateErrors) cells.unshift(`errors ${s.localgw.errors} (bare ${s.bare.errors})`);
      const peerCells = peer ? ` ${s.peer ? `${fmtRps(s.peer.rps)} | ${fmtMs(s.peer.p50Ms)} | ${fmtMs(s.peer.p99Ms)} | ${Number.isFinite(s.vsPeer) ? `${s.vsPeer.toFixed(1)}×` : '–'}` : '| | |'} |` : '';
      out.push(
        `| ${s.label} | ${fmtRps(s.localgw.rps)} | ${fmtMs(s.localgw.p50Ms)} | ${fmtMs(s.localgw.p99Ms)} | ${fmtRps(s.bare.rps)} | ${fmtMs(s.bare.p50Ms)} | ${fmtMs(s.bare.p99Ms)} | ${fmtRatio(s.ratio)} |${peerCells} ${cells.join('; ')} |`,
      );
    }
  }
  const measures = [];
  const goal = (...ids) => ids.map((id) => targetCell([id])).join(' / ');
  if (results.coldStart) {
    const c = results.coldStart;
    measures.push(`| cold start \`localgw start\` → first 200 (median of ${c.samplesMs.length}) | ${Math.round(c.medianMs)} ms (ready line ${Math.round(c.readyMedianMs)} ms; \`--no-watch\` ${Math.round(c.noWatchMedianMs)} ms) | ${goal('cold-start', 'cold-start-2')} |`);
  }
  if (results.startup) {
    const s = results.startup;
    measures.push(`| \`startGateway()\` 10 routes: ready (median of ${s.iterations} warm; first ${Math.round(s.coldReadyMs)} ms) / \`close()\` | ${s.readyMedianMs.toFixed(1)} ms / ${s.closeMedianMs.toFixed(1)} ms | ${goal('startup-ready', 'startup-close')} |`);
  }
  if (results.memory) {
    const m = results.memory;
    measures.push(`| idle RSS (after start + ${m.idleRequests} requests, 1 worker) | ${m.idleRssMb.toFixed(1)} MB (${m.idleThreads ?? '?'} threads) | ${goal('idle-rss')} |`);
    measures.push(`| RSS growth over ${m.requests.toLocaleString('en-US')} requests (median over the last 2 s of the warm-up ${m.warmRssMb.toFixed(1)} MB, of the run ${m.afterRssMb.toFixed(1)} MB, both under load; peak ${m.peakRssMb.toFixed(1)} MB) | ${m.growthMb >= 0 ? '+' : ''}${m.growthMb.toFixed(1)} MB (from idle: ${m.growthFromIdleMb >= 0 ? '+' : ''}${m.growthFromIdleMb.toFixed(1)} MB) | ${goal('rss-growth')} |`);
  }
  if (results.reload) {
    const r = results.reload;
    const detail = r.medianMs === null ? 'no edit was picked up' : `median ${Math.round(r.medianMs)} ms, p90 ${Math.round(r.p90Ms)} ms, max ${Math.round(r.maxMs)} ms`;
    measures.push(`| reload: handler edit → new code answers (median of ${r.samplesMs.length} edits, --watch) | ${detail}; ${r.missed} missed (both kinds) | ${goal('reload-handler', 'reload-handler-2')} |`);
    if (r.configMedianMs !== null) measures.push(`| reload: config edit → new route answers (median of ${r.configSamplesMs.length} edits) | median ${Math.round(r.configMedianMs)} ms | ${goal('reload-config', 'reload-config-2')} |`);
  }
  if (results.functions) {
    const f = results.functions;
    measures.push(`| ${f.count} functions: \`localgw start\` → ready line (median of ${f.readySamplesMs.length}) | ${Math.round(f.readyMedianMs)} ms (first 200 on /fn1 ${Math.round(f.firstResponseMs)} ms after spawn; RSS at ready ${f.readyRssMb.toFixed(1)} MB) | ${goal('functions-ready')} |`);
    measures.push(`| ${f.count} functions: RSS after each served one request (in ${(f.servedInMs / 1000).toFixed(1)} s; ${f.workersAlive ?? '?'} workers alive) | ${f.servedRssMb.toFixed(1)} MB | ${goal('functions-rss-served')} |`);
    const reaped = f.reapedAfterMs === null ? `workers not all stopped ${Math.round(f.idleWaitMs / 1000)} s after the last request` : `workers stopped ${(f.reapedAfterMs / 1000).toFixed(1)} s after the last request`;
    measures.push(`| ${f.count} functions: RSS after the idle period (\`idleTimeout: ${f.idleTimeoutS}\`; ${reaped}; ${f.idleThreads ?? '?'} threads) | ${f.idleRssMb.toFixed(1)} MB | ${goal('functions-rss-idle')} |`);
  }
  if (results.compile) {
    const c = results.compile;
    measures.push(`| 10,000 routes: \`createGateway({ config })\` (read, validate, compile, resolve handlers), first call in a fresh process (warm: median ${c.routes10000.warmMedianMs.toFixed(1)} ms; 10 routes: first ${c.routes10.firstMs.toFixed(1)} ms) | ${Math.round(c.routes10000.firstMs)} ms | ${goal('routes10000-compile')} |`);
    measures.push(`| 10,000 routes: \`localgw start --no-watch\` ready line minus that of 10 routes (medians of ${c.startup.routes10SamplesMs.length}) | ${Math.round(c.startup.deltaMs)} ms (${Math.round(c.startup.routes10000Ms)} vs ${Math.round(c.startup.routes10Ms)} ms) | (for context) |`);
  }
  if (results.soak) {
    const k = results.soak;
    measures.push(`| soak: ${k.minutes} min at full load on the plain route, ${k.connections} connections (${k.requests.toLocaleString('en-US')} requests, ${fmtRps(k.rps)} req/s) | ${k.errors} errors | ${goal('soak-errors')} |`);
    measures.push(`| soak: RSS slope after ${k.warmupMinutes} min of warm-up (regression over ${k.samples} samples; ${k.rssAfterWarmupMb.toFixed(1)} → ${k.rssEndMb.toFixed(1)} MB, peak ${k.peakRssMb.toFixed(1)} MB) | ${k.slopeMbPerMin >= 0 ? '+' : ''}${k.slopeMbPerMin.toFixed(2)} MB/min | ${goal('soak-slope')} |`);
  }
  if (measures.length) out.push('', '| measure | result | target |', '| --- | --- | --- |', ...measures);
  out.push('');
  out.push('| round | target | measured | goal | met |');
  out.push('| --- | --- | --- | --- | --- |');
  for (const t of results.targets) out.push(`| ${t.round} | ${t.label} | ${t.display} | ${t.goal} | ${mark(t.met)} |`);
  if (results.notes.length) {
    out.push('');
    for (const note of results.notes) out.push(`- ${note}`);
  }
  return out.join('\n') + '\n';
}
