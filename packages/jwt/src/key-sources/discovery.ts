import { JwtError } from '../errors.js';
import { createRemoteKeySource } from './remote.js';
import type { KeySource, RemoteSourceOptions } from './types.js';

/** `{issuer}/.well-known/openid-configuration`, without doubling a trailing slash. */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/**
 * No `jwks` in config: read `jwks_uri` from the issuer's OIDC discovery document, then fetch that
 * (§3.2). The JWKS path is never guessed; Okta, Salesforce and others do not use
 * `/.well-known/jwks.json`. Both documents are cached together under the discovery URL.
 */
export function createDiscoveryKeySource(issuer: string, options: RemoteSourceOptions): KeySource {
  const url = discoveryUrl(issuer);
  return createRemoteKeySource(
    {
      url,
      description: `OIDC discovery at ${url}`,
      load: async (getJson) => {
        const document = await getJson(url);
        const jwksUri = (document as { jwks_uri?: unknown } | null)?.jwks_uri;
        if (typeof jwksUri !== 'string' || !/^https?:\/\//i.test(jwksUri)) {
          throw new JwtError('ERR_JWKS_UNREACHABLE', `discovery document ${url} has no http(s) "jwks_uri"`);
        }
        return { jwksUri, jwks: await getJson(jwksUri) };
      },
    },
    options,
  );
}
