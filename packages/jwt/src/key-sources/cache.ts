import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** API Gateway "can cache the public key for two hours" (§3.2). */
export const JWKS_CACHE_TTL_MS = 2 * 60 * 60 * 1000;

/** One persisted key set. Public keys only, so no special file mode. */
export interface CachedJwks {
  /** The configured URL: the JWKS URL, or the discovery document URL. */
  url: string;
  /** The URL the keys were actually fetched from (differs from `url` for discovery). */
  jwksUri: string;
  /** Epoch ms of the successful fetch. */
  fetchedAt: number;
  jwks: unknown;
}

/** `<cacheDir>/<sha256(url)>.json`: one file per configured URL. */
export function cacheFilePath(cacheDir: string, url: string): string {
  return join(cacheDir, `${createHash('sha256').update(url).digest('hex')}.json`);
}

/** Returns the cached entry, or `undefined` when absent, unreadable, or for another URL. */
export async function readCachedJwks(cacheDir: string, url: string): Promise<CachedJwks | undefined> {
  let parsed: Partial<CachedJwks>;
  try {
    parsed = JSON.parse(await readFile(cacheFilePath(cacheDir, url), 'utf8')) as Partial<CachedJwks>;
  } catch {
    return undefined;
  }
  if (parsed.url !== url || typeof parsed.jwksUri !== 'string' || typeof parsed.fetchedAt !== 'number') return undefined;
  return { url, jwksUri: parsed.jwksUri, fetchedAt: parsed.fetchedAt, jwks: parsed.jwks };
}

/** Writes through a temporary file and a rename, so readers never see half a file. */
export async function writeCachedJwks(cacheDir: string, entry: CachedJwks): Promise<void> {
  await mkdir(cacheDir, { recursive: true, mode: 0o700 });
  const file = cacheFilePath(cacheDir, entry.url);
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(entry, null, 2)}\n`);
  await rename(temporary, file);
}
