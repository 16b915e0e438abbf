import { formatIssue } from '@localgw/core';
import { LocalgwError } from '../errors.js';
import { createConsoleLogger } from '../log.js';
import { startGateway } from '../start-gateway.js';
import { configPathFrom } from './config-path.js';
import { formatRouteTable } from './route-table.js';

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
}

export async function runStart(flags: StartFlags): Promise<void> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LocalgwError('ERR_USAGE', `--port must be a whole number from 0 to 65535 (0 picks a free port), got "${flags.port}"`);
  }
  const logger = createConsoleLogger();
  const gw = await startGateway({
    config: configPathFrom(flags),
    port,
    host: flags.host,
    stage: flags.stage,
    watch: flags.watch !== false,
    envFile: flags.dotenv ?? flags.envFile,
    logger,
    ...(flags.devTokens === false ? { devTokens: false } : {}),
  });
  for (const warning of gw.warnings()) logger.warn(`warning: ${formatIssue(warning)}`);
  // performance.now() counts from process start: the figure a user waits for.
  logger.info(`localgw ready in ${Math.round(performance.now())} ms → ${gw.url}`);
  logger.info(formatRouteTable(gw.routes()));
  if (flags.host !== '127.0.0.1' && flags.host !== 'localhost' && flags.host !== '::1') {
    logger.warn(`listening on ${flags.host}: reachable from other machines on the network`);
  }
  const stop = async () => {
    await gw.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
