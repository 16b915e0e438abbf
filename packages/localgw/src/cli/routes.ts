import { loadConfig } from '../config/load-config.js';
import { compileGateway } from '@localgw/core';
import { configPathFrom } from './config-path.js';
import { formatRouteTable } from './route-table.js';

export async function runRoutes(flags: { config?: string }): Promise<void> {
  const loaded = await loadConfig(configPathFrom(flags));
  const model = compileGateway(loaded.config);
  process.stdout.write(formatRouteTable(model.matcher.routes.map((r) => r.target)) + '\n');
}
