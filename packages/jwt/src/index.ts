export { createJwtAuthorizer } from './create-jwt-authorizer.js';
export { loadOrCreateDevKey, DEV_KEY_FILE } from './dev-key.js';
export { expiresInSeconds, mintToken } from './mint-token.js';
export { readTokenScopes } from './scopes.js';
export { JwtError } from './errors.js';
export { DENIALS } from './deny.js';
export { JWT_DIAGNOSTICS_CHANNELS } from './diagnostics.js';
export { DEFAULT_IDENTITY_SOURCE } from './identity-source.js';
export { ALLOWED_ALGORITHMS } from './verify.js';
export { DEFAULT_FETCH_TIMEOUT_MS, JWKS_CACHE_TTL_MS, MAX_RESPONSE_BYTES, REFETCH_COOLDOWN_MS, localgwDir } from './key-sources/index.js';

export type { JwtAuthorizer, JwtAuthorizerConfig, JwtAuthorizerOptions, AuthResult, AuthAllow, AuthDeny } from './create-jwt-authorizer.js';
export type { DevKey } from './dev-key.js';
export type { MintOptions, MintPreset } from './mint-token.js';
export type { JwtErrorCode } from './errors.js';
export type { DenyCode } from './deny.js';
export type { TokenRequest } from './identity-source.js';
export type { JWK } from 'jose';
