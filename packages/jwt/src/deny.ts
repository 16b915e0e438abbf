/**
 * Why a request was denied, as data (§3.3). `reason` on the result is for the developer (it
 * names the claim, the expected value and the key source); `error_description` in
 * `www-authenticate` is a short fixed phrase. Where a live capture shows AWS's phrase (§10: its
 * wording is Go jwt-go's), it is used as is; the others are in the same style
 * ("the token does not have a valid audience"). None holds text from the token.
 */
export const DENIALS = {
  /** §10: AWS then sends `www-authenticate: Bearer` and nothing more; the description is for the log. */
  ERR_TOKEN_MISSING: { statusCode: 401, description: 'the token is missing' },
  ERR_TOKEN_TOO_LARGE: { statusCode: 401, description: 'the token is too large' },
  /** §10, captured: a token that is not `header.payload.signature`. */
  ERR_TOKEN_SEGMENTS: { statusCode: 401, description: 'token contains an invalid number of segments' },
  ERR_TOKEN_MALFORMED: { statusCode: 401, description: 'the token is malformed' },
  /**
   * jwt-go's text for an `alg` it does not know or a header without one. An `alg` it knows but
   * API Gateway refuses gets `signing method ES256 is invalid` (§10, captured): see
   * {@link algorithmDescription}.
   */
  ERR_ALG_NOT_ALLOWED: { statusCode: 401, description: 'signing method (alg) is unavailable.' },
  ERR_KID_MISSING: { statusCode: 401, description: 'the token does not have a kid header' },
  ERR_KID_UNKNOWN: { statusCode: 401, description: 'the token kid does not match any signing key' },
  ERR_JWKS_UNAVAILABLE: { statusCode: 401, description: 'the signing keys could not be retrieved' },
  ERR_SIGNATURE_INVALID: { statusCode: 401, description: 'the token signature is invalid' },
  ERR_ISSUER_INVALID: { statusCode: 401, description: 'the token does not have a valid issuer' },
  /** §10, captured. */
  ERR_AUDIENCE_INVALID: { statusCode: 401, description: 'the token does not have a valid audience' },
  ERR_TOKEN_EXPIRED: { statusCode: 401, description: 'the token has expired' },
  ERR_TOKEN_NOT_YET_VALID: { statusCode: 401, description: 'the token is not valid yet' },
  ERR_TOKEN_USED_BEFORE_ISSUED: { statusCode: 401, description: 'the token was issued in the future' },
  ERR_INSUFFICIENT_SCOPE: { statusCode: 403, description: 'the token does not have a required scope' },
} as const satisfies Record<string, { statusCode: 401 | 403; description: string }>;

export type DenyCode = keyof typeof DENIALS;

export interface Denial {
  kind: 'deny';
  statusCode: 401 | 403;
  /** Stable code to branch on (tests, logs). */
  code: DenyCode;
  /** Developer-facing explanation: what was expected, what the token had, where keys came from. */
  reason: string;
  /** The `www-authenticate` header value (§3.3). */
  wwwAuthenticate: string;
}

/** What a denial may add to its code: the route's scopes (403), or a description of its own. */
export interface DenyDetail {
  /** The route's `authorizationScopes`, for the 403 `scope` (RFC 6750). */
  routeScopes?: readonly string[];
  /** Replaces the code's description; it must be one of a fixed set of phrases, never token text. */
  description?: string;
}

/**
 * 401 and 403 header shapes from §3.3; the 403 `scope` lists the route's scopes (RFC 6750). A
 * request without a token gets `Bearer` alone, as captured (§10).
 */
export function deny(code: DenyCode, reason: string, detail?: DenyDetail): Denial {
  const { statusCode } = DENIALS[code];
  const description = detail?.description ?? DENIALS[code].description;
  const wwwAuthenticate =
    code === 'ERR_TOKEN_MISSING'
      ? 'Bearer'
      : statusCode === 403
        ? `Bearer scope="${quotable((detail?.routeScopes ?? []).join(' '))}" error="insufficient_scope" error_description="${description}"`
        : `Bearer scope="" error="invalid_token" error_description="${description}"`;
  return { kind: 'deny', statusCode, code, reason, wwwAuthenticate };
}

/**
 * The signing methods jwt-go knows (§10: AWS's messages are its own). A token signed with one of
 * them that API Gateway does not accept is `signing method ES256 is invalid`; any other `alg`,
 * or none, is the code's `signing method (alg) is unavailable.`. Only names from this list reach
 * the header, never the token's own text.
 */
const KNOWN_SIGNING_METHODS: ReadonlySet<string> = new Set([
  'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'none',
]);

export function algorithmDescription(alg: unknown): string | undefined {
  return typeof alg === 'string' && KNOWN_SIGNING_METHODS.has(alg) ? `signing method ${alg} is invalid` : undefined;
}

/** Scopes come from config; keep them from breaking out of the quoted-string. */
function quotable(value: string): string {
  return value.replace(/["\\]/g, '');
}
