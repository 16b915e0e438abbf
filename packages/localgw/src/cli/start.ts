import { formatIssue } from '@localgw/core';
import { constants } from 'node:os';
import { LocalgwError } from '../errors.js';
import { createConsoleLogger } from '../log.js';
import { defaultAdminPort, startGateway } from '../start-gateway.js';
import { findProjectConfig, isUnsynthesizedCdkApp } from '../config/find-config.js';
import { configPathFrom, parseParameterOverrides } from './config-path.js';
import { reportError } from './report-error.js';
import { formatApiTables } from './route-table.js';
import { synthesize } from './synth.js';

export interface StartFlags {
  config?: string;
  port: number | string;
  host: string;
  stage?: string;
  /** false with --no-watch, else absent. */
  watch?: boolean;
  /** false with --no-dev-tokens, else absent. */
  devTokens?: boolean;
  dotenv?: string;
  /** The old name of --dotenv. */
  envFile?: string;
  api?: string;
  parameterOverrides?: string | string[];
  envVars?: string;
  synth?: boolean;
  adminPort?: string;
  /** false with --no-admin, else absent. */
  admin?: boolean;
  state?: string;
}

export async function runStart(flags: StartFlags): Promise<void> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LocalgwError('ERR_USAGE', `--port must be a whole number from 0 to 65535 (0 picks a free port), got "${flags.port}"`);
  }
  const adminOn = flags.admin !== false;
  const adminPort = flags.adminPort === undefined ? defaultAdminPort(port) : Number(flags.adminPort);
  if (adminOn && (!Number.isInteger(adminPort) || adminPort < 0 || adminPort > 65535)) {
    throw new LocalgwError('ERR_USAGE', `--admin-port must be a whole number from 0 to 65535 (0 picks a free port), got "${flags.adminPort}"`);
  }
  const logger = createConsoleLogger();
  if (flags.synth) synthesize(flags.config, (line) => logger.info(line));
  // With the admin server, a folder without a config is fine: the management API makes the APIs.
  const config = adminOn && flags.config === undefined && !hasProjectConfig(process.cwd()) ? undefined : configPathFrom(flags);
  const gw = await startGateway({
    config,
    admin: adminOn && { port: adminPort },
    ...(flags.state !== undefined && { stateFile: flags.state }),
    port,
    host: flags.host,
    stage: flags.stage,
    watch: flags.watch !== false,
    // The cold start a developer waits for: a worker boots while the rest of the start goes on.
    spareWorker: true,
    envFile: flags.dotenv ?? flags.envFile,
    api: flags.api,
    parameterOverrides: parseParameterOverrides(flags.parameterOverrides),
    envVars: flags.envVars,
    logger,
    ...(flags.devTokens === false ? { devTokens: false } : {}),
  });
  for (const warning of gw.warnings()) logger.warn(`warning: ${formatIssue(warning)}`);
  // performance.now() counts from process start: the figure a user waits for.
  logger.info(`localgw ready in ${Math.round(performance.now())} ms → ${gw.url}`);
  if (config === undefined && gw.apis().every((api) => !api.managed)) {
    logger.info(`no config file in ${process.cwd()}: serving only the APIs the management API creates (aws --endpoint-url ${gw.adminUrl} apigatewayv2 create-api …)`);
  } else logger.info(formatApiTables(gw.apis(), { url: gw.url }));
  if (gw.adminUrl) logger.info(`admin ${gw.adminUrl} · request inspector: ${gw.adminUrl}/ · management API: aws --endpoint-url ${gw.adminUrl} apigatewayv2 get-apis`);
  if (flags.host !== '127.0.0.1' && flags.host !== 'localhost' && flags.host !== '::1') {
    logger.warn(`listening on ${flags.host}: reachable from other machines on the network`);
  }
  // The first signal lets the requests in flight have their answer (close() cuts stalled
  // uploads and idle connections); a second one, of either kind, stops at once.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(128 + constants.signals[signal]);
    stopping = true;
    logger.info(`stopping: requests in flight get their answer first (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to stop now)`);
    gw.close().then(
      () => process.exit(0),
      (error: unknown) => process.exit(reportError(error)),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** A config `localgw start` would find (or a CDK app to tell the user to synthesize). */
function hasProjectConfig(cwd: string): boolean {
  return findProjectConfig(cwd) !== undefined || isUnsynthesizedCdkApp(cwd);
}
