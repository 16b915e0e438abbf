import { readFileSync } from 'node:fs';
import { JwtError, describeError } from '../errors.js';
import { createKeySetSnapshot } from './inline.js';
import type { KeySource } from './types.js';

/**
 * A JWKS file, read and validated once, synchronously, when the authorizer is created, so a bad
 * file fails config loading rather than the first request. Re-reading on change is the gateway's
 * reload (it builds a new authorizer).
 */
export function createFileKeySource(absolutePath: string): KeySource {
  let text: string;
  try {
    text = readFileSync(absolutePath, 'utf8');
  } catch (error) {
    throw new JwtError('ERR_JWKS_FILE', `cannot read JWKS file ${absolutePath}: ${describeError(error)}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new JwtError('ERR_JWKS_FILE', `JWKS file ${absolutePath} is not valid JSON: ${describeError(error)}`, { cause: error });
  }
  const snapshot = createKeySetSnapshot(json, absolutePath);
  return {
    description: `JWKS file ${absolutePath}`,
    getKeySet: () => Promise.resolve(snapshot),
    refetchForUnknownKid: () => Promise.resolve({ kind: 'static' }),
    close: () => {},
  };
}
