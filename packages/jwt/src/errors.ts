/**
 * Errors thrown by `@localgw/jwt` for bad configuration and broken I/O. A request that fails
 * authorization is not an error: it is an `AuthResult` of kind `deny` (see `deny.ts`).
 */
export type JwtErrorCode =
  /** The authorizer config cannot work (bad identitySource, empty audience, …). */
  | 'ERR_JWT_AUTHORIZER_CONFIG'
  /** A `jwks` file could not be read or parsed. */
  | 'ERR_JWKS_FILE'
  /** A key set (inline, file or fetched) is not a valid JWKS. */
  | 'ERR_JWKS_INVALID'
  /** The JWKS or OIDC discovery endpoint failed (network error, HTTP status, bad JSON). */
  | 'ERR_JWKS_UNREACHABLE'
  /** The endpoint did not answer within the timeout (§3.2: 1500 ms). */
  | 'ERR_JWKS_TIMEOUT'
  /** The response exceeded 150 000 bytes (§3.2). */
  | 'ERR_JWKS_TOO_LARGE'
  /** The dev signing key file is readable by group or others. */
  | 'ERR_DEV_KEY_PERMISSIONS'
  /** The dev signing key file exists but is not a usable RSA private JWK. */
  | 'ERR_DEV_KEY_INVALID'
  /** `mintToken` was called with options that cannot produce a token. */
  | 'ERR_MINT_OPTIONS';

/** The one error class of this package; branch on `code`, never on `message`. */
export class JwtError extends Error {
  override readonly name = 'JwtError';
  readonly code: JwtErrorCode;

  constructor(code: JwtErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Short text for an unknown thrown value, for use inside a developer-facing reason. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
