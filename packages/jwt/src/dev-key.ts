import { randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { JwtError, describeError } from './errors.js';

/** File name of the dev signing key inside the `.localgw/` folder. */
export const DEV_KEY_FILE = 'dev-signing-key.json';
export const DEV_KEY_ALG = 'RS256';

/** The local signing key every JWT authorizer also trusts (DESIGN.md "Dev tokens"). */
export interface DevKey {
  privateKey: CryptoKey;
  /** Public half, with `kid`, `alg: "RS256"` and `use: "sig"`; publish it or import it to verify. */
  publicJwk: JWK;
  kid: string;
}

/**
 * Loads `<dir>/dev-signing-key.json`, or generates an RSA key there on first use. The folder is
 * created with mode 0700 and the file with mode 0600. Creation is race-free: the file appears
 * complete or not at all (hard link from a temporary file), and a second process that loses the
 * race reads the winner's key, so every process agrees on one key.
 *
 * On POSIX an existing file that group or others may access (any of mode 0077) is refused with
 * `ERR_DEV_KEY_PERMISSIONS`, as ssh does for private keys: anyone who can read it can mint tokens
 * this gateway accepts. The message says how to fix it. Windows has no such mode bits; no check.
 *
 * @example const devKey = await loadOrCreateDevKey(join(projectDir, '.localgw'));
 */
export async function loadOrCreateDevKey(dir: string): Promise<DevKey> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, DEV_KEY_FILE);
  const existing = await readDevKey(file);
  if (existing) return existing;

  const generated = await generateDevKey();
  const text = `${JSON.stringify(generated.privateJwk, null, 2)}\n`;
  const created = await writeExclusive(file, text);
  if (!created) {
    const winner = await readDevKey(file);
    if (winner) return winner;
  }
  return generated.devKey;
}

async function readDevKey(file: string): Promise<DevKey | undefined> {
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new JwtError('ERR_DEV_KEY_INVALID', `cannot read dev signing key ${file}: ${describeError(error)}`, { cause: error });
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new JwtError(
      'ERR_DEV_KEY_PERMISSIONS',
      `dev signing key ${file} is accessible to other users (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); ` +
        `anyone who can read it can mint tokens localgw accepts. Run \`chmod 600 "${file}"\`, or delete the file to generate a new key.`,
    );
  }
  let jwk: JWK;
  try {
    jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
  } catch (error) {
    throw new JwtError('ERR_DEV_KEY_INVALID', `dev signing key ${file} is not valid JSON (delete it to generate a new key): ${describeError(error)}`, { cause: error });
  }
  if (jwk?.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string' || typeof jwk.d !== 'string' || typeof jwk.kid !== 'string') {
    throw new JwtError('ERR_DEV_KEY_INVALID', `dev signing key ${file} is not an RSA private JWK with a "kid" (delete it to generate a new key)`);
  }
  let privateKey: CryptoKey;
  try {
    privateKey = (await importJWK({ ...jwk, alg: DEV_KEY_ALG }, DEV_KEY_ALG)) as CryptoKey;
  } catch (error) {
    throw new JwtError('ERR_DEV_KEY_INVALID', `dev signing key ${file} cannot be imported (delete it to generate a new key): ${describeError(error)}`, { cause: error });
  }
  return { privateKey, publicJwk: publicHalf(jwk, jwk.kid), kid: jwk.kid };
}

async function generateDevKey(): Promise<{ devKey: DevKey; privateJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(DEV_KEY_ALG, { extractable: true, modulusLength: 2048 });
  const publicJwk = await exportJWK(publicKey);
  const kid = `localgw-dev-${(await calculateJwkThumbprint(publicJwk)).slice(0, 16)}`;
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: DEV_KEY_ALG, use: 'sig' };
  return { devKey: { privateKey, publicJwk: publicHalf(publicJwk, kid), kid }, privateJwk };
}

function publicHalf(jwk: JWK, kid: string): JWK {
  return { kty: 'RSA', n: jwk.n!, e: jwk.e!, kid, alg: DEV_KEY_ALG, use: 'sig' };
}

/** Creates `file` only if absent; `false` when another writer got there first. */
async function writeExclusive(file: string, text: string): Promise<boolean> {
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
  try {
    await chmod(temporary, 0o600); // the umask may have removed bits, never added them; be explicit anyway
    await link(temporary, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // Some file systems have no hard links: fall back to an exclusive create of the final file.
    try {
      await writeFile(file, text, { mode: 0o600, flag: 'wx' });
      return true;
    } catch (fallbackError) {
      if ((fallbackError as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw new JwtError('ERR_DEV_KEY_INVALID', `cannot write dev signing key ${file}: ${describeError(fallbackError)}`, { cause: fallbackError });
    }
  } finally {
    await unlink(temporary).catch(() => {});
  }
}
