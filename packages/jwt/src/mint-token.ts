import { randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { DEV_KEY_ALG, type DevKey } from './dev-key.js';
import { JwtError } from './errors.js';

/** Claim layouts of common issuers, so handlers see realistic tokens offline. */
export type MintPreset = 'default' | 'cognito-access' | 'cognito-id' | 'auth0';

export interface MintOptions {
  /** `iss`; use the authorizer's issuer so it accepts the token. */
  issuer: string;
  /** Usually the authorizer's first audience. Where it lands depends on `preset`. */
  audience?: string;
  /** @default 'dev-user' */
  sub?: string;
  /** Space-separated scopes, e.g. `"items/read items/write"`. */
  scope?: string;
  /** Extra claims; they override everything the preset sets (`exp` included). */
  claims?: Record<string, unknown>;
  /** Seconds, or a duration such as `'90s'`, `'15m'`, `'1h'`, `'7d'`. @default '1h' */
  expiresIn?: string | number;
  /**
   * - `default`: `aud`, `scope`.
   * - `cognito-access`: `client_id` = audience, `token_use: "access"`, `scope`, `username`; **no `aud`**
   *   (the token AWS accepts through the `client_id` fallback, §3.5).
   * - `cognito-id`: `aud` = audience, `token_use: "id"`, `cognito:username`, `email`, `email_verified`.
   * - `auth0`: `aud` = [audience, `<issuer>/userinfo`], `azp`, `scope`.
   * @default 'default'
   */
  preset?: MintPreset;
  /** Epoch ms for `iat`/`exp`, injectable for tests. @default Date.now */
  now?: () => number;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)?$/i;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Signs a JWT with the dev key (RS256, `kid` header) that any authorizer created with this
 * `devKey` accepts, given matching issuer and audience.
 *
 * @example await mintToken(devKey, { issuer: 'https://issuer.example.com', audience: 'my-client-id', scope: 'items/read' })
 */
export async function mintToken(devKey: DevKey, options: MintOptions): Promise<string> {
  if (typeof options.issuer !== 'string' || options.issuer === '') {
    throw new JwtError('ERR_MINT_OPTIONS', 'mintToken: "issuer" is required (use the authorizer\'s issuer)');
  }
  const preset = options.preset ?? 'default';
  if (preset !== 'default' && !options.audience) {
    throw new JwtError('ERR_MINT_OPTIONS', `mintToken: preset "${preset}" needs an "audience" (the client id)`);
  }
  const iat = Math.floor((options.now ?? Date.now)() / 1000);
  const payload: JWTPayload = {
    iss: options.issuer,
    sub: options.sub ?? 'dev-user',
    ...presetClaims(preset, options, iat),
    iat,
    exp: iat + parseExpiresIn(options.expiresIn ?? '1h'),
    jti: randomUUID(),
    ...options.claims,
  };
  return new SignJWT(payload).setProtectedHeader({ alg: DEV_KEY_ALG, kid: devKey.kid, typ: 'JWT' }).sign(devKey.privateKey);
}

function presetClaims(preset: MintPreset, options: MintOptions, iat: number): JWTPayload {
  const sub = options.sub ?? 'dev-user';
  const scope = options.scope === undefined ? {} : { scope: options.scope };
  switch (preset) {
    case 'default':
      return { ...(options.audience === undefined ? {} : { aud: options.audience }), ...scope };
    case 'cognito-access':
      return { client_id: options.audience, token_use: 'access', scope: options.scope ?? 'aws.cognito.signin.user.admin', auth_time: iat, username: sub };
    case 'cognito-id':
      return {
        aud: options.audience,
        token_use: 'id',
        auth_time: iat,
        'cognito:username': sub,
        email: `${sub}@example.com`,
        email_verified: true,
        ...scope,
      };
    case 'auth0':
      return {
        aud: [options.audience!, `${options.issuer.replace(/\/+$/, '')}/userinfo`],
        azp: 'localgw-dev-client',
        scope: options.scope ?? 'openid profile email',
      };
    default:
      throw new JwtError('ERR_MINT_OPTIONS', `mintToken: unknown preset "${String(preset)}" (default, cognito-access, cognito-id, auth0)`);
  }
}

/**
 * The lifetime in seconds that `mintToken` gives a token for `expiresIn`, or `undefined` when it
 * is not a positive duration: for callers that check a user's input before minting.
 */
export function expiresInSeconds(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  const seconds = Math.round(Number(match[1]) * UNIT_SECONDS[(match[2] ?? 's')[0]!.toLowerCase()]!);
  return seconds > 0 ? seconds : undefined;
}

function parseExpiresIn(value: string | number): number {
  const seconds = expiresInSeconds(value);
  if (seconds !== undefined) return seconds;
  throw new JwtError('ERR_MINT_OPTIONS', `mintToken: expiresIn ${JSON.stringify(value)} is not a positive duration (seconds, or e.g. "15m", "1h", "7d")`);
}
