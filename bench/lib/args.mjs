// Command-line flags of the harness; each has an environment variable for CI (BENCH_*).

const SCENARIO_IDS = ['plain', 'cors', 'jwt', 'routes10', 'routes1000', 'v1', 'echo', 'python'];
const EXTRAS = ['coldstart', 'pycoldstart', 'startup', 'memory', 'reload'];

const HELP = `Usage: node bench/run.mjs [options]   (npm run bench)

Loads localgw and a bare node:http server answering with the same bytes, alternately, several
rounds, and reports median requests/s, p50/p99 latency and the ratio to bare node:http.

  --duration S        seconds per target per round (default 5; BENCH_DURATION)
  --rounds N          alternating rounds (default 5; BENCH_ROUNDS)
  --connections N     concurrent connections, one generator thread (default 32; BENCH_CONNECTIONS)
  --warmup S          warm-up seconds per target before the rounds (default 2; 0 in --quick)
  --quick             smoke run: 1 round of 0.5 s, 2 cold starts, 3 reload edits, 2,000 requests for RSS
  --only LIST         comma-separated scenarios and extras: ${[...SCENARIO_IDS, ...EXTRAS].join(', ')}
  --generator NAME    auto (default) | wrk | autocannon (BENCH_GENERATOR)
  --no-install        with auto: do not apt-get install wrk when it is missing
  --cold-starts N     cold starts to take the median of (default 7)
  --reload-edits N    handler edits for the reload latency (default 20)
  --rss-requests N    requests for the RSS growth figure (default 200000)
  --out DIR           where latest.json and latest.md go (default bench/results)
  --help`;

export function parseArgs(argv, env = process.env) {
  const flags = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}" (see --help)`);
    const eq = arg.indexOf('=');
    if (eq > 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (['quick', 'no-install', 'help'].includes(arg.slice(2))) flags.set(arg.slice(2), true);
    else if (i + 1 < argv.length) flags.set(arg.slice(2), argv[++i]);
    else throw new Error(`${arg} needs a value`);
  }
  if (flags.has('help')) return { help: HELP };
  const known = new Set(['duration', 'rounds', 'connections', 'warmup', 'quick', 'only', 'generator', 'no-install', 'cold-starts', 'reload-edits', 'rss-requests', 'out']);
  for (const name of flags.keys()) if (!known.has(name)) throw new Error(`unknown option --${name} (see --help)`);

  const quick = flags.get('quick') === true || env.BENCH_QUICK === '1';
  const number = (name, envName, normal, quickValue, { min = 0, integer = false } = {}) => {
    const raw = flags.get(name) ?? env[envName];
    const value = raw === undefined ? (quick ? quickValue : normal) : Number(raw);
    if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      throw new Error(`--${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got "${raw}"`);
    }
    return value;
  };
  const only = String(flags.get('only') ?? env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of only) {
    if (!SCENARIO_IDS.includes(id) && !EXTRAS.includes(id)) throw new Error(`--only: unknown "${id}" (known: ${[...SCENARIO_IDS, ...EXTRAS].join(', ')})`);
  }
  const generator = String(flags.get('generator') ?? env.BENCH_GENERATOR ?? 'auto');
  if (!['auto', 'wrk', 'autocannon'].includes(generator)) throw new Error(`--generator must be auto, wrk or autocannon, got "${generator}"`);
  return {
    quick,
    durationS: number('duration', 'BENCH_DURATION', 5, 0.5, { min: 0.1 }),
    rounds: number('rounds', 'BENCH_ROUNDS', 5, 1, { min: 1, integer: true }),
    connections: number('connections', 'BENCH_CONNECTIONS', 32, 32, { min: 1, integer: true }),
    warmupS: number('warmup', 'BENCH_WARMUP', 2, 0),
    coldStarts: number('cold-starts', 'BENCH_COLD_STARTS', 7, 2, { min: 1, integer: true }),
    reloadEdits: number('reload-edits', 'BENCH_RELOAD_EDITS', 20, 3, { min: 1, integer: true }),
    rssRequests: number('rss-requests', 'BENCH_RSS_REQUESTS', 200_000, 2_000, { min: 1, integer: true }),
    scenarios: only.length ? SCENARIO_IDS.filter((id) => only.includes(id) || (id === 'routes10' && only.includes('routes1000'))) : SCENARIO_IDS,
    extras: only.length ? EXTRAS.filter((id) => only.includes(id)) : EXTRAS,
    generator,
    install: flags.get('no-install') !== true && env.BENCH_NO_INSTALL !== '1',
    out: flags.get('out') ?? env.BENCH_OUT,
  };
}
