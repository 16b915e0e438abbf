import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './project.js';

// The real AWS CLI against localgw's admin server: Debian's `awscli` (installed when missing by
// scripts/ensure-awscli.mjs, which this runs, as `npm test` does), with dummy credentials and a
// region, and none of the user's own configuration.

let cliPath: string | undefined;

/** The `aws` executable; installs Debian's package when it is missing, and fails loudly when it cannot. */
export function awsCliPath(): string {
  if (cliPath) return cliPath;
  const res = spawnSync(process.execPath, [join(REPO, 'scripts/ensure-awscli.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 });
  const found = res.stdout.trim().split('\n').at(-1);
  if (res.status !== 0 || !found) throw new Error(`scripts/ensure-awscli.mjs could not provide the AWS CLI (exit ${res.status}): the management API e2e tests need it`);
  cliPath = found;
  return found;
}

// An empty home for the CLI: no profile, config or cache of the user's can change what it sends.
const home = mkdtempSync(join(tmpdir(), 'localgw-aws-'));
const ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: home,
  AWS_ACCESS_KEY_ID: 'AKIDLOCALGWTEST',
  AWS_SECRET_ACCESS_KEY: 'localgw-test-secret',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: join(home, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
  AWS_PAGER: '',
  AWS_EC2_METADATA_DISABLED: 'true',
};

export interface AwsResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (the CLI's default output). */
  json(): any;
}

/** `aws --endpoint-url ENDPOINT apigatewayv2 ARGS…`, as a user types it. */
export function apigatewayv2(endpoint: string, args: string[]): Promise<AwsResult> {
  return aws(['--endpoint-url', endpoint, 'apigatewayv2', ...args]);
}

export function aws(args: string[]): Promise<AwsResult> {
  const file = awsCliPath();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: ENV, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) }));
  });
}
