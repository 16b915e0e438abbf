import { createHmac } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSPKI, importJWK, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildJwtAuthorizer,
  createJwtAuthorizer,
  type AuthResult,
  type JwtAuthorizer,
  type JwtAuthorizerConfig,
  type JwtAuthorizerOptions,
} from './create-jwt-authorizer.js';
import { loadOrCreateDevKey, type DevKey } from './dev-key.js';
import { JWT_DIAGNOSTICS_CHANNELS } from './diagnostics.js';
import { mintToken } from './mint-token.js';
import { bearer, createSigner, type TestSigner } from './testing/issuer.js';
import { verifyToken } from './verify.js';

const ISSUER = 'https://issuer.example.com/pool-1';
const NOW = Date.UTC(2026, 2, 1, 9, 30, 0);
const NOW_S = NOW / 1000;

let root: string;
let signer: TestSigner;
let other: TestSigner;
let rs384: TestSigner;
let rs512: TestSigner;
let devKey: DevKey;
const open: JwtAuthorizer[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'localgw-jwt-'));
  [signer, other, rs384, rs512] = await Promise.all([createSigner('key-1'), createSigner('key-1'), createSigner('key-384', 'RS384'), createSigner('key-512', 'RS512')]);
  devKey = await loadOrCreateDevKey(join(root, '.localgw'));
});
afterEach(() => {
  for (const authorizer of open.splice(0)) authorizer.close();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function authorizer(config: Partial<JwtAuthorizerConfig> = {}, options: Partial<JwtAuthorizerOptions> = {}): JwtAuthorizer {
  const created = createJwtAuthorizer(
    { name: 'main', issuer: ISSUER, audience: ['client-1', 'client-2'], jwks: { keys: [signer.publicJwk, rs384.publicJwk, rs512.publicJwk] }, ...config },
    { baseDir: root, now: () => NOW, ...options },
  );
  open.push(created);
  return created;
}

const claims = (extra: JWTPayload = {}): JWTPayload => ({ iss: ISSUER, sub: 'alice', aud: 'client-1', iat: NOW_S - 10, exp: NOW_S + 3600, ...extra });
const without = (payload: JWTPayload, ...names: string[]) => Object.fromEntries(Object.entries(payload).filter(([k]) => !names.includes(k)));

async function expectDeny(result: AuthResult | Promise<AuthResult>, code: string, reason?: RegExp, statusCode = 401) {
  const outcome = await result;
  expect(outcome).toMatchObject({ kind: 'deny', statusCode, code });
  if (outcome.kind !== 'deny') throw new Error('unreachable: the match above failed');
  if (reason) expect(outcome.reason).toMatch(reason);
  return outcome;
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
function handMade(header: object, payload: object, sign: (input: string) => string): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${sign(input)}`;
}

describe('§3.2 a valid token', () => {
  it('is allowed, with claims stringified (§3.4) and scopes null when the route has none', async () => {
    const token = await signer.sign(claims({ 'cognito:groups': ['admin', 'ops'], email_verified: true, nothing: null }));
    const result = await authorizer().authorize(bearer(token), undefined);
    expect(result).toEqual({
      kind: 'allow',
      scopes: null,
      claims: { iss: ISSUER, sub: 'alice', aud: 'client-1', iat: String(NOW_S - 10), exp: String(NOW_S + 3600), 'cognito:groups': '[admin ops]', email_verified: 'true' },
      rawClaims: expect.objectContaining({ 'cognito:groups': ['admin', 'ops'], exp: NOW_S + 3600 }),
    });
  });

  it('RS384 and RS512 are accepted too', async () => {
    const gw = authorizer();
    await expect(gw.authorize(bearer(await rs384.sign(claims())), undefined)).resolves.toMatchObject({ kind: 'allow' });
    await expect(gw.authorize(bearer(await rs512.sign(claims())), undefined)).resolves.toMatchObject({ kind: 'allow' });
  });

  it('an aud array passes if any element matches', async () => {
    const token = await signer.sign(claims({ aud: ['other', 'client-2'] }));
    await expect(authorizer().authorize(bearer(token), undefined)).resolves.toMatchObject({ kind: 'allow' });
  });
});

describe('§3.2 step 1 identity source', () => {
  it('§10 no token: 401 naming the expected header, and www-authenticate "Bearer" alone as captured', async () => {
    const outcome = await expectDeny(authorizer().authorize({ rawHeaders: [], rawQueryString: '' }, undefined), 'ERR_TOKEN_MISSING', /header "Authorization"/);
    expect(outcome).toMatchObject({ wwwAuthenticate: 'Bearer' });
  });

  it('a token in the wrong header is not found', async () => {
    const token = await signer.sign(claims());
    await expectDeny(authorizer().authorize(bearer(token, 'X-Auth'), undefined), 'ERR_TOKEN_MISSING');
  });

  it('a custom header and a query string parameter work as identity sources', async () => {
    const token = await signer.sign(claims());
    await expect(authorizer({ identitySource: '$request.header.X-Auth' }).authorize(bearer(token, 'x-auth'), undefined)).resolves.toMatchObject({ kind: 'allow' });
    const byQuery = authorizer({ identitySource: '$request.querystring.access_token' });
    await expect(byQuery.authorize({ rawHeaders: [], rawQueryString: `a=1&access_token=${token}` }, undefined)).resolves.toMatchObject({ kind: 'allow' });
    await expectDeny(byQuery.authorize(bearer(token), undefined), 'ERR_TOKEN_MISSING', /query string parameter "access_token"/);
  });

  it('accepts "bearer" in any case and a bare token', async () => {
    const token = await signer.sign(claims());
    const gw = authorizer();
    await expect(gw.authorize({ rawHeaders: ['authorization', `BEARER ${token}`], rawQueryString: '' }, undefined)).resolves.toMatchObject({ kind: 'allow' });
    expect(await gw.authorize({ rawHeaders: ['Authorization', token], rawQueryString: '' }, undefined)).toMatchObject({ kind: 'allow' });
  });
});

describe('Security: algorithm confusion and forged tokens (§3.2 step 3)', () => {
  it('alg "none" is rejected', async () => {
    const token = handMade({ alg: 'none', kid: 'key-1', typ: 'JWT' }, claims(), () => '');
    const outcome = await expectDeny(authorizer().authorize(bearer(token), undefined), 'ERR_ALG_NOT_ALLOWED', /"none"/);
    expect(outcome.wwwAuthenticate).toBe('Bearer scope="" error="invalid_token" error_description="signing method none is invalid"');
  });

  it('HS256 signed with the public key (PEM, and JWK JSON) as the HMAC secret is rejected', async () => {
    const pem = await exportSPKI((await importJWK(signer.publicJwk, 'RS256')) as CryptoKey);
    const gw = authorizer();
    for (const secret of [pem, JSON.stringify(signer.publicJwk), signer.publicJwk.n!]) {
      const token = handMade({ alg: 'HS256', kid: 'key-1', typ: 'JWT' }, claims(), (input) => createHmac('sha256', secret).update(input).digest('base64url'));
      await expectDeny(gw.authorize(bearer(token), undefined), 'ERR_ALG_NOT_ALLOWED', /HS256/);
    }
  });

  it('ES256 and PS256 are rejected even when the JWKS has a matching key (only RS* is safe, §3.2)', async () => {
    const es = await createSigner('key-es', 'ES256');
    const ps = await createSigner('key-ps', 'PS256');
    const gw = authorizer({ jwks: { keys: [signer.publicJwk, es.publicJwk, ps.publicJwk] } });
    const es256 = await expectDeny(gw.authorize(bearer(await es.sign(claims())), undefined), 'ERR_ALG_NOT_ALLOWED', /ES256/);
    // §10: AWS's description for an ES256 token, as captured.
    expect(es256.wwwAuthenticate).toBe('Bearer scope="" error="invalid_token" error_description="signing method ES256 is invalid"');
    await expectDeny(gw.authorize(bearer(await ps.sign(claims())), undefined), 'ERR_ALG_NOT_ALLOWED', /PS256/);
  });

  it('an alg jwt-go does not know, or none at all, never puts the token\'s text in the header', async () => {
    const gw = authorizer();
    for (const alg of ['X"\r\nSet-Cookie: a=b', 42, undefined]) {
      const outcome = await expectDeny(gw.authorize(bearer(handMade({ alg, kid: 'key-1' }, claims(), () => 'c2ln')), undefined), 'ERR_ALG_NOT_ALLOWED');
      expect(outcome.wwwAuthenticate).toBe('Bearer scope="" error="invalid_token" error_description="signing method (alg) is unavailable."');
    }
  });

  it('a token signed by another key that reuses a trusted kid fails the signature check', async () => {
    const token = await other.sign(claims());
    await expectDeny(authorizer().authorize(bearer(token), undefined), 'ERR_SIGNATURE_INVALID', /key "key-1"/);
  });

  it('a tampered payload fails the signature check', async () => {
    const [h, , s] = (await signer.sign(claims())).split('.');
    const forged = `${h}.${b64url(JSON.stringify(claims({ sub: 'root' })))}.${s}`;
    await expectDeny(authorizer().authorize(bearer(forged), undefined), 'ERR_SIGNATURE_INVALID');
  });

  it('§10 not a JWT: "token contains an invalid number of segments", as captured', async () => {
    const gw = authorizer();
    for (const [token, parts] of [['garbage', 1], ['a.b', 2], ['a.b.c.d', 4], ['a.b.c.d.e', 5]] as const) {
      const outcome = await expectDeny(gw.authorize(bearer(token), undefined), 'ERR_TOKEN_SEGMENTS', new RegExp(`has ${parts} parts? separated by`));
      expect(outcome.wwwAuthenticate).toBe('Bearer scope="" error="invalid_token" error_description="token contains an invalid number of segments"');
    }
  });

  it('three segments that do not decode are malformed, and a 100 kB token is refused before any parsing', async () => {
    const gw = authorizer();
    await expectDeny(gw.authorize(bearer('a.b.c'), undefined), 'ERR_TOKEN_MALFORMED', /not a signed JWT/);
    const huge = await signer.sign(claims({ pad: 'x'.repeat(100_000) }));
    await expectDeny(gw.authorize(bearer(huge), undefined), 'ERR_TOKEN_TOO_LARGE', /10240 bytes/);
  });

  it('a kid-less token is rejected even when the JWKS holds a single key (kid must name a key)', async () => {
    const token = await signer.sign(claims(), { kid: undefined });
    await expectDeny(authorizer({ jwks: { keys: [signer.publicJwk] } }).authorize(bearer(token), undefined), 'ERR_KID_MISSING');
  });

  it('an unknown kid names the kid and the key source', async () => {
    const token = await signer.sign(claims(), { kid: 'nope' });
    await expectDeny(authorizer().authorize(bearer(token), undefined), 'ERR_KID_UNKNOWN', /no key with kid "nope" in JWKS from inline JWKS/);
  });

  it('a JWKS key published for RS384 does not verify an RS256 token', async () => {
    const token = await signer.sign(claims(), { kid: 'key-384' });
    await expectDeny(authorizer().authorize(bearer(token), undefined), 'ERR_KID_UNKNOWN', /cannot verify RS256/);
  });
});

describe('§3.2 step 4 claims', () => {
  it('expired: exp at or before now fails, and the reason gives the time', async () => {
    const gw = authorizer();
    await expectDeny(gw.authorize(bearer(await signer.sign(claims({ exp: NOW_S - 1 }))), undefined), 'ERR_TOKEN_EXPIRED', /expired at 2026-03-01T09:29:59\.000Z/);
    await expectDeny(gw.authorize(bearer(await signer.sign(claims({ exp: NOW_S }))), undefined), 'ERR_TOKEN_EXPIRED');
  });

  it('a token without exp is rejected', async () => {
    await expectDeny(authorizer().authorize(bearer(await signer.sign(without(claims(), 'exp'))), undefined), 'ERR_TOKEN_MALFORMED', /no "exp"/);
  });

  it('not yet valid: nbf after now fails, nbf equal to now passes (no leeway)', async () => {
    const gw = authorizer();
    await expectDeny(gw.authorize(bearer(await signer.sign(claims({ nbf: NOW_S + 1 }))), undefined), 'ERR_TOKEN_NOT_YET_VALID', /not valid before/);
    await expect(gw.authorize(bearer(await signer.sign(claims({ nbf: NOW_S }))), undefined)).resolves.toMatchObject({ kind: 'allow' });
  });

  it('iat in the future fails; iat equal to now passes', async () => {
    const gw = authorizer();
    await expectDeny(gw.authorize(bearer(await signer.sign(claims({ iat: NOW_S + 5 }))), undefined), 'ERR_TOKEN_USED_BEFORE_ISSUED', /in the future/);
    await expect(gw.authorize(bearer(await signer.sign(claims({ iat: NOW_S }))), undefined)).resolves.toMatchObject({ kind: 'allow' });
  });

  it('iss must match exactly (a trailing slash differs)', async () => {
    const gw = authorizer();
    await expectDeny(gw.authorize(bearer(await signer.sign(claims({ iss: 'https://evil.example.com' }))), undefined), 'ERR_ISSUER_INVALID', /does not match/);
    await expectDeny(gw.authorize(bearer(await signer.sign(claims({ iss: `${ISSUER}/` }))), undefined), 'ERR_ISSUER_INVALID');
    await expectDeny(gw.authorize(bearer(await signer.sign(without(claims(), 'iss'))), undefined), 'ERR_ISSUER_INVALID', /no "iss"/);
  });

  it('wrong audience: 401 listing what was expected', async () => {
    const outcome = await expectDeny(
      authorizer().authorize(bearer(await signer.sign(claims({ aud: 'x' }))), undefined),
      'ERR_AUDIENCE_INVALID',
      /audience "x" not in \["client-1", "client-2"\]/,
    );
    expect(outcome).toMatchObject({ wwwAuthenticate: 'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"' });
  });

  it('aud present and wrong fails even when client_id matches (client_id is only a fallback)', async () => {
    const token = await signer.sign(claims({ aud: 'x', client_id: 'client-1' }));
    await expectDeny(authorizer().authorize(bearer(token), undefined), 'ERR_AUDIENCE_INVALID', /only consulted when aud is absent/);
  });

  it('client_id alone is used when aud is absent (Cognito access token, §3.5)', async () => {
    const gw = authorizer();
    const access = await signer.sign(without(claims({ client_id: 'client-2', token_use: 'access' }), 'aud'));
    await expect(gw.authorize(bearer(access), undefined)).resolves.toMatchObject({ kind: 'allow', claims: { client_id: 'client-2' } });
    const wrong = await signer.sign(without(claims({ client_id: 'nope' }), 'aud'));
    await expectDeny(gw.authorize(bearer(wrong), undefined), 'ERR_AUDIENCE_INVALID', /client_id "nope"/);
    await expectDeny(gw.authorize(bearer(await signer.sign(without(claims(), 'aud'))), undefined), 'ERR_AUDIENCE_INVALID', /neither "aud" nor "client_id"/);
  });
});

describe('§3.2 scopes and §3.3 403', () => {
  it('a route with authorizationScopes needs at least one; scopes lists the token scopes (§3.4)', async () => {
    const gw = authorizer();
    const token = await signer.sign(claims({ scope: 'items/read profile' }));
    await expect(gw.authorize(bearer(token), ['items/write', 'items/read'])).resolves.toMatchObject({ kind: 'allow', scopes: ['items/read', 'profile'] });
    expect(await gw.authorize(bearer(token), [])).toMatchObject({ kind: 'allow', scopes: null });
  });

  it('scp as an array counts', async () => {
    const token = await signer.sign(claims({ scp: ['items/read'] }));
    await expect(authorizer().authorize(bearer(token), ['items/read'])).resolves.toMatchObject({ kind: 'allow', scopes: ['items/read'] });
  });

  it('a valid token without a required scope is 403 insufficient_scope', async () => {
    const gw = authorizer();
    const token = await signer.sign(claims({ scope: 'profile' }));
    const outcome = await expectDeny(gw.authorize(bearer(token), ['items/read', 'items/write']), 'ERR_INSUFFICIENT_SCOPE', /needs at least one of \[items\/read items\/write\]/, 403);
    expect(outcome).toMatchObject({
      wwwAuthenticate: 'Bearer scope="items/read items/write" error="insufficient_scope" error_description="the token does not have a required scope"',
    });
    await expectDeny(gw.authorize(bearer(await signer.sign(claims())), ['items/read']), 'ERR_INSUFFICIENT_SCOPE', /no scopes/, 403);
  });
});

describe('verified-token cache', () => {
  it('a repeated token does no second verification; scopes are still checked per route', async () => {
    const seen: unknown[] = [];
    const onVerify = (message: unknown) => seen.push(message);
    subscribe(JWT_DIAGNOSTICS_CHANNELS.verify, onVerify);
    let calls = 0;
    let now = NOW;
    const gw = buildJwtAuthorizer(
      { name: 'cache-test', issuer: ISSUER, audience: ['client-1'], jwks: { keys: [signer.publicJwk] } },
      { baseDir: root, now: () => now },
      { verifyToken: (...args) => (calls++, verifyToken(...args)) },
    );
    open.push(gw);
    try {
      const token = await signer.sign(claims({ scope: 'items/read', exp: NOW_S + 60 }));
      await expect(gw.authorize(bearer(token), undefined)).resolves.toMatchObject({ kind: 'allow' });
      // Verified before: decided at once, without a promise (this runs on every request).
      const cached = gw.authorize(bearer(token), ['items/read']);
      expect(cached).not.toBeInstanceOf(Promise);
      expect(cached).toMatchObject({ kind: 'allow', scopes: ['items/read'] });
      await expectDeny(gw.authorize(bearer(token), ['admin']), 'ERR_INSUFFICIENT_SCOPE', undefined, 403);
      expect(calls).toBe(1);
      expect(seen.filter((m) => (m as { authorizer: string }).authorizer === 'cache-test')).toHaveLength(1);

      now = NOW + 60_000; // the entry dies at the token's exp and the token is verified again
      await expectDeny(gw.authorize(bearer(token), undefined), 'ERR_TOKEN_EXPIRED');
      expect(calls).toBe(2);
    } finally {
      unsubscribe(JWT_DIAGNOSTICS_CHANNELS.verify, onVerify);
    }
  });

  it('denials are not cached', async () => {
    let calls = 0;
    const gw = buildJwtAuthorizer(
      { name: 'main', issuer: ISSUER, audience: ['client-1'], jwks: { keys: [signer.publicJwk] } },
      { baseDir: root, now: () => NOW },
      { verifyToken: (...args) => (calls++, verifyToken(...args)) },
    );
    open.push(gw);
    const token = await signer.sign(claims({ aud: 'x' }));
    await gw.authorize(bearer(token), undefined);
    await gw.authorize(bearer(token), undefined);
    expect(calls).toBe(2);
  });
});

describe('DESIGN "Dev tokens": the dev key next to the real issuer', () => {
  it('dev-key tokens and real-issuer tokens both pass; the dev key still obeys issuer and audience', async () => {
    const gw = authorizer({ jwks: { keys: [signer.publicJwk] } }, { devKey, now: Date.now });
    const dev = await mintToken(devKey, { issuer: ISSUER, audience: 'client-1' });
    await expect(gw.authorize(bearer(dev), undefined)).resolves.toMatchObject({ kind: 'allow' });
    const real = await signer.sign(claims({ iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60 }));
    await expect(gw.authorize(bearer(real), undefined)).resolves.toMatchObject({ kind: 'allow' });
    await expectDeny(gw.authorize(bearer(await mintToken(devKey, { issuer: 'https://other' , audience: 'client-1' })), undefined), 'ERR_ISSUER_INVALID');
    await expectDeny(gw.authorize(bearer(await mintToken(devKey, { issuer: ISSUER, audience: 'x' })), undefined), 'ERR_AUDIENCE_INVALID');
  });

  it('a token that claims the dev kid but is signed by another key fails', async () => {
    const gw = authorizer({}, { devKey });
    const forged = await other.sign(claims(), { kid: devKey.kid });
    await expectDeny(gw.authorize(bearer(forged), undefined), 'ERR_SIGNATURE_INVALID', /local dev key/);
  });

  it('without devKey, dev tokens are unknown keys', async () => {
    const dev = await mintToken(devKey, { issuer: ISSUER, audience: 'client-1', now: () => NOW });
    await expectDeny(authorizer().authorize(bearer(dev), undefined), 'ERR_KID_UNKNOWN');
  });

  it('a non-URL issuer with no jwks works with the dev key only', async () => {
    const gw = authorizer({ issuer: 'local-dev', jwks: undefined }, { devKey, now: Date.now });
    await expect(gw.authorize(bearer(await mintToken(devKey, { issuer: 'local-dev', audience: 'client-1' })), undefined)).resolves.toMatchObject({ kind: 'allow' });
    await expectDeny(gw.authorize(bearer(await signer.sign(claims({ iss: 'local-dev' }))), undefined), 'ERR_KID_UNKNOWN', /only the local dev key/);
  });
});

describe('createJwtAuthorizer validates eagerly', () => {
  it.each<[string, Partial<JwtAuthorizerConfig>, RegExp]>([
    ['bad identitySource', { identitySource: '$request.path.token' }, /authorizers\.main\.identitySource: .*not supported/],
    ['several identity sources', { identitySource: '$request.header.A,$request.header.B' }, /exactly one/],
    ['empty audience', { audience: [] }, /authorizers\.main\.audience: must list at least one/],
    ['51 audiences', { audience: Array.from({ length: 51 }, (_, i) => `a${i}`) }, /at most 50/],
    ['empty issuer', { issuer: '' }, /authorizers\.main\.issuer/],
    ['non-URL issuer without jwks', { issuer: 'my-issuer', jwks: undefined }, /not an http\(s\) URL/],
    ['bad jwks type', { jwks: 42 as never }, /authorizers\.main\.jwks/],
    ['malformed inline jwks', { jwks: { keys: [{ kty: 'RSA' }] } }, /authorizers\.main\.jwks: JWKS from inline JWKS: key 0 .*"n" and "e"/],
    ['inline jwks that is not a set', { jwks: { keys: 'x' } as never }, /authorizers\.main\.jwks/],
    ['private key material in a jwks', { jwks: { keys: [{ kty: 'RSA', n: 'AQAB', e: 'AQAB', d: 'AQAB' }] } }, /private key material/],
  ])('%s', (_label, config, message) => {
    expect(() => authorizer(config)).toThrow(message);
  });

  it('a name with odd characters is quoted in the path', () => {
    expect(() => authorizer({ name: 'my auth', audience: [] })).toThrow(/authorizers\["my auth"\]\.audience/);
  });

  it('reads a jwks file relative to baseDir, and names a missing one', async () => {
    await writeFile(join(root, 'jwks.json'), JSON.stringify({ keys: [signer.publicJwk] }));
    const gw = authorizer({ jwks: './jwks.json' });
    await expect(gw.authorize(bearer(await signer.sign(claims())), undefined)).resolves.toMatchObject({ kind: 'allow' });
    expect(() => authorizer({ jwks: './missing.json' })).toThrow(expect.objectContaining({ code: 'ERR_JWKS_FILE', message: expect.stringMatching(/missing\.json.*ENOENT/) }));
    await writeFile(join(root, 'bad.json'), '{ nope');
    expect(() => authorizer({ jwks: 'bad.json' })).toThrow(expect.objectContaining({ code: 'ERR_JWKS_FILE' }));
  });
});
