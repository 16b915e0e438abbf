import type { ManagementState } from '@localgw/formats';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LocalgwError } from '../errors.js';

/**
 * `--state FILE`: what the management API holds, kept across restarts. Written whole after each
 * change, through a temporary file renamed over the old one, so a crash mid-write leaves the
 * previous state, never half of one. A file that is not a state file is refused and left as it
 * is: it may be something else the user cares about.
 */
export function readStateFile(file: string): ManagementState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LocalgwError('ERR_CONFIG_PARSE', `Cannot read the state file ${file}: ${(error as Error).message}`, { file, cause: error });
  }
  const refuse = (why: string) =>
    new LocalgwError('ERR_CONFIG_PARSE', `${file} is not a localgw state file (${why}); localgw leaves it as it is. Move it away (or pick another --state FILE) to start from an empty state.`, { file });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw refuse(`invalid JSON: ${(error as Error).message}`);
  }
  const problem = stateProblem(value);
  if (problem) throw refuse(problem);
  return value as ManagementState;
}

export function writeStateFile(file: string, state: ManagementState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Enough of the shape to serve it: a file of another program, or a truncated one, fails here. */
function stateProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'it is not a JSON object';
  if (value.version !== 1) return `"version" is ${JSON.stringify(value.version)}, not 1`;
  if (!Array.isArray(value.apis)) return '"apis" is not a list';
  for (const [index, managed] of value.apis.entries()) {
    const at = `apis[${index}]`;
    if (!isObject(managed) || !isObject(managed.api)) return `${at}.api is missing`;
    if (typeof managed.api.apiId !== 'string' || typeof managed.api.name !== 'string') return `${at}.api has no apiId or name`;
    for (const list of ['routes', 'integrations', 'authorizers', 'stages', 'deployments', 'changes']) {
      if (!Array.isArray(managed[list])) return `${at}.${list} is not a list`;
    }
    if (managed.origin !== 'config' && managed.origin !== 'management') return `${at}.origin is ${JSON.stringify(managed.origin)}`;
    for (const [d, deployment] of (managed.deployments as unknown[]).entries()) {
      if (!isObject(deployment) || !isObject(deployment.snapshot) || !Array.isArray(deployment.snapshot.routes)) return `${at}.deployments[${d}] has no snapshot`;
    }
  }
  return undefined;
}
