import { createRemoteKeySource } from './remote.js';
import type { KeySource, RemoteSourceOptions } from './types.js';

/** `"jwks": "https://…"`: the key set at a fixed URL, cached in memory and on disk. */
export function createUrlKeySource(url: string, options: RemoteSourceOptions): KeySource {
  return createRemoteKeySource(
    {
      url,
      description: `JWKS at ${url}`,
      load: async (getJson) => ({ jwksUri: url, jwks: await getJson(url) }),
    },
    options,
  );
}
