import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';
import { algorithmDescription, deny, type Denial } from './deny.js';
import { verifyChannel } from './diagnostics.js';
import { describeError } from './errors.js';
import type { KeySetSnapshot, KeySource, RefetchOutcome } from './key-sources/index.js';

/**
 * "Currently, only RSA-based algorithms are supported" (§3.2). RS256/384/512 only: HS* (including
 * the classic "HMAC keyed with the public key" confusion), ES*, EdDSA and `none` are refused before
 * any key is looked up. PS* is refused too: AWS does not say it counts, and an emulator that is
 * stricter than AWS fails loudly instead of passing tokens that production rejects.
 */
export const ALLOWED_ALGORITHMS: readonly string[] = ['RS256', 'RS384', 'RS512'];

/**
 * API Gateway caps the request line plus all headers at 10240 bytes (§0.1), so a longer token
 * could never reach an authorizer; refusing it here also bounds the work a junk token causes.
 */
export const MAX_TOKEN_LENGTH = 10_240;

export interface VerifyContext {
  authorizer: string;
  issuer: string;
  audience: readonly string[];
  /** Absent only for a dev-key-only authorizer (issuer is not a URL and no `jwks`). */
  keySource: KeySource | undefined;
  devKey: { kid: string; publicKey: () => Promise<CryptoKey> } | undefined;
  now: () => number;
}

export type VerifyOutcome = { kind: 'verified'; payload: JWTPayload; exp: number } | Denial;

type KeyLookup = { kind: 'key'; key: CryptoKey; origin: string } | Denial;

/**
 * Everything in §3.2 except scopes, in this order: size, shape, `alg`, `iss` (before any key
 * look-up, so a foreign token costs no network), `kid` → key, signature + `exp`/`nbf` (jose, no
 * leeway), `iat`, then `aud`/`client_id`. Each failure is a 401 whose reason says what was
 * expected and what the token had.
 */
export async function verifyToken(token: string, ctx: VerifyContext): Promise<VerifyOutcome> {
  if (token.length > MAX_TOKEN_LENGTH) {
    return deny(
      'ERR_TOKEN_TOO_LARGE',
      `token is ${token.length} bytes; API Gateway limits the request line and headers to ${MAX_TOKEN_LENGTH} bytes in total`,
    );
  }
  // jwt-go's first check, and AWS's wording for it (§10).
  const segments = countSegments(token);
  if (segments !== 3) {
    return deny('ERR_TOKEN_SEGMENTS', `token is not a JWT: it has ${segments} part${segments === 1 ? '' : 's'} separated by ".", a signed JWT has 3 (header.payload.signature)`);
  }
  let alg: unknown;
  let kid: unknown;
  let unverified: JWTPayload;
  try {
    ({ alg, kid } = decodeProtectedHeader(token));
    unverified = decodeJwt(token);
  } catch (error) {
    return deny('ERR_TOKEN_MALFORMED', `token is not a signed JWT (header.payload.signature): ${describeError(error)}`);
  }
  if (typeof alg !== 'string' || !ALLOWED_ALGORITHMS.includes(alg)) {
    return deny(
      'ERR_ALG_NOT_ALLOWED',
      `token alg ${JSON.stringify(alg)} is not accepted; API Gateway verifies only RSA signatures (${ALLOWED_ALGORITHMS.join(', ')})`,
      { description: algorithmDescription(alg) },
    );
  }
  if (unverified.iss !== ctx.issuer) {
    return deny(
      'ERR_ISSUER_INVALID',
      unverified.iss === undefined
        ? `token has no "iss" claim; expected "${ctx.issuer}"`
        : `issuer ${JSON.stringify(unverified.iss)} does not match the authorizer's issuer "${ctx.issuer}" (exact match)`,
    );
  }
  if (typeof kid !== 'string' || kid === '') {
    return deny('ERR_KID_MISSING', 'token header has no "kid"; API Gateway requires it to name a key in the JWKS');
  }

  const lookup = await lookUpKey(kid, alg, ctx);
  if (lookup.kind === 'deny') return lookup;

  if (verifyChannel.hasSubscribers) verifyChannel.publish({ authorizer: ctx.authorizer, kid, alg });
  const nowMs = ctx.now();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, lookup.key, {
      algorithms: [...ALLOWED_ALGORITHMS],
      currentDate: new Date(nowMs),
      clockTolerance: 0,
      requiredClaims: ['exp'],
    }));
  } catch (error) {
    return denyVerifyError(error, kid, lookup.origin, nowMs);
  }

  const nowSeconds = Math.floor(nowMs / 1000);
  // jose checks iat only together with maxTokenAge; §3.2 wants it in the past on its own.
  if (payload.iat !== undefined) {
    if (typeof payload.iat !== 'number' || !Number.isFinite(payload.iat)) {
      return deny('ERR_TOKEN_MALFORMED', '"iat" claim must be a number');
    }
    if (payload.iat > nowSeconds) {
      return deny('ERR_TOKEN_USED_BEFORE_ISSUED', `token was issued at ${isoSeconds(payload.iat)}, in the future (now ${isoMs(nowMs)})`);
    }
  }
  const audienceDenial = checkAudience(payload, ctx.audience);
  if (audienceDenial) return audienceDenial;
  return { kind: 'verified', payload, exp: payload.exp! };
}

/** Parts between dots, without splitting the token. */
function countSegments(token: string): number {
  let segments = 1;
  for (let at = token.indexOf('.'); at !== -1; at = token.indexOf('.', at + 1)) segments++;
  return segments;
}

