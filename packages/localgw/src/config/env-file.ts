import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { LocalgwError } from '../errors.js';

export interface EnvFiles {
  /** Variables for the handlers, later files overriding earlier ones. */
  values: Record<string, string>;
  /** The files read (and watched). */
  files: string[];
}

/**
 * Handler environment from dotenv files: `.env` next to the config when it exists, then an
 * explicit one (`--dotenv`, the `envFile` option). Node's own parser (`util.parseEnv`) reads them, the same syntax as
 * `node --env-file`.
 */
export function loadEnvFiles(baseDir: string, envFile: string | undefined, cwd: string): EnvFiles {
  const files: string[] = [];
  const automatic = join(baseDir, '.env');
  if (existsSync(automatic)) files.push(automatic);
  if (envFile !== undefined) {
    const explicit = resolve(cwd, envFile);
    if (!existsSync(explicit)) {
      throw new LocalgwError('ERR_CONFIG_NOT_FOUND', `dotenv file ${envFile}: no such file (resolved to ${explicit})`, { file: explicit });
    }
    if (!files.includes(explicit)) files.push(explicit);
  }
  const values: Record<string, string> = {};
  for (const file of files) Object.assign(values, parseEnv(readFileSync(file, 'utf8')));
  return { values, files };
}
