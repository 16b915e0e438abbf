// Where the time goes: runs one scenario's localgw under `node --cpu-prof` with the same load as
// `npm run bench`, stops it (the profile is written on exit) and prints self and inclusive time
// by function and by package, for the main thread and each handler worker.
//
//   node bench/profile.mjs [--scenario plain] [--duration 10] [--connections 32] [--top 25]
//   node bench/profile.mjs --summarize FILE.cpuprofile   (an existing profile)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseGenerator, runLoad } from './lib/load.mjs';
import { BIN, httpRequest, startLocalgw, stopAll } from './lib/processes.mjs';
import { createProject } from './lib/project.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));

const SCENARIOS = {
  plain: { config: 'api', path: '/hello' },
  cors: { config: 'cors', path: '/hello', headers: { Origin: 'https://www.example.com' } },
  jwt: { config: 'api', path: '/secure/hello', token: true },
  routes1000: { config: 'routes1000', path: '/api/svc1000/items/42' },
  routes10000: { config: 'routes10000', path: '/api/svc10000/items/42' },
  v1: { config: 'api', path: '/v1/hello' },
  echo: { config: 'api', path: '/echo', method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'body100k' },
  upload: { config: 'api', path: '/upload', method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: 'body1m' },
  download: { config: 'api', path: '/download' },
  functions200: { config: 'functions200', path: '/fn200' },
};

function parse(argv) {
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].replace(/^--/, '').split('=');
    flags[name] = inline ?? argv[++i];
  }
  return flags;
}

/** Packages and Node internals, from a call frame's URL. */
function categoryOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url.startsWith('node:internal/worker') ? 'node:worker' : url.replace(/^node:(internal\/)?/, 'node:').split('/').slice(0, 2).join('/');
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  // What the bundle's source map leaves unmapped: the dependencies bundled in (see unbundled()).
  if (url.includes('/dist/cli-bundle/')) return '(dependencies bundled into the CLI)';
  const ours = /packages\/([^/]+)\//.exec(url);
  if (ours) return `@localgw/${ours[1]}`;
  return url.includes('/handlers/') ? 'handler code' : relative(REPO, fileURLToPath(url.startsWith('file:') ? url : `file://${url}`));
}

const sourceMaps = new Map();

/**
 * A frame of the bundled CLI (packages/localgw/dist/cli-bundle/), as the module it was bundled
 * from, through the bundle's source map: the figures by package and by function stay readable.
 */
function unbundled(frame) {
  if (!frame.url.includes('/dist/cli-bundle/')) return frame;
  let map = sourceMaps.get(frame.url);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(fileURLToPath(`${frame.url}.map`), 'utf8')));
    } catch {
      map = null;
    }
    sourceMaps.set(frame.url, map);
  }
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
  if (!entry?.originalSource) return frame;
  return { ...frame, url: new URL(entry.originalSource, frame.url).href, lineNumber: entry.originalLine };
}

export function summarize(file, top = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, { ...n, callFrame: unbundled(n.callFrame) }]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const key = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url ? `${relative(REPO, n.callFrame.url.replace(/^file:\/\//, ''))}:${n.callFrame.lineNumber + 1}` : ''}`;
  const self = new Map();
  const inclusive = new Map();
  const categories = new Map();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    self.set(key(node), (self.get(key(node)) ?? 0) + us);
    const cat = categoryOf(node.callFrame.url, node.callFrame.functionName);
    categories.set(cat, (categories.get(cat) ?? 0) + us);
    // Inclusive: every distinct function on the stack gets the sample once.
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const k = key(byId.get(at));
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const list = (map, n) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `  ${pct(us)}  ${k}`)
      .join('\n');
  const idle = selfUs.size ? [...selfUs].filter(([id]) => byId.get(id).callFrame.functionName === '(idle)').reduce((a, [, us]) => a + us, 0) : 0;
  return [
    `${relative(process.cwd(), file)}: ${(total / 1e6).toFixed(1)} s sampled, ${pct(idle).trim()} idle`,
    'by package / category (self time):',
    list(categories, 20),
    `top ${top} functions by self time:`,
    list(self, top),
    `top ${top} functions by inclusive time:`,
    list(
      new Map([...inclusive].filter(([k]) => !k.startsWith('(root)') && !k.startsWith('(program)') && !k.startsWith('(idle)'))),
      top,
    ),
  ].join('\n');
}

async function main() {
  const flags = parse(process.argv.slice(2));
  const top = Number(flags.top ?? 25);
  if (flags.summarize) {
    console.log(summarize(flags.summarize, top));
    return;
  }
  const id = flags.scenario ?? 'plain';
  const scenario = SCENARIOS[id];
  if (!scenario) throw new Error(`--scenario must be one of ${Object.keys(SCENARIOS).join(', ')}`);
  const durationS = Number(flags.duration ?? 10);
  const connections = Number(flags.connections ?? 32);
  const generator = chooseGenerator(flags.generator ?? 'auto', { install: true, log: (m) => console.error(`profile: ${m}`) });
  const profileDir = flags.out ?? join(REPO, 'bench', 'results', 'profiles', id);
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });
  const project = createProject();
  try {
    const headers = { ...scenario.headers };
    if (scenario.token) {
      const res = spawnSync(process.execPath, [BIN, 'token', '--config', project.configs.api, '--authorizer', 'main'], { encoding: 'utf8' });
      headers.Authorization = `Bearer ${res.stdout.trim()}`;
    }
    const gw = await startLocalgw(project.configs[scenario.config], { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir] });
    const url = gw.url + scenario.path;
    const bodyFile = scenario.body ? project[scenario.body] : undefined;
    const first = await httpRequest(url, { method: scenario.method, headers, body: bodyFile ? readFileSync(bodyFile) : undefined });
    if (first.status !== 200) throw new Error(`${id}: ${first.status} ${first.body}`);
    const options = { url, method: scenario.method, headers, bodyFile, connections, workDir: project.dir };
    await runLoad(generator, { ...options, durationS: 2 });
    const r = await runLoad(generator, { ...options, durationS });
    console.log(`${id}: ${Math.round(r.rps)} req/s, p50 ${r.latencyMs.p50.toFixed(2)} ms, p99 ${r.latencyMs.p99.toFixed(2)} ms (${gw.lines} log lines)`);
    await gw.stop('SIGINT');
  } finally {
    await stopAll();
    project.cleanup();
  }
  const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  for (const f of files) console.log(`\n${summarize(join(profileDir, f), top)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch(async (error) => {
    await stopAll();
    console.error(`profile: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
