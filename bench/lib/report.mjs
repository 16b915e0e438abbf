// Medians, targets (issue 7) and the markdown table.

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The targets: `value(results)` gives the measured figure, `ok` compares it. */
export const TARGETS = [
  { id: 'plain-ratio', label: 'plain route, ratio to bare node:http', goal: '≥ 0.50', value: (r) => r.scenarios.plain?.ratio, ok: (v) => v >= 0.5, format: (v) => v.toFixed(2) },
  { id: 'cors-ratio', label: 'with CORS, ratio to bare node:http', goal: '≥ 0.45', value: (r) => r.scenarios.cors?.ratio, ok: (v) => v >= 0.45, format: (v) => v.toFixed(2) },
  { id: 'jwt-ratio', label: 'with JWT authorizer, ratio to bare node:http', goal: '≥ 0.40', value: (r) => r.scenarios.jwt?.ratio, ok: (v) => v >= 0.4, format: (v) => v.toFixed(2) },
  { id: 'routes-ratio', label: '1,000 routes vs 10 routes', goal: '≥ 0.90', value: (r) => r.scenarios.routes1000?.vsRoutes10, ok: (v) => v >= 0.9, format: (v) => v.toFixed(2) },
  { id: 'plain-p99', label: 'p99 latency, plain route', goal: '≤ 5 ms', value: (r) => r.scenarios.plain?.localgw.p99Ms, ok: (v) => v <= 5, format: (v) => `${v.toFixed(2)} ms` },
  { id: 'python-ratio', label: 'Python handler, ratio to bare node:http (issue 19)', goal: '≥ 0.25', value: (r) => r.scenarios.python?.ratio, ok: (v) => v >= 0.25, format: (v) => v.toFixed(2) },
  { id: 'python-cold-start', label: 'Python function cold start: first request (issue 19)', goal: '≤ 1,000 ms', value: (r) => r.pythonColdStart?.medianMs, ok: (v) => v <= 1000, format: (v) => `${Math.round(v)} ms` },
  { id: 'cold-start', label: 'cold start to first response', goal: '≤ 400 ms', value: (r) => r.coldStart?.medianMs, ok: (v) => v <= 400, format: (v) => `${Math.round(v)} ms` },
  { id: 'startup-ready', label: 'startGateway() ready, 10 routes, warm (issue 6)', goal: '≤ 150 ms', value: (r) => r.startup?.readyMedianMs, ok: (v) => v <= 150, format: (v) => `${v.toFixed(1)} ms` },
  { id: 'startup-close', label: 'gw.close() (issue 6)', goal: '≤ 50 ms', value: (r) => r.startup?.closeMedianMs, ok: (v) => v <= 50, format: (v) => `${v.toFixed(1)} ms` },
  { id: 'reload-handler', label: 'reload: handler edit → new code (issue 5)', goal: '≤ 150 ms', value: (r) => r.reload?.medianMs, ok: (v) => v <= 150, format: (v) => `${Math.round(v)} ms` },
  { id: 'reload-config', label: 'reload: config edit → new route (issue 5)', goal: '≤ 100 ms', value: (r) => r.reload?.configMedianMs, ok: (v) => v <= 100, format: (v) => `${Math.round(v)} ms` },
  { id: 'idle-rss', label: 'idle RSS', goal: '≤ 90 MB', value: (r) => r.memory?.idleRssMb, ok: (v) => v <= 90, format: (v) => `${v.toFixed(1)} MB` },
  { id: 'rss-growth', label: 'RSS growth over the load run', goal: '≤ 20 MB', value: (r) => r.memory?.growthMb, ok: (v) => v <= 20, format: (v) => `${v.toFixed(1)} MB` },
];

export function evaluateTargets(results) {
  return TARGETS.map((t) => {
    const value = t.value(results);
    const measured = typeof value === 'number' && Number.isFinite(value);
    return { id: t.id, label: t.label, goal: t.goal, value: measured ? value : null, display: measured ? t.format(value) : 'not measured', met: measured ? t.ok(value) : null };
  });
}

const fmtRps = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');
const fmtMs = (v) => (Number.isFinite(v) ? v.toFixed(2) : '–');
const mark = (met) => (met === null ? '–' : met ? '✓' : '✗');

