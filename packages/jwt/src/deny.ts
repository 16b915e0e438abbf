/**
 * Why a request was denied, as data (§3.3). `reason` on the result is for the developer (it
 * names the claim, the expected value and the key source); `error_description` in
 * `www-authenticate` is a short fixed phrase in the style AWS uses
 * ("the token does not have a valid audience"), because AWS's wording is not a contract.
 */
export const DENIALS = {
  ERR_TOKEN_MISSING: { statusCode: 401, description: 'the token is missing' },
  ERR_TOKEN_TOO_LARGE: { statusCode: 401, description: 'the token is too large' },
  ERR_TOKEN_MALFORMED: { statusCode: 401, description: 'the token is malformed' },
  ERR_ALG_NOT_ALLOWED: { statusCode: 401, description: 'the token signing algorithm is not supported' },
  ERR_KID_MISSING: { statusCode: 401, description: 'the token does not have a kid header' },
  ERR_KID_UNKNOWN: { statusCode: 401, description: 'the token kid does not match any signing key' },
  ERR_JWKS_UNAVAILABLE: { statusCode: 401, description: 'the signing keys could not be retrieved' },
  ERR_SIGNATURE_INVALID: { statusCode: 401, description: 'the token signature is invalid' },
  ERR_ISSUER_INVALID: { statusCode: 401, description: 'the token does not have a valid issuer' },
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

/** 401 and 403 header shapes from §3.3; the 403 `scope` lists the route's scopes (RFC 6750). */
export function deny(code: DenyCode, reason: string, routeScopes?: readonly string[]): Denial {
  const { statusCode, description } = DENIALS[code];
  const wwwAuthenticate =
    statusCode === 403
      ? `Bearer scope="${quotable((routeScopes ?? []).join(' '))}" error="insufficient_scope" error_description="${description}"`
      : `Bearer scope="" error="invalid_token" error_description="${description}"`;
  return { kind: 'deny', statusCode, code, reason, wwwAuthenticate };
}

/** Scopes come from config; keep them from breaking out of the quoted-string. */
function quotable(value: string): string {
  return value.replace(/["\\]/g, '');
}
