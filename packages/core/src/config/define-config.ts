import type { LocalgwConfig } from './schema.js';

/**
 * Identity function that gives a `localgw.config.ts` editor completion and type checking:
 * `export default defineConfig({ routes: { 'GET /hello': 'handlers/hello.handler' } })`.
 */
export function defineConfig<const T extends LocalgwConfig>(config: T): T {
  return config;
}
