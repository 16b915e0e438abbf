// Command-line flags of the harness; each has an environment variable for CI (BENCH_*).

const SCENARIO_IDS = ['plain', 'cors', 'jwt', 'routes10', 'routes1000', 'routes10000', 'v1', 'echo', 'upload', 'download', 'functions200', 'conns2000', 'conns2000paced', 'inspector', 'python'];
/** Measures besides the load table; `soak` runs only when asked (`--soak`, or named in --only). */
const EXTRAS = ['coldstart', 'pycoldstart', 'startup', 'memory', 'reload', 'functions', 'compile', 'soak'];
const OPT_IN = ['soak'];
const PEERS = ['serverless-offline'];

const HELP = `Usage: node bench/run.mjs [options]   (npm run bench)

Loads localgw and a bare node:http server answering with the same bytes, alternately, several
rounds, and reports median requests/s, p50/p99 latency and the ratio to bare node:http; then the
start-up, memory, reload and scale measures. See bench/README.md for what each one does.

  --duration S        seconds per target per round (default 5; BENCH_DURATION)
  --rounds N          alternating rounds (default 5; BENCH_ROUNDS)
  --connections N     concurrent connections, one generator thread (default 32; BENCH_CONNECTIONS);
                      the conns2000 scenarios always use 2,000
  --warmup S          warm-up seconds per target before the rounds (default 2; 0 in --quick)
  --quick             smoke run: 1 round of 0.5 s, 2 cold starts, 3 reload edits, 2,000 requests
                      for RSS, 20 functions started once with idleTimeout 1 s, a 6 s soak
  --only LIST         comma-separated scenarios and measures:
                      ${SCENARIO_IDS.join(', ')},
                      ${EXTRAS.join(', ')}
  --generator NAME    auto (default) | wrk | autocannon (BENCH_GENERATOR)
  --no-install        with auto: do not apt-get install wrk when it is missing
  --cold-starts N     cold starts to take the median of (default 7)
  --reload-edits N    handler edits, and as many config edits, for the reload medians (default 20)
  --rss-requests N    requests for the RSS growth figure (default 200000)
  --functions N       functions in the many-functions project (default 200; 20 in --quick)
  --function-starts N starts of that project for its ready median (default 3; 1 in --quick)
  --idle-timeout S    that project's idleTimeout, in seconds (default 60; 1 in --quick): longer
                      than serving every function takes, or some stop before the RSS is read
  --compile-starts N  localgw start with 10 and 10,000 routes, each, for the start-up delta (default 3)
  --soak              also run the soak: the plain route at full load (not in the default run)
  --soak-minutes M    the soak's length (default 10; 0.1 in --quick; BENCH_SOAK_MINUTES)
  --peer NAME         also measure ${PEERS.join(' | ')} on plain, jwt and echo, in the same rounds
                      (installs serverless-offline 13 + Serverless Framework 3 with npm, once)
  --peer-cache DIR    where the peer is installed and kept between runs (default: under the OS temp folder)
  --peer-install-timeout S  bound on the peer's npm install (default 300)
  --out DIR           where latest.json and latest.md go (default bench/results)
  --help`;

const BOOLEAN_FLAGS = ['quick', 'no-install', 'help', 'soak'];

export function parseArgs(argv, env = process.env) {
  const flags = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}" (see --help)`);
    const eq = arg.indexOf('=');
    if (eq > 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (BOOLEAN_FLAGS.includes(arg.slice(2))) flags.set(arg.slice(2), true);
    else if (i + 1 < argv.length) flags.set(arg.slice(2), argv[++i]);
    else throw new Error(`${arg} needs a value`);
  }
  if (flags.has('help')) return { help: HELP };
  const known = new Set([
    ...BOOLEAN_FLAGS,
    'duration',
    'rounds',
    'connections',
    'warmup',
    'only',
    'generator',
    'cold-starts',
    'reload-edits',
    'rss-requests',
    'functions',
    'function-starts',
    'idle-timeout',
    'compile-starts',
    'soak-minutes',
    'peer',
    'peer-cache',
    'peer-install-timeout',
    'out',
  ]);
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
  const peer = flags.get('peer') ?? env.BENCH_PEER;
  if (peer !== undefined && !PEERS.includes(peer)) throw new Error(`--peer must be ${PEERS.join(' or ')}, got "${peer}"`);
  const soak = flags.get('soak') === true || env.BENCH_SOAK === '1';
  // The ratio of 1,000 and 10,000 routes is to 10 routes, measured in the same rounds.
  const needsRoutes10 = only.includes('routes1000') || only.includes('routes10000');
  return {
    quick,
    durationS: number('duration', 'BENCH_DURATION', 5, 0.5, { min: 0.1 }),
    rounds: number('rounds', 'BENCH_ROUNDS', 5, 1, { min: 1, integer: true }),
    connections: number('connections', 'BENCH_CONNECTIONS', 32, 32, { min: 1, integer: true }),
    warmupS: number('warmup', 'BENCH_WARMUP', 2, 0),
    coldStarts: number('cold-starts', 'BENCH_COLD_STARTS', 7, 2, { min: 1, integer: true }),
    reloadEdits: number('reload-edits', 'BENCH_RELOAD_EDITS', 20, 3, { min: 1, integer: true }),
    rssRequests: number('rss-requests', 'BENCH_RSS_REQUESTS', 200_000, 2_000, { min: 1, integer: true }),
    functions: number('functions', 'BENCH_FUNCTIONS', 200, 20, { min: 1, integer: true }),
    functionStarts: number('function-starts', 'BENCH_FUNCTION_STARTS', 3, 1, { min: 1, integer: true }),
    idleTimeoutS: number('idle-timeout', 'BENCH_IDLE_TIMEOUT', 60, 1, { min: 1 }),
    compileStarts: number('compile-starts', 'BENCH_COMPILE_STARTS', 3, 1, { min: 1, integer: true }),
    soakMinutes: number('soak-minutes', 'BENCH_SOAK_MINUTES', 10, 0.1, { min: 0.05 }),
    peerInstallTimeoutS: number('peer-install-timeout', 'BENCH_PEER_INSTALL_TIMEOUT', 300, 300, { min: 10 }),
    scenarios: only.length ? SCENARIO_IDS.filter((id) => only.includes(id) || (id === 'routes10' && needsRoutes10)) : SCENARIO_IDS,
    extras: only.length ? EXTRAS.filter((id) => only.includes(id) || (id === 'soak' && soak)) : EXTRAS.filter((id) => !OPT_IN.includes(id) || soak),
    generator,
    install: flags.get('no-install') !== true && env.BENCH_NO_INSTALL !== '1',
    peer,
    peerCache: flags.get('peer-cache') ?? env.BENCH_PEER_CACHE,
    out: flags.get('out') ?? env.BENCH_OUT,
  };
}
