import { createGateway } from '../create-gateway.js';
import { configPathFrom, parseParameterOverrides } from './config-path.js';
import { formatApiTables } from './route-table.js';

export interface RoutesFlags {
  config?: string;
  api?: string;
  parameterOverrides?: string | string[];
  stage?: string;
}

/** The route table in match order; a template's APIs each get their own, with where each route is written. */
export async function runRoutes(flags: RoutesFlags): Promise<void> {
  const gateway = await createGateway({
    config: configPathFrom(flags),
    api: flags.api,
    stage: flags.stage,
    parameterOverrides: parseParameterOverrides(flags.parameterOverrides),
    devTokens: false,
  });
  try {
    process.stdout.write(formatApiTables(gateway.apis()) + '\n');
  } finally {
    await gateway.close();
  }
}
