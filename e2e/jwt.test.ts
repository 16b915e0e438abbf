import { statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync, startCli, type RunningCli } from './helpers/cli.js';
import { http } from './helpers/http.js';
import { createSigningKey, DISCOVERY_PATH, JWKS_PATH, startOidcIssuer, type OidcIssuer, type SigningKey } from './helpers/oidc-issuer.js';
import { tempProject } from './helpers/project.js';
import { API_HANDLERS } from './fixtures/cors-handlers.js';
import { PAIR_CONFIGS, preflightPairFiles, type PairConfig } from './fixtures/preflight-pair.js';

// aws-behavior.md §3 and §1.7 end to end (issue 4 "Done when"): the built CLI verifies real RS256
// tokens from a real OIDC issuer on loopback, and dev tokens from `localgw token`.
// The describe blocks run in order and share the issuer: discovery → failures → dev tokens →
// rotation → the issuer going away.

const AUDIENCE = 'my-client-id';
const APP_ORIGIN = 'http://127.0.0.1:5173';

let keyA: SigningKey;
let keyB: SigningKey;
let impostorA: SigningKey; // another key that claims kid "key-a"
let issuer: OidcIssuer;
let project: ReturnType<typeof tempProject>;
let gw: RunningCli;
const others: RunningCli[] = [];
const cleanups: Array<() => void> = [];

const routes = {
  'GET /me': { handler: 'handlers/api.echo', authorizer: 'main' },
  'GET /items/{id}': { handler: 'handlers/api.echo', authorizer: 'main', authorizationScopes: ['items/read'] },
  'GET /v1/items': { handler: 'handlers/api.v1', authorizer: 'main', authorizationScopes: ['items/read'], payloadFormatVersion: '1.0' },
};
const configFor = (issuerUrl: string, extra: object = {}) => ({ authorizers: { main: { type: 'jwt', issuer: issuerUrl, audience: [AUDIENCE] } }, routes, ...extra });

beforeAll(async () => {
  [keyA, keyB, impostorA] = await Promise.all([createSigningKey('key-a'), createSigningKey('key-b'), createSigningKey('key-a')]);
  issuer = await startOidcIssuer([keyA]);
  project = tempProject({
    'handlers/api.mjs': API_HANDLERS,
    'localgw.config.json': configFor(issuer.issuer),
    // The same API with dev tokens switched off in the config; same folder, so same .localgw/.
    'strict.config.json': configFor(issuer.issuer, { devTokens: false }),
  });
  gw = await startCli(['--no-watch'], { cwd: project.dir });
});
afterAll(async () => {
  await Promise.all([gw?.stop(), ...others.map((cli) => cli.stop())]);
  await issuer?.close();
  project?.cleanup();
  for (const cleanup of cleanups) cleanup();
});

