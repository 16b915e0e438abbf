import { importJWK, type CryptoKey } from 'jose';
import { toEventClaims } from '@localgw/core';
import { deny, type Denial } from './deny.js';
import type { DevKey } from './dev-key.js';
import { JwtError } from './errors.js';
import { DEFAULT_IDENTITY_SOURCE, parseIdentitySource, readToken, type TokenRequest } from './identity-source.js';
import { DEFAULT_FETCH_TIMEOUT_MS, createKeySource, type KeySource } from './key-sources/index.js';
import { hasRequiredScope, readTokenScopes } from './scopes.js';
import { VerifiedTokenCache, type VerifiedToken } from './token-cache.js';
import { verifyToken, type VerifyContext } from './verify.js';

/** One `authorizers.NAME` entry of type `jwt`, as API Gateway's `jwtConfiguration` (§3.1). */
export interface JwtAuthorizerConfig {
  name: string;
  /** Compared to `iss` exactly. Also the base of OIDC discovery when `jwks` is absent. */
  issuer: string;
  /** A token passes when its `aud` (or, only when `aud` is absent, `client_id`) is one of these. */
  audience: string[];
  /** `$request.header.NAME` or `$request.querystring.NAME`. @default '$request.header.Authorization' */
  identitySource?: string;
  /**
   * A file path (relative to `baseDir`), an `http(s)` URL, or an inline `{ keys: [...] }`.
   * Absent: `jwks_uri` from `ISSUER/.well-known/openid-configuration` (§3.2).
   */
  jwks?: string | { keys: object[] };
}

export interface JwtAuthorizerOptions {
  /** The config file's folder: relative `jwks` paths resolve here and `.localgw/` lives here. */
  baseDir: string;
  /** When given, tokens signed by this key (matched by `kid`) are trusted too (DESIGN "Dev tokens"). */
  devKey?: DevKey;
  /** Epoch ms. @default Date.now */
  now?: () => number;
  /** Per request to the discovery and JWKS endpoints (§3.2). @default 1500 */
  fetchTimeoutMs?: number;
}

export interface AuthAllow {
  kind: 'allow';
  /** `requestContext.authorizer.jwt.claims`: every value a string (§3.4). Frozen; shared between requests with the same token. */
  claims: Record<string, string>;
  /**
   * `requestContext.authorizer.jwt.scopes`: `null` when the route has no `authorizationScopes`
   * (as captured from AWS, §3.4); otherwise **all** of the token's scopes (`scope` ∪ `scp`), not
   * only the matching ones. AWS's choice there is unverified (aws-behavior.md §9 item 10).
   */
  scopes: string[] | null;
  /** The verified JWT payload as decoded JSON. Shared between requests; do not mutate. */
  rawClaims: Record<string, unknown>;
}

/** A denied request: 401 `{"message":"Unauthorized"}` or 403 `{"message":"Forbidden"}` (§3.3). */
export type AuthDeny = Denial;
export type AuthResult = AuthAllow | AuthDeny;

export interface JwtAuthorizer {
  /**
   * Decides one request for a route with these `authorizationScopes` (`undefined` or `[]` = none).
   * A token verified before (or a missing one) is decided at once, without a promise: this runs
   * on every request of a protected route.
   */
  authorize(request: TokenRequest, authorizationScopes: readonly string[] | undefined): AuthResult | Promise<AuthResult>;
  /** Stops network work and drops caches. Build a new authorizer to use the config again. */
  close(): void;
}

/** @internal Test seam: the verification step, so tests can count real verifications. */
export interface JwtAuthorizerInternals {
  verifyToken: typeof verifyToken;
}

/**
 * Builds a JWT authorizer from one config entry. Validates eagerly and throws a `JwtError`
 * (`ERR_JWT_AUTHORIZER_CONFIG`, `ERR_JWKS_FILE`, `ERR_JWKS_INVALID`) naming the config path;
 * inline and file key sets are read and checked here, URLs are fetched on first use.
 *
 * @example
 * const authorizer = createJwtAuthorizer(
 *   { name: 'main', issuer: 'https://issuer.example.com', audience: ['my-client-id'], jwks: './jwks.json' },
 *   { baseDir: projectDir, devKey },
 * );
 * const result = await authorizer.authorize(request, ['items/read']);
 */
export function createJwtAuthorizer(config: JwtAuthorizerConfig, options: JwtAuthorizerOptions): JwtAuthorizer {
  return buildJwtAuthorizer(config, options, { verifyToken });
}