async function lookUpKey(kid: string, alg: string, ctx: VerifyContext): Promise<KeyLookup> {
  if (ctx.devKey && kid === ctx.devKey.kid) {
    try {
      return { kind: 'key', key: await ctx.devKey.publicKey(), origin: 'the local dev key' };
    } catch (error) {
      return deny('ERR_KID_UNKNOWN', `the local dev key cannot be used: ${describeError(error)}`);
    }
  }
  const source = ctx.keySource;
  if (!source) {
    return deny(
      'ERR_KID_UNKNOWN',
      `no key with kid ${JSON.stringify(kid)}: the issuer is not a URL and no "jwks" is configured, so only the local dev key${ctx.devKey ? ` (kid "${ctx.devKey.kid}")` : ''} is trusted`,
    );
  }
  let snapshot: KeySetSnapshot;
  try {
    snapshot = await source.getKeySet();
  } catch (error) {
    return deny('ERR_JWKS_UNAVAILABLE', `cannot get signing keys (${source.description}): ${describeError(error)}`);
  }
  if (!snapshot.kids.has(kid)) {
    const refetch = await source.refetchForUnknownKid();
    if (refetch.kind === 'refetched') snapshot = refetch.snapshot;
    if (!snapshot.kids.has(kid)) {
      const known = snapshot.kids.size === 0 ? 'it has no kids' : `it has ${[...snapshot.kids].map((k) => `"${k}"`).join(', ')}`;
      return deny('ERR_KID_UNKNOWN', `no key with kid ${JSON.stringify(kid)} in JWKS from ${snapshot.origin} (${known}${describeRefetch(refetch)})`);
    }
  }
  try {
    return { kind: 'key', key: await snapshot.resolve({ alg, kid }), origin: snapshot.origin };
  } catch (error) {
    if (error instanceof errors.JWKSMultipleMatchingKeys) {
      return deny('ERR_KID_UNKNOWN', `JWKS from ${snapshot.origin} has several keys with kid "${kid}" usable for ${alg}`);
    }
    if (error instanceof errors.JWKSNoMatchingKey) {
      return deny('ERR_KID_UNKNOWN', `key "${kid}" in JWKS from ${snapshot.origin} cannot verify ${alg} (its kty, alg or use does not allow it)`);
    }
    return deny('ERR_KID_UNKNOWN', `key "${kid}" in JWKS from ${snapshot.origin} is unusable: ${describeError(error)}`);
  }
}

function describeRefetch(outcome: RefetchOutcome): string {
  switch (outcome.kind) {
    case 'refetched':
      return '; refetched just now';
    case 'static':
      return '';
    case 'cooldown':
      return `; not refetched: the last fetch was ${Math.round(outcome.lastFetchAgoMs / 1000)} s ago and an unknown kid refetches at most every 30 s`;
    case 'failed':
      return `; refetch failed: ${outcome.error}`;
  }
}

function denyVerifyError(error: unknown, kid: string, origin: string, nowMs: number): Denial {
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return deny('ERR_SIGNATURE_INVALID', `signature does not verify with key "${kid}" from ${origin}`);
  }
  if (error instanceof errors.JWTExpired) {
    const { exp } = error.payload;
    return deny('ERR_TOKEN_EXPIRED', `token expired at ${typeof exp === 'number' ? isoSeconds(exp) : '?'} (now ${isoMs(nowMs)})`);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' && error.reason === 'check_failed') {
      const { nbf } = error.payload;
      return deny('ERR_TOKEN_NOT_YET_VALID', `token is not valid before ${typeof nbf === 'number' ? isoSeconds(nbf) : '?'} (now ${isoMs(nowMs)})`);
    }
    if (error.claim === 'exp' && error.reason === 'missing') {
      return deny('ERR_TOKEN_MALFORMED', 'token has no "exp" claim; API Gateway requires exp to be in the future');
    }
    return deny('ERR_TOKEN_MALFORMED', `claim "${error.claim}": ${error.message}`);
  }
  if (error instanceof errors.JOSEError && (error.code === 'ERR_JWT_INVALID' || error.code === 'ERR_JWS_INVALID')) {
    return deny('ERR_TOKEN_MALFORMED', describeError(error));
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return deny('ERR_ALG_NOT_ALLOWED', describeError(error));
  }
  return deny('ERR_SIGNATURE_INVALID', `signature check with key "${kid}" from ${origin} failed: ${describeError(error)}`);
}

/**
 * §3.2: `aud` must share a value with `audience`; only when `aud` is absent is `client_id` used
 * (Cognito access tokens). A present-but-wrong `aud` fails even if `client_id` would match.
 */
function checkAudience(payload: JWTPayload, audience: readonly string[]): Denial | undefined {
  const expected = `[${audience.map((a) => `"${a}"`).join(', ')}]`;
  const { aud } = payload;
  if (aud !== undefined && aud !== null) {
    const values = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : undefined;
    if (!values || values.some((v) => typeof v !== 'string')) {
      return deny('ERR_TOKEN_MALFORMED', '"aud" claim must be a string or an array of strings');
    }
    if (values.some((v) => audience.includes(v))) return undefined;
    const note = payload['client_id'] === undefined ? '' : ' (client_id is only consulted when aud is absent)';
    return deny('ERR_AUDIENCE_INVALID', `audience ${values.map((v) => `"${v}"`).join(', ') || '[]'} not in ${expected}${note}`);
  }
  const clientId = payload['client_id'];
  if (typeof clientId === 'string' && audience.includes(clientId)) return undefined;
  return deny(
    'ERR_AUDIENCE_INVALID',
    clientId === undefined
      ? `token has neither "aud" nor "client_id"; expected one of ${expected}`
      : `client_id ${JSON.stringify(clientId)} not in ${expected} (token has no aud)`,
  );
}

const isoSeconds = (seconds: number) => isoMs(seconds * 1000);
function isoMs(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}
