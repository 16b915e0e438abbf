// The soak (`--soak`, issue 17): the plain route at full load for minutes, as `localgw start`
// runs (watching), to see what a short run cannot: a slow leak, or errors that come with time.
// RSS is read every second; the slope (MB/min) is the least-squares fit over the samples after
// the warm-up, when the heaps have reached their working size. The load runs in chunks of at most
// a minute (one bounded generator run each), back to back; errors of every chunk are summed.
import { errorCount, runLoad } from './load.mjs';
import { httpRequest, rssMb, startLocalgw } from './processes.mjs';
import { linearSlope } from './report.mjs';

const SAMPLE_MS = 1_000;
const CHUNK_S = 60;
/** Share of the soak left out of the slope: the heaps grow to their working size first. */
const WARMUP_SHARE = 0.2;

export async function measureSoak(args, generator, project, log) {
  const totalS = args.soakMinutes * 60;
  const warmupS = totalS * WARMUP_SHARE;
  log(`soak: ${args.soakMinutes} min at full load on /hello, ${args.connections} connections (RSS slope after the first ${(warmupS / 60).toFixed(1)} min)`);
  const gw = await startLocalgw(project.configs.api, { watch: true });
  const samples = [];
  let sampler;
  try {
    const first = await httpRequest(`${gw.url}/hello`);
    if (first.status !== 200) throw new Error(`soak: /hello answered ${first.status}`);
    const started = performance.now();
    const elapsedS = () => (performance.now() - started) / 1000;
    sampler = setInterval(() => samples.push({ x: elapsedS() / 60, y: rssMb(gw.pid) }), SAMPLE_MS);
    let requests = 0;
    let errors = 0;
    const errorKinds = {};
    // wrk runs whole seconds: the last chunk is at least one.
    while (elapsedS() < totalS - 0.5) {
      const durationS = Math.min(CHUNK_S, Math.max(generator === 'wrk' ? 1 : 0.2, totalS - elapsedS()));
      const r = await runLoad(generator, { url: `${gw.url}/hello`, connections: args.connections, durationS, workDir: project.dir });
      requests += r.requests;
      errors += errorCount(r);
      for (const [kind, n] of Object.entries(r.errors)) errorKinds[kind] = (errorKinds[kind] ?? 0) + n;
      log(`soak: ${Math.round(elapsedS())} s, ${requests.toLocaleString('en-US')} requests, ${errors} errors, RSS ${rssMb(gw.pid).toFixed(1)} MB`);
    }
    const durationS = elapsedS();
    clearInterval(sampler);
    const after = samples.filter((s) => s.x * 60 >= warmupS);
    if (after.length < 2) throw new Error(`soak: too short for a slope (${samples.length} RSS samples, ${after.length} after the warm-up); use a longer --soak-minutes`);
    return {
      minutes: args.soakMinutes,
      warmupMinutes: Number((warmupS / 60).toFixed(2)),
      connections: args.connections,
      durationS,
      requests,
      rps: requests / durationS,
      errors,
      errorKinds,
      samples: after.length,
      rssAfterWarmupMb: after[0].y,
      rssEndMb: after[after.length - 1].y,
      peakRssMb: Math.max(...samples.map((s) => s.y)),
      slopeMbPerMin: linearSlope(after),
      samplesMb: samples.map((s) => [Number(s.x.toFixed(3)), Number(s.y.toFixed(1))]),
    };
  } finally {
    clearInterval(sampler);
    await gw.stop();
  }
}