export function toMarkdown(results) {
  const { meta } = results;
  const out = [];
  out.push(`## localgw benchmark (${meta.date})`);
  out.push('');
  out.push(
    `Node ${meta.node}, ${meta.cpus} × ${meta.cpuModel}, ${meta.memoryGb} GB; ${meta.generator} 1 thread × ${meta.connections} connections; ` +
      `${meta.rounds} alternating round(s) × ${meta.durationS} s per target${meta.quick ? ' (quick smoke run: figures are not meaningful)' : ''}.`,
  );
  out.push('');
  out.push('| scenario | localgw req/s | p50 ms | p99 ms | bare node:http req/s | p50 ms | p99 ms | ratio | target |');
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  const targetFor = { plain: 'plain-ratio', cors: 'cors-ratio', jwt: 'jwt-ratio', routes1000: 'routes-ratio', python: 'python-ratio' };
  const evaluated = new Map(results.targets.map((t) => [t.id, t]));
  for (const s of Object.values(results.scenarios)) {
    const t = evaluated.get(targetFor[s.id]);
    let target = t ? `${t.goal} ${mark(t.met)}` : '';
    if (s.id === 'routes1000') target = `${Number.isFinite(s.vsRoutes10) ? s.vsRoutes10.toFixed(2) : '–'} of 10 routes (${t.goal}) ${mark(t.met)}`;
    if (s.id === 'plain') {
      const p99 = evaluated.get('plain-p99');
      target += `; p99 ${p99.goal} ${mark(p99.met)}`;
    }
    out.push(
      `| ${s.label} | ${fmtRps(s.localgw.rps)} | ${fmtMs(s.localgw.p50Ms)} | ${fmtMs(s.localgw.p99Ms)} | ${fmtRps(s.bare.rps)} | ${fmtMs(s.bare.p50Ms)} | ${fmtMs(s.bare.p99Ms)} | ${Number.isFinite(s.ratio) ? s.ratio.toFixed(2) : '–'} | ${target} |`,
    );
  }
  out.push('');
  out.push('| measure | result | target |');
  out.push('| --- | --- | --- |');
  if (results.coldStart) {
    const c = results.coldStart;
    out.push(`| cold start \`localgw start\` → first 200 (median of ${c.samplesMs.length}) | ${Math.round(c.medianMs)} ms (ready line ${Math.round(c.readyMedianMs)} ms; \`--no-watch\` ${Math.round(c.noWatchMedianMs)} ms) | ${evaluated.get('cold-start').goal} ${mark(evaluated.get('cold-start').met)} |`);
  }
  if (results.pythonColdStart) {
    const p = results.pythonColdStart;
    out.push(`| Python function: first request after \`localgw start\` (median of ${p.samplesMs.length}; the next, warm: ${p.warmMedianMs.toFixed(1)} ms) | ${Math.round(p.medianMs)} ms | ${evaluated.get('python-cold-start').goal} ${mark(evaluated.get('python-cold-start').met)} |`);
  }
  if (results.startup) {
    const s = results.startup;
    out.push(`| \`startGateway()\` 10 routes: ready (median of ${s.iterations} warm; first ${Math.round(s.coldReadyMs)} ms) / \`close()\` | ${s.readyMedianMs.toFixed(1)} ms / ${s.closeMedianMs.toFixed(1)} ms | ≤ 150 ms ${mark(evaluated.get('startup-ready').met)} / ≤ 50 ms ${mark(evaluated.get('startup-close').met)} |`);
  }
  if (results.memory) {
    const m = results.memory;
    out.push(`| idle RSS (after start + ${m.idleRequests} requests, 1 worker) | ${m.idleRssMb.toFixed(1)} MB (${m.idleThreads ?? '?'} threads) | ${evaluated.get('idle-rss').goal} ${mark(evaluated.get('idle-rss').met)} |`);
    out.push(`| RSS growth over ${m.requests.toLocaleString('en-US')} requests (median over the last 2 s of the warm-up ${m.warmRssMb.toFixed(1)} MB, of the run ${m.afterRssMb.toFixed(1)} MB, both under load; peak ${m.peakRssMb.toFixed(1)} MB) | ${m.growthMb >= 0 ? '+' : ''}${m.growthMb.toFixed(1)} MB (from idle: ${m.growthFromIdleMb >= 0 ? '+' : ''}${m.growthFromIdleMb.toFixed(1)} MB) | ${evaluated.get('rss-growth').goal} ${mark(evaluated.get('rss-growth').met)} |`);
  }
  if (results.reload) {
    const r = results.reload;
    const detail = r.medianMs === null ? 'no edit was picked up' : `median ${Math.round(r.medianMs)} ms, p90 ${Math.round(r.p90Ms)} ms, max ${Math.round(r.maxMs)} ms`;
    out.push(`| reload: handler edit → new code answers (${r.edits} edits, --watch) | ${detail}; ${r.missed} missed | ${evaluated.get('reload-handler').goal} ${mark(evaluated.get('reload-handler').met)} |`);
    if (r.configMedianMs !== null) out.push(`| reload: config edit → new route answers (${r.configSamplesMs.length} edits) | median ${Math.round(r.configMedianMs)} ms | ${evaluated.get('reload-config').goal} ${mark(evaluated.get('reload-config').met)} |`);
  }
  out.push('');
  out.push('| target | measured | goal | met |');
  out.push('| --- | --- | --- | --- |');
  for (const t of results.targets) out.push(`| ${t.label} | ${t.display} | ${t.goal} | ${mark(t.met)} |`);
  if (results.notes.length) {
    out.push('');
    for (const note of results.notes) out.push(`- ${note}`);
  }
  return out.join('\n') + '\n';
}
