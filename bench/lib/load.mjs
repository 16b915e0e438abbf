// Load generators behind one function: wrk (light, C, one thread) when it is there, autocannon
// (npm, runs in this process) otherwise. Every run is bounded by its duration.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Picks the generator. `auto`: wrk when on PATH; else, as root on a Debian-like machine (CI),
 * `apt-get install -y wrk`; else autocannon.
 */
export function chooseGenerator(wanted, { install, log }) {
  if (wanted === 'autocannon') return 'autocannon';
  if (hasWrk()) return 'wrk';
  if (wanted === 'wrk' || install) {
    if (tryInstallWrk(log) && hasWrk()) return 'wrk';
    if (wanted === 'wrk') throw new Error('wrk is not installed and could not be installed (apt-get install -y wrk needs root on Debian/Ubuntu)');
  }
  log('wrk not available: using autocannon (heavier on the CPU, so ratios read lower on 2 cores)');
  return 'autocannon';
}

function hasWrk() {
  const res = spawnSync('wrk', ['--version'], { stdio: 'ignore' });
  // wrk --version prints its banner and exits 1; a missing binary gives an error instead.
  return !res.error;
}

function tryInstallWrk(log) {
  if (process.platform !== 'linux' || typeof process.getuid !== 'function' || process.getuid() !== 0) return false;
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).error) return false;
  log('wrk is missing: installing it with apt-get (root, Debian)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env, timeout: 180_000 });
  if (update.status !== 0) return false;
  const install = spawnSync('apt-get', ['install', '-y', '-qq', 'wrk'], { stdio: 'ignore', env, timeout: 180_000 });
  return install.status === 0;
}

/**
 * One load run. Returns requests/s, latency percentiles in ms, and every kind of error (a
 * non-2xx answer counts as one: a benchmark of error pages would be meaningless).
 *
 * Options: `url`, `method`, `headers`, `bodyFile`, `connections`, `durationS`, `workDir` (where
 * wrk's script goes); `paceMs`: each connection waits a random 0…2×paceMs (mean paceMs) before
 * each request instead of sending the next at once, so the offered load is about
 * connections × 1000 / paceMs requests/s (latency is timed from the send, without the wait).
 */
export function runLoad(generator, options) {
  return generator === 'wrk' ? runWrk(options) : runAutocannon(options);
}

function luaString(text) {
  // JSON string escapes (\" \\ \n) are valid Lua escapes for the ASCII values used here.
  return JSON.stringify(text);
}

async function runWrk({ url, method = 'GET', headers = {}, bodyFile, connections, durationS, workDir, paceMs }) {
  const lines = [`wrk.method = ${luaString(method)}`];
  // wrk calls delay() before every request of a connection, the first included, so the
  // connections' requests are spread out from the start rather than sent in one burst.
  if (paceMs) lines.push(`delay = function() return math.random(0, ${2 * paceMs}) end`);
  for (const [name, value] of Object.entries(headers)) lines.push(`wrk.headers[${luaString(name)}] = ${luaString(value)}`);
  if (bodyFile) lines.push(`do local f = assert(io.open(${luaString(bodyFile)}, "rb")); wrk.body = f:read("*a"); f:close() end`);
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format("\\n@@BENCH {\\"requests\\":%d,\\"durationUs\\":%d,\\"bytes\\":%d,\\"connect\\":%d,\\"read\\":%d,\\"write\\":%d,\\"status\\":%d,\\"timeout\\":%d,\\"p50\\":%d,\\"p90\\":%d,\\"p99\\":%d,\\"max\\":%d}\\n",',
    '    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,',
    '    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))',
    'end',
  );
  const script = join(workDir, `wrk-${process.pid}-${Date.now()}.lua`);
  writeFileSync(script, lines.join('\n') + '\n');
  // wrk takes whole seconds.
  const seconds = Math.max(1, Math.round(durationS));
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '-s', script, url];
  const output = await new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.stderr.on('data', (chunk) => (text += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(text);
      else reject(new Error(`wrk ${args.join(' ')} exited ${code}:\n${text}`));
    });
  });
  const line = output.split('\n').find((l) => l.startsWith('@@BENCH '));
  if (!line) throw new Error(`wrk printed no summary:\n${output}`);
  const r = JSON.parse(line.slice('@@BENCH '.length));
  const durationSec = r.durationUs / 1e6;
  return {
    requests: r.requests,
    durationS: durationSec,
    rps: r.requests / durationSec,
    latencyMs: { p50: r.p50 / 1000, p90: r.p90 / 1000, p99: r.p99 / 1000, max: r.max / 1000 },
    errors: { connect: r.connect, read: r.read, write: r.write, timeout: r.timeout, non2xx: r.status },
  };
}

async function runAutocannon({ url, method = 'GET', headers = {}, bodyFile, connections, durationS, paceMs }) {
  const { default: autocannon } = await import('autocannon');
  const result = await autocannon({
    url,
    method,
    headers,
    body: bodyFile ? readFileSync(bodyFile) : undefined,
    connections,
    duration: durationS,
    timeout: 5,
    workers: 0,
    // A steady rate per connection (autocannon has no random think time).
    ...(paceMs && { connectionRate: 1000 / paceMs }),
  });
  const durationSec = result.duration;
  const total = result.requests.total;
  return {
    requests: total,
    durationS: durationSec,
    rps: total / durationSec,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    errors: { connect: 0, read: result.errors - result.timeouts, write: 0, timeout: result.timeouts, non2xx: result.non2xx },
  };
}

export function errorCount(result) {
  const e = result.errors;
  return e.connect + e.read + e.write + e.timeout + e.non2xx;
}