async function start(args: string[], cwd: string): Promise<RunningCli> {
  const cli = await startCli(args, { cwd });
  others.push(cli);
  return cli;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const claimsFor = (extra: Record<string, unknown> = {}) => ({ iss: issuer.issuer, aud: AUDIENCE, sub: 'alice', iat: nowSeconds(), exp: nowSeconds() + 600, ...extra });
const get = (base: RunningCli, path: string, token?: string) => http(base.url + path, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
const jwksFetches = () => issuer.requests.filter((p) => p === JWKS_PATH).length;

describe('§3.2 keys from OIDC discovery, with jwks_uri at a non-standard path', () => {
  it('accepts a token signed by the issuer, after reading discovery and then jwks_uri (never a guessed path)', async () => {
    const res = await get(gw, '/me', await keyA.sign(claimsFor()));
    expect(res.status, res.text).toBe(200);
    expect(res.json().authorizer.jwt.claims.sub).toBe('alice');
    expect(issuer.requests).toEqual([DISCOVERY_PATH, JWKS_PATH]);
    await gw.waitForOutput(/GET \/me → GET \/me · 200 · [\d.]+ ms · jwt main ✓ sub=alice/);
  });

  it('verifies further tokens from the cached key set, without the network', async () => {
    const res = await get(gw, '/me', await keyA.sign(claimsFor({ sub: 'bob' })));
    expect(res.status).toBe(200);
    expect(issuer.requests).toHaveLength(2);
  });
});

describe('§3.4 claims and scopes in the integration event', () => {
  it('payload 2.0: every claim is a string (numbers, booleans, arrays as [a b], objects as JSON), nulls dropped; scopes null without route scopes', async () => {
    const claims = claimsFor({ n: 42, email_verified: true, 'cognito:groups': ['admin', 'poweruser'], gone: null, address: { country: 'FR' }, scope: 'items/read profile' });
    const res = await get(gw, '/me', await keyA.sign(claims));
    expect(res.json().authorizer).toEqual({
      jwt: {
        claims: {
          iss: issuer.issuer,
          aud: AUDIENCE,
          sub: 'alice',
          iat: String(claims.iat),
          exp: String(claims.exp),
          n: '42',
          email_verified: 'true',
          'cognito:groups': '[admin poweruser]',
          address: '{"country":"FR"}',
          scope: 'items/read profile',
        },
        scopes: null,
      },
    });
  });

  it('a route with authorizationScopes gets the token\'s scopes as an array', async () => {
    const res = await get(gw, '/items/1', await keyA.sign(claimsFor({ scope: 'items/read profile' })));
    expect(res.status).toBe(200);
    expect(res.json().authorizer.jwt.scopes).toEqual(['items/read', 'profile']);
  });

  it('payload 1.0: requestContext.authorizer.claims and .scopes', async () => {
    const res = await get(gw, '/v1/items', await keyA.sign(claimsFor({ scope: 'items/read', n: 7 })));
    expect(res.status).toBe(200);
    const { authorizer } = res.json();
    expect(authorizer.claims).toMatchObject({ sub: 'alice', n: '7', scope: 'items/read' });
    expect(authorizer.scopes).toEqual(['items/read']);
  });
});

describe('§3.3 failure responses say why, in www-authenticate and on the request log line', () => {
  // The description is undefined where AWS sends `www-authenticate: Bearer` alone (§10, no token).
  const cases: Array<[string, () => Promise<string | undefined>, string | undefined, RegExp]> = [
    ['§10 no token', async () => undefined, undefined, /missing header "Authorization" \(identitySource \$request\.header\.Authorization\)/],
    ['expired', () => keyA.sign(claimsFor({ iat: nowSeconds() - 120, exp: nowSeconds() - 60 })), 'the token has expired', /token expired at \d{4}-/],
    ['§10 wrong audience', () => keyA.sign(claimsFor({ aud: 'someone-else' })), 'the token does not have a valid audience', /audience "someone-else" not in \["my-client-id"\]/],
    ['wrong issuer', () => keyA.sign(claimsFor({ iss: 'https://elsewhere.example.com' })), 'the token does not have a valid issuer', /issuer "https:\/\/elsewhere\.example\.com" does not match/],
    ['another key with the same kid', () => impostorA.sign(claimsFor()), 'the token signature is invalid', /signature does not verify with key "key-a"/],
    ['not yet valid', () => keyA.sign(claimsFor({ nbf: nowSeconds() + 300 })), 'the token is not valid yet', /not valid before/],
    ['alg none', async () => `${b64({ alg: 'none', kid: 'key-a' })}.${b64(claimsFor())}.`, 'signing method none is invalid', /alg "none" is not accepted/],
    ['§10 an ES256 token', async () => `${b64({ alg: 'ES256', kid: 'key-a' })}.${b64(claimsFor())}.c2ln`, 'signing method ES256 is invalid', /alg "ES256" is not accepted/],
    ['§10 not a JWT', async () => 'not-a-jwt', 'token contains an invalid number of segments', /token is not a JWT: it has 1 part separated by/],
    ['three parts that are not JSON', async () => 'not.a.jwt', 'the token is malformed', /not a signed JWT/],
  ];

  it.each(cases)('%s → 401 {"message":"Unauthorized"}', async (name, token, description, reason) => {
    const tag = name.replace(/\W+/g, '-');
    const res = await get(gw, `/me?case=${tag}`, await token());
    expect(res.status).toBe(401);
    expect(res.text).toBe('{"message":"Unauthorized"}');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['www-authenticate']).toBe(description === undefined ? 'Bearer' : `Bearer scope="" error="invalid_token" error_description="${description}"`);
    await gw.waitForOutput(new RegExp(`GET /me\\?case=${tag} → GET /me · 401 · [\\d.]+ ms · jwt main ✗ .*${reason.source}`, reason.flags));
  });

  it('a valid token without a required scope → 403 {"message":"Forbidden"}, and the log names the scopes', async () => {
    const res = await get(gw, '/items/1?case=scope', await keyA.sign(claimsFor({ scope: 'profile' })));
    expect(res.status).toBe(403);
    expect(res.text).toBe('{"message":"Forbidden"}');
    expect(res.headers['www-authenticate']).toBe('Bearer scope="items/read" error="insufficient_scope" error_description="the token does not have a required scope"');
    await gw.waitForOutput(/GET \/items\/1\?case=scope → GET \/items\/\{id\} · 403 · [\d.]+ ms · jwt main ✗ token has scopes \[profile\]; the route needs at least one of \[items\/read\]/);
  });
});

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('dev tokens (DESIGN.md "Dev tokens")', () => {
  let devToken: string;

  it('`localgw token --authorizer main --scope ...` prints a token the running gateway accepts, offline', async () => {
    const before = issuer.requests.length;
    const minted = await runCliAsync(['token', '--authorizer', 'main', '--sub', 'dev-alice', '--scope', 'items/read', '--claim', 'admin=true'], { cwd: project.dir });
    expect(minted.code, minted.stderr).toBe(0);
    devToken = minted.stdout.trim();
    const res = await get(gw, '/items/1', devToken);
    expect(res.status, res.text).toBe(200);
    expect(res.json().authorizer.jwt.claims).toMatchObject({ iss: issuer.issuer, aud: AUDIENCE, sub: 'dev-alice', scope: 'items/read', admin: 'true' });
    expect(issuer.requests.length).toBe(before); // the dev key is local: no key fetch
  });

  it('--preset cognito-access: client_id instead of aud (accepted through the §3.2 client_id fallback)', async () => {
    const minted = await runCliAsync(['token', '--authorizer', 'main', '--preset', 'cognito-access', '--scope', 'items/read'], { cwd: project.dir });
    expect(minted.code, minted.stderr).toBe(0);
    const res = await get(gw, '/items/2', minted.stdout.trim());
    expect(res.status, res.text).toBe(200);
    const claims = res.json().authorizer.jwt.claims;
    expect(claims).toMatchObject({ client_id: AUDIENCE, token_use: 'access', scope: 'items/read' });
    expect(claims.aud).toBeUndefined();
  });

  it('the dev signing key is private: .localgw/dev-signing-key.json has mode 0600, its folder 0700', () => {
    expect(statSync(project.path('.localgw/dev-signing-key.json')).mode & 0o777).toBe(0o600);
    expect(statSync(project.path('.localgw')).mode & 0o777).toBe(0o700);
  });

  it.each([
    ['`localgw start --no-dev-tokens`', ['--no-dev-tokens']],
    ['`"devTokens": false` in the config', ['--config', 'strict.config.json']],
  ])('%s rejects it: its kid is in no key set', async (_, flags) => {
    const strict = await start(['--no-watch', ...flags], project.dir);
    const res = await get(strict, '/items/1?case=strict', devToken);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error_description="the token kid does not match any signing key"');
    await strict.waitForOutput(/GET \/items\/1\?case=strict → GET \/items\/\{id\} · 401 · [\d.]+ ms · jwt main ✗ no key with kid "localgw-dev-/);
  });

  it('`localgw token` for a config with "devTokens": false still prints a token, and warns that it will be rejected', async () => {
    const minted = await runCliAsync(['token', '--config', 'strict.config.json', '--authorizer', 'main'], { cwd: project.dir });
    expect(minted.code).toBe(0);
    expect(minted.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(minted.stderr).toContain('sets "devTokens": false, so localgw started from it rejects this token');
  });
});

describe('§3.2 key rotation and caching: the issuer rotates, then goes away', () => {
  // Its own project folder, so its .localgw/ JWKS cache starts empty.
  let rotation: ReturnType<typeof tempProject>;
  let first: RunningCli;
  let fresh: RunningCli;
  let tokenA: string;
  let tokenB: string;

  beforeAll(async () => {
    rotation = tempProject({ 'handlers/api.mjs': API_HANDLERS, 'localgw.config.json': configFor(issuer.issuer) });
    cleanups.push(rotation.cleanup);
    [first, tokenA, tokenB] = await Promise.all([
      start(['--no-watch'], rotation.dir),
      keyA.sign(claimsFor({ sub: 'rotating-a' })),
      keyB.sign(claimsFor({ sub: 'rotating-b' })),
    ]);
  });

  it('the issuer publishes a new kid: a gateway that fetched keys a moment ago refuses it and says when it will look again', async () => {
    expect((await get(first, '/me', tokenA)).status).toBe(200); // first fetch: discovery + JWKS {key-a}
    issuer.publish([keyA, keyB]);
    const before = jwksFetches();
    const res = await get(first, '/me?case=cooldown', tokenB);
    expect(res.status).toBe(401);
    await first.waitForOutput(/GET \/me\?case=cooldown → GET \/me · 401 · [\d.]+ ms · jwt main ✗ no key with kid "key-b" .*an unknown kid refetches at most every 30 s/);
    expect(jwksFetches()).toBe(before);
  });

  it('a gateway started from the disk cache refetches once for the unknown kid and accepts the new key', async () => {
    const before = jwksFetches();
    fresh = await start(['--no-watch'], rotation.dir);
    expect((await get(fresh, '/me', tokenA)).status).toBe(200); // from .localgw/ (fetched < 2 h ago), no network
    expect(jwksFetches()).toBe(before);
    const res = await get(fresh, '/me', tokenB);
    expect(res.status, res.text).toBe(200);
    expect(res.json().authorizer.jwt.claims.sub).toBe('rotating-b');
    expect(jwksFetches()).toBe(before + 1);
  });

  it('the issuer goes away: running gateways keep verifying from memory', async () => {
    await issuer.close();
    expect((await get(fresh, '/me', tokenA)).status).toBe(200);
    expect((await get(fresh, '/me', tokenB)).status).toBe(200);
    expect((await get(first, '/me', tokenA)).status).toBe(200);
    expect((await get(gw, '/me', await keyA.sign(claimsFor()))).status).toBe(200);
  });

  it('a new CLI process, offline, verifies from the .localgw/ disk cache (rotated set included)', async () => {
    const offline = await start(['--no-watch'], rotation.dir);
    const res = await get(offline, '/me', tokenB);
    expect(res.status, res.text).toBe(200);
    expect((await get(offline, '/me', tokenA)).status).toBe(200);
    // An unknown kid now cannot be refetched; the 401 says so.
    const unknown = await get(offline, '/me?case=offline-unknown-kid', await keyB.sign(claimsFor(), { kid: 'key-c' }));
    expect(unknown.status).toBe(401);
    await offline.waitForOutput(/GET \/me\?case=offline-unknown-kid → GET \/me · 401 · [\d.]+ ms · jwt main ✗ no key with kid "key-c" .*refetch failed/);
  });
});

describe('§1.7 CORS + a JWT authorizer on $default / ANY, and the OPTIONS /{proxy+} fix (plain HTTP)', () => {
  let pair: ReturnType<typeof tempProject>;
  let pairGw: Record<PairConfig, RunningCli>;
  let token: string;

  beforeAll(async () => {
    pair = tempProject(preflightPairFiles(APP_ORIGIN));
    cleanups.push(pair.cleanup);
    const minted = await runCliAsync(['token', '--config', 'default-trap.json', '--authorizer', 'main'], { cwd: pair.dir });
    if (minted.code !== 0) throw new Error(minted.stderr);
    token = minted.stdout.trim();
    const started = await Promise.all(PAIR_CONFIGS.map((name) => start(['--no-watch', '--config', `${name}.json`], pair.dir)));
    pairGw = Object.fromEntries(PAIR_CONFIGS.map((name, i) => [name, started[i]!])) as typeof pairGw;
  });

  const preflight = (cli: RunningCli, path: string) =>
    http(cli.url + path, {
      method: 'OPTIONS',
      headers: { origin: APP_ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });

  it.each([
    ['default-trap', '$default'],
    ['any-trap', 'ANY /{proxy+}'],
  ] as const)('%s: the preflight matches %s, its authorizer runs, no token → 401', async (name, routeKey) => {
    const res = await preflight(pairGw[name], '/items/1?case=trap');
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ message: 'Unauthorized' });
    await pairGw[name].waitForOutput(`OPTIONS /items/1?case=trap → ${routeKey} · 401`);
  });

  it.each(['default-fixed', 'any-fixed'] as const)('%s: OPTIONS /{proxy+} without authorizer outranks it; the preflight passes with CORS headers', async (name) => {
    const res = await preflight(pairGw[name], '/items/1?case=fixed');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(res.headers['access-control-allow-headers']).toBe('Authorization,Content-Type');
    await pairGw[name].waitForOutput('OPTIONS /items/1?case=fixed → OPTIONS /{proxy+} · 204');
  });

  it('`localgw check` warns about the two traps, and not about the fixed configs', async () => {
    const checks = await Promise.all(PAIR_CONFIGS.map((name) => runCliAsync(['check', '--config', `${name}.json`], { cwd: pair.dir })));
    const [defaultTrap, defaultFixed, anyTrap, anyFixed] = checks.map((c) => c.stdout);
    expect(defaultTrap).toMatch(/routes\.\$default: catches browser preflights \(OPTIONS\) and requires authorizer "main", so preflights will get 401/);
    expect(anyTrap).toMatch(/routes\["ANY \/\{proxy\+\}"\]: catches browser preflights/);
    for (const out of [defaultFixed, anyFixed]) expect(out).not.toContain('preflights will get 401');
    expect(checks.map((c) => c.code)).toEqual([0, 0, 0, 0]);
  });

  it.each(PAIR_CONFIGS)('%s: the authenticated request itself is served, with CORS headers', async (name) => {
    const res = await http(`${pairGw[name].url}/items/1`, { headers: { origin: APP_ORIGIN, authorization: `Bearer ${token}` } });
    expect(res.status, res.text).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
  });
});

describe('issue 13 item 24: a failing or hanging issuer is asked once per cooldown, not once per request', () => {
  const servers: Server[] = [];
  let failing: { url: string; requests: string[] };
  let hanging: { url: string; requests: string[] };
  let cli: RunningCli;

  /** An issuer on loopback that never gives keys: it answers 500, or never answers at all. */
  async function brokenIssuer(mode: '500' | 'hang') {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (mode === '500') res.writeHead(500).end('down');
      // 'hang': no answer; the gateway's 1500 ms timeout (§3.2) ends the wait.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tenant`, requests };
  }

  beforeAll(async () => {
    [failing, hanging] = await Promise.all([brokenIssuer('500'), brokenIssuer('hang')]);
    const broken = tempProject({
      'handlers/api.mjs': API_HANDLERS,
      'localgw.config.json': {
        authorizers: {
          failing: { type: 'jwt', issuer: failing.url, audience: [AUDIENCE] },
          hanging: { type: 'jwt', issuer: hanging.url, audience: [AUDIENCE] },
        },
        routes: { 'GET /failing': { handler: 'handlers/api.echo', authorizer: 'failing' }, 'GET /hanging': { handler: 'handlers/api.echo', authorizer: 'hanging' } },
      },
    });
    cleanups.push(broken.cleanup);
    cli = await start(['--no-watch'], broken.dir);
  });
  afterAll(async () => {
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  // Signed by a key neither issuer publishes: the gateway must ask the issuer for its keys.
  const tokenFor = (iss: string, n: number) => keyA.sign({ iss, aud: AUDIENCE, sub: `u${n}`, exp: nowSeconds() + 600 });

  it('an issuer answering 500: 15 requests, one discovery request', async () => {
    for (let n = 0; n < 15; n++) {
      const res = await get(cli, `/failing?case=500-${n}`, await tokenFor(failing.url, n));
      expect(res.status).toBe(401);
    }
    expect(failing.requests).toEqual(['/tenant/.well-known/openid-configuration']);
    await cli.waitForOutput(/GET \/failing\?case=500-14 → GET \/failing · 401 · [\d.]+ ms · jwt failing ✗ .*answered HTTP 500 \(\d+ s ago; not retried until 30 s after the last attempt\)/);
  });

  it('an issuer that never answers: concurrent and later requests share one 1500 ms timeout', async () => {
    const tokens = await Promise.all(Array.from({ length: 15 }, (_, n) => tokenFor(hanging.url, n)));
    const concurrent = await Promise.all(tokens.slice(0, 5).map((token, n) => get(cli, `/hanging?case=hang-${n}`, token)));
    expect(concurrent.map((res) => res.status)).toEqual([401, 401, 401, 401, 401]);
    const started = performance.now();
    for (const [n, token] of tokens.slice(5).entries()) {
      expect((await get(cli, `/hanging?case=hang-later-${n}`, token)).status).toBe(401);
    }
    // Ten requests that each waited for the timeout would take 15 s; from memory they take
    // milliseconds. The margin is for a loaded machine; the request count is the real check.
    expect(performance.now() - started).toBeLessThan(7_500);
    expect(hanging.requests).toEqual(['/tenant/.well-known/openid-configuration']);
    await cli.waitForOutput(/GET \/hanging\?case=hang-later-9 → GET \/hanging · 401 · [\d.]+ ms · jwt hanging ✗ .*timed out after 1500 ms \(\d+ s ago; not retried/);
  });
});
