// The processes a run starts: `localgw start` (the built CLI, exactly what a user runs) and the
// bare node:http baseline. Each is stopped by its own PID; nothing here outlives the run.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../packages/localgw/bin/localgw.js', import.meta.url));
export const BARE_SERVER = fileURLToPath(new URL('../fixtures/bare-server.mjs', import.meta.url));

const URL_PATTERN = /http:\/\/127\.0\.0\.1:\d+/;
/** Output kept per process for error messages; the rest (one log line per request) is dropped. */
const KEEP_CHARS = 16_384;

const started = new Set();

/** `localgw start --port 0 --config FILE`; resolves once it prints its URL. */
export function startLocalgw(config, { watch = false, cwd, nodeArgs = [], timeoutMs = 30_000 } = {}) {
  const args = [...nodeArgs, BIN, 'start', '--port', '0', '--config', config];
  if (!watch) args.push('--no-watch');
  return startServer('localgw', args, { cwd, timeoutMs });
}

export function startBare({ timeoutMs = 15_000 } = {}) {
  return startServer('bare node:http', [BARE_SERVER], { timeoutMs });
}

/**
 * Spawns `node ARGS`, drains its output (a pipe that fills up would stall the server: localgw
 * logs one line per request) and waits for the first `http://127.0.0.1:PORT` (or the first match
 * of `urlPattern`'s group 1).
 */
export function startServer(name, args, { cwd, timeoutMs, spawnedAt = performance.now(), env = {}, urlPattern = URL_PATTERN }) {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  // The server shares the machine with this process: draining its log (a line per request,
  // megabytes a second) must cost little, so chunks stay bytes until output() is asked for.
  let head = '';
  let tail = [];
  let tailBytes = 0;
  let lines = 0;
  let url;
  let onUrl;
  const onData = (chunk) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    if (head.length < KEEP_CHARS) {
      head += chunk.toString('utf8', 0, KEEP_CHARS - head.length);
      if (url === undefined) {
        const m = urlPattern.exec(head);
        if (m) {
          url = m[1] ?? m[0];
          onUrl?.();
        }
      }
    }
    tail.push(chunk);
    tailBytes += chunk.length;
    while (tailBytes - tail[0].length >= KEEP_CHARS) tailBytes -= tail.shift().length;
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  exited.then(() => started.delete(child));

  const handle = {
    name,
    child,
    pid: child.pid,
    get url() {
      return url;
    },
    /** Lines printed so far (localgw: about one per request). */
    get lines() {
      return lines;
    },
    output: () => (head.length < KEEP_CHARS ? head : `${head}\n…\n${Buffer.concat(tail).toString('utf8').slice(-KEEP_CHARS)}`),
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void handle.stop('SIGKILL');
      reject(new Error(`${name} printed no URL within ${timeoutMs} ms:\n${handle.output()}`));
    }, timeoutMs);
    onUrl = () => {
      clearTimeout(timer);
      handle.readyMs = performance.now() - spawnedAt;
      resolve(handle);
    };
    if (url !== undefined) onUrl();
    void exited.then((code) => {
      if (url === undefined) {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${code}) before printing its URL:\n${handle.output()}`));
      }
    });
  });
}

/** Stops whatever this run started and is still alive (on error paths). */
export async function stopAll() {
  await Promise.all([...started].map((child) => {
    if (child.exitCode !== null || child.signalCode !== null) return undefined;
    child.kill('SIGTERM');
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }));
}

/**
 * Whether `needed` open files are allowed: each side of a connection holds a descriptor, in the
 * generator and in the server. Node raises its own soft limit to the hard limit when it starts
 * (and the processes it spawns inherit that), so the hard limit is what counts; nothing here
 * can raise it. Returns `{ soft, hard, needed }` (this process's limits, as its children get
 * them); throws with what to do when the hard limit is too low.
 */
export function checkFdLimit(needed) {
  const res = spawnSync('/bin/sh', ['-c', 'ulimit -S -n; ulimit -H -n'], { encoding: 'utf8' });
  const [soft, hard] = (res.stdout ?? '').trim().split('\n').map((v) => (v === 'unlimited' ? Infinity : Number(v)));
  if (res.status !== 0 || !Number.isFinite(soft)) return { soft: undefined, hard: undefined, needed };
  if (hard < needed) {
    throw new Error(`${needed} open files are needed and the limit is ${hard} (ulimit -H -n): raise it (e.g. ulimit -n ${needed} as root, or /etc/security/limits.conf), or use fewer --connections`);
  }
  return { soft, hard, needed };
}

/** A free TCP port on 127.0.0.1, for a server that cannot be told `--port 0` (the peer). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resident set of a whole process, worker threads included (they share it), in MB. */
export function rssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux: ask ps below
  }
  const res = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  const kb = Number(res.stdout.trim());
  return Number.isFinite(kb) && kb > 0 ? kb / 1024 : NaN;
}

/** The median of `count` RSS readings `intervalMs` apart: one reading swings with each collection. */
export async function settledRssMb(pid, { count = 5, intervalMs = 200 } = {}) {
  const readings = [];
  for (let i = 0; i < count; i++) {
    if (i > 0) await sleep(intervalMs);
    readings.push(rssMb(pid));
  }
  readings.sort((a, b) => a - b);
  return readings[readings.length >> 1];
}

/** Threads of a process (main + workers + Node's own), Linux only. */
export function threadCount(pid) {
  try {
    const m = /^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** One HTTP request on a fresh connection: `{ status, headers, body }`. */
export function httpRequest(url, { method = 'GET', headers = {}, body, timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
