import { spawnSync } from 'node:child_process';
import { basename, dirname, join, resolve } from 'node:path';
import { CDK_ASSEMBLY_DIR, isDirectory, isFile } from '../config/find-config.js';
import { LocalgwError } from '../errors.js';

/**
 * `--synth`: runs `npx cdk synth` for the CDK app (the folder with cdk.json that holds, or will
 * hold, cdk.out) before loading. `--no-staging` keeps each function's code where it is written
 * instead of copying it into cdk.out, so editing a handler reloads it without another synth (as
 * AWS suggests for SAM CLI). Synth output goes to stderr: stdout stays the gateway's.
 */
export function synthesize(config: string | undefined, log: (line: string) => void): void {
  const dir = appDir(config);
  if (!isFile(join(dir, 'cdk.json'))) {
    throw new LocalgwError('ERR_USAGE', `--synth: ${dir} has no cdk.json, so it is not a CDK app`);
  }
  log(`synthesizing the CDK app in ${dir} (npx cdk synth)…`);
  const started = performance.now();
  const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '--no-staging', '--no-notices'], {
    cwd: dir,
    stdio: ['ignore', 2, 2],
    shell: process.platform === 'win32',
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  if (result.error || result.status !== 0) {
    throw new LocalgwError('ERR_USAGE', `--synth: npx cdk synth failed in ${dir} (${result.error?.message ?? `exit ${result.status ?? result.signal}`}); its output is above`);
  }
  log(`synthesized in ${Math.round(performance.now() - started)} ms`);
}

/** The CDK app's folder for a `--config` that names it, its cdk.out, or a template inside cdk.out. */
function appDir(config: string | undefined): string {
  if (config === undefined) return process.cwd();
  const path = resolve(config);
  if (basename(path) === CDK_ASSEMBLY_DIR) return dirname(path);
  if (isDirectory(path)) return path;
  const parent = dirname(path);
  return basename(parent) === CDK_ASSEMBLY_DIR ? dirname(parent) : parent;
}
