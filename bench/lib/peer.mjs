// `--peer serverless-offline` (issue 17): the tool most localgw users come from, measured in the
// same run on the same scenarios rather than quoted. serverless-offline 13 runs as a plugin of
// Serverless Framework 3 (v4 needs a login); both are installed with npm from the registry npm is
// configured with, into a cache folder outside the repository, once, and reused by later runs.
//
// The equivalent serverless.yml: httpApi events for GET /hello, POST /echo and GET /secure/hello
// behind a JWT authorizer with the issuer and audience of the localgw config. serverless-offline
// only supports JWT authorizers with `ignoreJWTSignature` (without it, 13.x fails to start on a
// JWT authorizer); it then decodes the token and checks its expiry, issuer, audience and scopes
// but NOT its signature, so its JWT route does less work than localgw's, which verifies it.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startServer } from './processes.mjs';

export const PEERS = ['serverless-offline'];

/** What the cache folder holds; a change of majors is a new folder. */
const SPEC = { serverless: '^3', 'serverless-offline': '^13' };
const CACHE_NAME = 'serverless-offline-13-serverless-3';
/** Written last by a complete install: a folder without it (a timed-out install) is redone. */
const MARKER = '.installed.json';

export function defaultPeerCache() {
  return join(tmpdir(), 'localgw-bench-peers', CACHE_NAME);
}

const versionOf = (dir, name) => JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;

/**
 * Installs (or finds installed) serverless@3 and serverless-offline@13 in `cacheDir`. Bounded by
 * `timeoutS`; a failure says why and what to do. Returns the versions and how long it took.
 */
export async function installPeer({ cacheDir = defaultPeerCache(), timeoutS, log }) {
  const marker = join(cacheDir, MARKER);
  if (existsSync(marker)) {
    const installed = JSON.parse(readFileSync(marker, 'utf8'));
    log(`peer: serverless-offline ${installed.serverlessOffline} and serverless ${installed.serverless} already in ${cacheDir}`);
    return { ...installed, cacheDir, cached: true, installMs: 0 };
  }
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(join(cacheDir, 'package.json'), JSON.stringify({ name: 'localgw-bench-peer', private: true, dependencies: SPEC }, null, 2) + '\n');
  log(`peer: npm install serverless@${SPEC.serverless} serverless-offline@${SPEC['serverless-offline']} into ${cacheDir} (at most ${timeoutS} s)…`);
  const started = performance.now();
  // No install scripts: both are plain JavaScript, and theirs only print banners.
  const args = ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'];
  const { code, output, timedOut } = await new Promise((resolve) => {
    const child = spawn('npm', args, { cwd: cacheDir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
    let text = '';
    child.stdout.on('data', (chunk) => (text = (text + chunk).slice(-8_000)));
    child.stderr.on('data', (chunk) => (text = (text + chunk).slice(-8_000)));
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      child.kill('SIGKILL');
    }, timeoutS * 1000);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, output: error.message, timedOut: false });
    });
    child.once('exit', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ code: exitCode ?? signal, output: text, timedOut: expired });
    });
  });
  const installMs = performance.now() - started;
  if (code !== 0) {
    rmSync(cacheDir, { recursive: true, force: true });
    const why = timedOut ? `did not finish within ${timeoutS} s (--peer-install-timeout)` : `failed (${code})`;
    throw new Error(
      `--peer serverless-offline: \`npm ${args.join(' ')}\` of serverless@${SPEC.serverless} and serverless-offline@${SPEC['serverless-offline']} ${why}. ` +
        `It needs the npm registry; run without --peer, or install both yourself in ${cacheDir} and write their versions to ${MARKER} there ({"serverless":"3.x.y","serverlessOffline":"13.x.y"}).\n${output.trim()}`,
    );
  }
  const installed = { serverless: versionOf(cacheDir, 'serverless'), serverlessOffline: versionOf(cacheDir, 'serverless-offline') };
  if (!installed.serverless.startsWith('3.') || !installed.serverlessOffline.startsWith('13.')) {
    throw new Error(`--peer: npm installed serverless ${installed.serverless} and serverless-offline ${installed.serverlessOffline}; expected 3.x and 13.x`);
  }
  writeFileSync(marker, JSON.stringify(installed) + '\n');
  log(`peer: installed in ${(installMs / 1000).toFixed(1)} s`);
  return { ...installed, cacheDir, cached: false, installMs };
}

/** serverless.yml equivalent to the routes of api.config.json the peer scenarios use. */
function serverlessYml({ httpPort, lambdaPort }) {
  return `# Written by bench/lib/peer.mjs: the plain, JWT and 100 kB echo routes of api.config.json.
service: localgw-bench
frameworkVersion: '3'
provider:
  name: aws
  runtime: nodejs20.x
  region: us-east-1
  stage: dev
  httpApi:
    authorizers:
      main:
        type: jwt
        identitySource: $request.header.Authorization
        issuerUrl: https://issuer.bench.localgw.test
        audience:
          - bench-client
plugins:
  - serverless-offline
custom:
  serverless-offline:
    host: 127.0.0.1
    httpPort: ${httpPort}
    lambdaPort: ${lambdaPort}
    noPrependStageInUrl: true
    # The only JWT mode serverless-offline has: claims checked, signature not.
    ignoreJWTSignature: true
    noSponsor: true
functions:
  hello:
    handler: handlers/hello.handler
    events:
      - httpApi: 'GET /hello'
      - httpApi:
          method: GET
          path: /secure/hello
          authorizer:
            name: main
  echo:
    handler: handlers/echo.handler
    events:
      - httpApi: 'POST /echo'
`;
}

/**
 * Writes the peer's service folder into the bench project (the same handler files as localgw's,
 * `node_modules` linked to the cache) and starts `serverless offline start` in it. Resolves with
 * a handle like `startLocalgw`'s once it prints "Server ready".
 */
export async function startPeer(install, project) {
  const dir = project.path('peer-serverless-offline');
  mkdirSync(dir, { recursive: true });
  cpSync(project.path('handlers'), join(dir, 'handlers'), { recursive: true });
  symlinkSync(join(install.cacheDir, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  writeFileSync(join(dir, 'serverless.yml'), serverlessYml({ httpPort, lambdaPort }));
  const bin = join(install.cacheDir, 'node_modules', 'serverless', 'bin', 'serverless.js');
  return startServer('serverless-offline', [bin, 'offline', 'start'], {
    cwd: dir,
    timeoutMs: 90_000,
    // No telemetry, no update checks: nothing leaves the machine while it runs.
    env: { SLS_TELEMETRY_DISABLED: '1', SLS_TRACKING_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
    // It prints its lambda port's URL first; the API is the one on the "Server ready" line.
    urlPattern: /Server ready: (http:\/\/127\.0\.0\.1:\d+)/,
  });
}
