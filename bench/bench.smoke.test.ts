// A smoke run of the benchmark harness, so that `npm run bench` cannot rot: every scenario and
// measure runs once, briefly, and the outputs must be well-formed. Timings are never asserted
// (a loaded CI machine may be slow); only that each figure was measured.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const RUN = fileURLToPath(new URL('./run.mjs', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'localgw-bench-smoke-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

function runHarness(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // --no-install: a test never installs system packages; without wrk the harness uses autocannon.
    const child = spawn(process.execPath, [RUN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Side {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
}

interface Results {
  meta: { generator: string; rounds: number; quick: boolean };
  scenarios: Record<string, { id: string; label: string; localgw: Side; bare: Side; ratio: number; vsRoutes10?: number }>;
  coldStart: { medianMs: number; samplesMs: number[] };
  pythonColdStart: { medianMs: number; samplesMs: number[]; warmMedianMs: number };
  memory: { idleRssMb: number; warmRssMb: number; afterRssMb: number; growthMb: number; requests: number };
  reload: { edits: number; missed: number; samplesMs: number[]; configSamplesMs: number[] };
  startup: { coldReadyMs: number; readyMedianMs: number; closeMedianMs: number; iterations: number };
  targets: Array<{ id: string; label: string; goal: string; value: number | null; met: boolean | null }>;
}

describe('bench harness (smoke run)', () => {
  it('measures every scenario and writes the table and the JSON', { timeout: 180_000 }, async () => {
    const run = await runHarness(['--quick', '--no-install', '--out', out]);
    expect(run.code, `bench failed:\n${run.stderr}`).toBe(0);

    const results = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as Results;
    expect(results.meta.quick).toBe(true);
    expect(['wrk', 'autocannon']).toContain(results.meta.generator);
    expect(Object.keys(results.scenarios).sort()).toEqual(['cors', 'echo', 'jwt', 'plain', 'python', 'routes10', 'routes1000', 'v1']);
    for (const s of Object.values(results.scenarios)) {
      for (const side of [s.localgw, s.bare]) {
        expect(side.rps, `${s.id} req/s`).toBeGreaterThan(0);
        expect(side.requests, `${s.id} requests`).toBeGreaterThan(0);
        expect(Number.isFinite(side.p50Ms) && Number.isFinite(side.p99Ms), `${s.id} latency`).toBe(true);
      }
      expect(s.ratio, `${s.id} ratio`).toBeGreaterThan(0);
    }
    expect(results.scenarios.routes1000!.vsRoutes10).toBeGreaterThan(0);

    expect(results.coldStart.samplesMs.length).toBeGreaterThan(0);
    expect(results.coldStart.medianMs).toBeGreaterThan(0);
    expect(results.pythonColdStart.samplesMs.length).toBeGreaterThan(0);
    expect(results.pythonColdStart.medianMs).toBeGreaterThan(0);
    expect(results.memory.idleRssMb).toBeGreaterThan(0);
    expect(results.memory.requests).toBeGreaterThan(0);
    expect(Number.isFinite(results.memory.growthMb)).toBe(true);
    expect(results.reload.edits).toBeGreaterThan(0);
    expect(results.reload.samplesMs.length + results.reload.configSamplesMs.length + results.reload.missed).toBe(2 * results.reload.edits);
    expect(results.startup.iterations).toBeGreaterThan(0);
    expect(results.startup.readyMedianMs).toBeGreaterThan(0);
    expect(results.startup.closeMedianMs).toBeGreaterThan(0);

    // Every target of issues 5, 6, 7 and 19 is evaluated, met or not.
    expect(results.targets.map((t) => t.id)).toEqual([
      'plain-ratio',
      'cors-ratio',
      'jwt-ratio',
      'routes-ratio',
      'plain-p99',
      'python-ratio',
      'python-cold-start',
      'cold-start',
      'startup-ready',
      'startup-close',
      'reload-handler',
      'reload-config',
      'idle-rss',
      'rss-growth',
    ]);
    for (const t of results.targets) {
      expect(typeof t.value, t.label).toBe('number');
      expect(typeof t.met, t.label).toBe('boolean');
    }

    const markdown = readFileSync(join(out, 'latest.md'), 'utf8');
    expect(run.stdout).toBe(markdown);
    expect(markdown).toContain('| scenario | localgw req/s |');
    for (const s of Object.values(results.scenarios)) expect(markdown).toContain(`| ${s.label} |`);
    expect(markdown).toMatch(/[✓✗]/);
  });

  it('rejects unknown options with a message', async () => {
    const run = await runHarness(['--no-such-flag', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('unknown option --no-such-flag');
  });
});
