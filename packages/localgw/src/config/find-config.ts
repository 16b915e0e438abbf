import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Looked for in this order in the working directory (DESIGN.md "CLI"). */
export const CONFIG_FILE_NAMES = [
  'localgw.config.ts',
  'localgw.config.mts',
  'localgw.config.js',
  'localgw.config.mjs',
  'localgw.config.json',
  'localgw.config.yaml',
  'localgw.config.yml',
] as const;

export function findConfigFile(cwd: string): string | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = join(cwd, name);
    if (existsSync(candidate)) return resolve(candidate);
  }
  return undefined;
}
