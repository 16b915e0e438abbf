import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from './project.js';

export const CDK_EXAMPLE = join(REPO, 'examples/cdk');
const INPUTS = ['bin', 'lib', 'lambda', 'cdk.json', 'package.json'];
const isWindows = process.platform === 'win32';

/**
 * `npx cdk synth` in `dir` (offline: no version check, notices or telemetry). Throws with the
 * output when it fails. Returns how long it took.
 */
export function cdkSynth(dir: string, args: string[] = []): number {
  const started = performance.now();
  const res = spawnSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', ...args], {
    cwd: dir,
    encoding: 'utf8',
    shell: isWindows,
    timeout: 180_000,
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  if (res.status !== 0) throw new Error(`cdk synth failed in ${dir} (${res.status ?? res.error?.message}):\n${res.stdout}\n${res.stderr}`);
  return performance.now() - started;
}

/**
 * examples/cdk's cloud assembly, synthesized by the real CDK (not written by hand), once per
 * change of its inputs: the app's files and the aws-cdk-lib/aws-cdk versions are hashed, and
 * the hash of the last synth is kept in node_modules/.cache. Returns whether it synthesized.
 */
export function synthCdkExample(): { synthesized: boolean; durationMs: number } {
  const hash = createHash('sha256');
  for (const input of INPUTS) for (const file of filesOf(join(CDK_EXAMPLE, input))) hash.update(relative(CDK_EXAMPLE, file)).update(readFileSync(file));
  for (const pkg of ['aws-cdk-lib', 'aws-cdk']) hash.update(readFileSync(join(CDK_EXAMPLE, 'node_modules', pkg, 'package.json')));
  const digest = hash.digest('hex');
  const cacheDir = join(CDK_EXAMPLE, 'node_modules/.cache');
  const stamp = join(cacheDir, 'localgw-cdk-synth.txt');
  // The manifest's mtime too: another synth (`npm start` there runs one with --no-staging) replaces it.
  const manifest = join(CDK_EXAMPLE, 'cdk.out/manifest.json');
  const current = () => `${digest} ${statSync(manifest, { throwIfNoEntry: false })?.mtimeMs ?? 'none'}`;
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === current()) return { synthesized: false, durationMs: 0 };
  const durationMs = cdkSynth(CDK_EXAMPLE);
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(stamp, current());
  return { synthesized: true, durationMs };
}

function filesOf(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesOf(join(path, name)));
}