/** @internal */
export function buildJwtAuthorizer(config: JwtAuthorizerConfig, options: JwtAuthorizerOptions, internals: JwtAuthorizerInternals): JwtAuthorizer {
  const at = configPath(config?.name);
  const fail = (field: string, message: string): never => {
    throw new JwtError('ERR_JWT_AUTHORIZER_CONFIG', `${at}.${field}: ${message}`);
  };
  if (typeof config?.name !== 'string' || config.name === '') fail('name', 'must be a non-empty string');
  if (typeof config.issuer !== 'string' || config.issuer === '') fail('issuer', 'must be a non-empty string (the issuer URL)');
  if (!Array.isArray(config.audience) || config.audience.length === 0) fail('audience', 'must list at least one value (client id or API identifier)');
  if (config.audience.length > 50) fail('audience', `has ${config.audience.length} entries; API Gateway allows at most 50 (§3.1)`);
  config.audience.forEach((value, i) => {
    if (typeof value !== 'string' || value === '') fail(`audience[${i}]`, 'must be a non-empty string');
  });
  const identitySource = parseIdentitySource(config.identitySource ?? DEFAULT_IDENTITY_SOURCE);
  if (typeof identitySource === 'string') fail('identitySource', identitySource);
  if (typeof options?.baseDir !== 'string') throw new JwtError('ERR_JWT_AUTHORIZER_CONFIG', `${at}: options.baseDir must be the config folder`);
  const { jwks } = config;
  if (jwks !== undefined && !(typeof jwks === 'string' && jwks !== '') && !(typeof jwks === 'object' && jwks !== null && Array.isArray(jwks.keys))) {
    fail('jwks', 'must be a file path, an http(s) URL, or an inline { "keys": [...] } set');
  }
  const issuerIsUrl = /^https?:\/\/[^/]/i.test(config.issuer);
  if (jwks === undefined && !issuerIsUrl && !options.devKey) {
    fail('issuer', `"${config.issuer}" is not an http(s) URL, so its keys cannot be discovered; set "jwks" to a file, URL or inline key set`);
  }
  const fetchTimeoutMs = options.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  if (!(Number.isFinite(fetchTimeoutMs) && fetchTimeoutMs > 0)) {
    throw new JwtError('ERR_JWT_AUTHORIZER_CONFIG', `${at}: options.fetchTimeoutMs must be a positive number of milliseconds`);
  }

  const now = options.now ?? Date.now;
  const devKey = options.devKey;
  let keySource: KeySource | undefined;
  try {
    keySource =
      jwks === undefined && !issuerIsUrl
        ? undefined
        : createKeySource({ authorizer: config.name, issuer: config.issuer, jwks, baseDir: options.baseDir, now, fetchTimeoutMs });
  } catch (error) {
    if (error instanceof JwtError) throw new JwtError(error.code, `${at}.jwks: ${error.message}`, { cause: error });
    throw error;
  }

  let devPublicKey: Promise<CryptoKey> | undefined;
  const context: VerifyContext = {
    authorizer: config.name,
    issuer: config.issuer,
    audience: [...config.audience],
    keySource,
    devKey: devKey && {
      kid: devKey.kid,
      publicKey: () => (devPublicKey ??= importJWK({ ...devKey.publicJwk, alg: 'RS256' }, 'RS256') as Promise<CryptoKey>),
    },
    now,
  };
  const cache = new VerifiedTokenCache();
  const source = identitySource as Exclude<typeof identitySource, string>;

  async function verifyAndDecide(token: string, authorizationScopes: readonly string[] | undefined): Promise<AuthResult> {
    const outcome = await internals.verifyToken(token, context);
    if (outcome.kind === 'deny') return outcome;
    const verified: VerifiedToken = {
      expiresAtMs: outcome.exp * 1000,
      rawClaims: outcome.payload,
      claims: Object.freeze(toEventClaims(outcome.payload)),
      tokenScopes: Object.freeze(readTokenScopes(outcome.payload)),
    };
    cache.set(token, verified);
    return decide(verified, authorizationScopes);
  }

  return {
    authorize(request, authorizationScopes) {
      const lookup = readToken(source, request);
      if (!lookup.ok) return deny('ERR_TOKEN_MISSING', lookup.reason);
      const verified = cache.get(lookup.token, now());
      return verified ? decide(verified, authorizationScopes) : verifyAndDecide(lookup.token, authorizationScopes);
    },
    close() {
      keySource?.close();
      cache.clear();
    },
  };
}

/** §3.2 scopes and §3.4 `scopes`: checked per route on every call, even on a cache hit. */
function decide(verified: VerifiedToken, routeScopes: readonly string[] | undefined): AuthResult {
  const { claims } = verified;
  const rawClaims = verified.rawClaims as Record<string, unknown>;
  if (!routeScopes || routeScopes.length === 0) return { kind: 'allow', claims, rawClaims, scopes: null };
  if (hasRequiredScope(verified.tokenScopes, routeScopes)) return { kind: 'allow', claims, rawClaims, scopes: [...verified.tokenScopes] };
  const held = verified.tokenScopes.length === 0 ? 'no scopes (neither "scope" nor "scp")' : `scopes [${verified.tokenScopes.join(' ')}]`;
  return deny('ERR_INSUFFICIENT_SCOPE', `token has ${held}; the route needs at least one of [${routeScopes.join(' ')}]`, { routeScopes });
}

function configPath(name: unknown): string {
  if (typeof name !== 'string') return 'authorizers[?]';
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `authorizers.${name}` : `authorizers[${JSON.stringify(name)}]`;
}
