import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEV_KEY_FILE, loadOrCreateDevKey } from './dev-key.js';

const posix = process.platform !== 'win32';
const roots: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'localgw-devkey-'));
  roots.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(roots.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('DESIGN "Dev tokens": the local signing key', () => {
  it('is created under .localgw/ as a private JWK with mode 0600 in a 0700 folder', async () => {
    const dir = join(await tempDir(), '.localgw');
    const devKey = await loadOrCreateDevKey(dir);
    const file = join(dir, DEV_KEY_FILE);
    const jwk = JSON.parse(await readFile(file, 'utf8'));
    expect(jwk).toMatchObject({ kty: 'RSA', kid: devKey.kid, alg: 'RS256', use: 'sig' });
    expect(typeof jwk.d).toBe('string');
    expect(devKey.publicJwk).toEqual({ kty: 'RSA', n: jwk.n, e: jwk.e, kid: devKey.kid, alg: 'RS256', use: 'sig' });
    expect(devKey.publicJwk).not.toHaveProperty('d');
    if (posix) {
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
    }
  });

  it('is reused across calls', async () => {
    const dir = join(await tempDir(), '.localgw');
    const first = await loadOrCreateDevKey(dir);
    const second = await loadOrCreateDevKey(dir);
    expect(second.kid).toBe(first.kid);
    expect(second.publicJwk).toEqual(first.publicJwk);
  });

  it('concurrent first uses agree on one key', async () => {
    const dir = join(await tempDir(), '.localgw');
    const keys = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateDevKey(dir)));
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
  });

  it.runIf(posix)('refuses a key file other users can read, and says how to fix it', async () => {
    const dir = join(await tempDir(), '.localgw');
    await loadOrCreateDevKey(dir);
    const file = join(dir, DEV_KEY_FILE);
    await chmod(file, 0o644);
    await expect(loadOrCreateDevKey(dir)).rejects.toMatchObject({ code: 'ERR_DEV_KEY_PERMISSIONS', message: expect.stringContaining('chmod 600') });
    await chmod(file, 0o600);
    await expect(loadOrCreateDevKey(dir)).resolves.toMatchObject({ kid: expect.any(String) });
  });

  it('refuses a file that is not an RSA private JWK', async () => {
    const dir = join(await tempDir(), '.localgw');
    await loadOrCreateDevKey(dir);
    await writeFile(join(dir, DEV_KEY_FILE), '{"kty":"oct","k":"abc"}', { mode: 0o600 });
    await expect(loadOrCreateDevKey(dir)).rejects.toMatchObject({ code: 'ERR_DEV_KEY_INVALID' });
    await writeFile(join(dir, DEV_KEY_FILE), 'not json', { mode: 0o600 });
    await expect(loadOrCreateDevKey(dir)).rejects.toMatchObject({ code: 'ERR_DEV_KEY_INVALID' });
  });
});
