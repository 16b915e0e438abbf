import { CONFIG_FILE_NAMES, findConfigFile } from '../config/find-config.js';
import { LocalgwError } from '../errors.js';

export function configPathFrom(options: { config?: string }): string {
  if (options.config) return options.config;
  const found = findConfigFile(process.cwd());
  if (!found) {
    throw new LocalgwError(
      'ERR_CONFIG_NOT_FOUND',
      `No config file in ${process.cwd()}: looked for ${CONFIG_FILE_NAMES.join(', ')}. Create one (see docs/configuration.md) or pass --config FILE.`,
    );
  }
  return found;
}
