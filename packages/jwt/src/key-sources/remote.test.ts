import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JWTPayload } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createJwtAuthorizer, type JwtAuthorizer, type JwtAuthorizerConfig, type JwtAuthorizerOptions } from '../create-jwt-authorizer.js';
import { bearer, createSigner, json, startIssuer, type IssuerServer, type TestSigner } from '../testing/issuer.js';
import { JWKS_CACHE_TTL_MS } from './cache.js';
import { MAX_RESPONSE_BYTES } from './fetch-json.js';
import { REFETCH_COOLDOWN_MS } from './remote.js';

const NOW = Date.UTC(2026, 2, 1, 9, 30, 0);
const NOW_S = NOW / 1000;

let k1: TestSigner;
let k2: TestSigner;
let k3: TestSigner;
const servers: IssuerServer[] = [];
const dirs: string[] = [];
const open: JwtAuthorizer[] = [];

beforeAll(async () => {
  [k1, k2, k3] = await Promise.all([createSigner('k1'), createSigner('k2'), createSigner('k3')]);
});
afterEach(() => {
  for (const authorizer of open.splice(0)) authorizer.close();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function issuerWith(...signers: TestSigner[]): Promise<IssuerServer> {
  const server = await startIssuer(signers.map((s) => s.publicJwk));
  servers.push(server);
  return server;
}
async function projectDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'localgw-remote-'));
  dirs.push(dir);
  return dir;
}
function authorizer(config: Omit<JwtAuthorizerConfig, 'name' | 'audience'>, options: JwtAuthorizerOptions): JwtAuthorizer {
  const created = createJwtAuthorizer({ name: 'main', audience: ['client-1'], ...config }, options);
  open.push(created);
  return created;
}
const tokenFor = (signer: TestSigner, issuer: string, extra: JWTPayload = {}) =>
  signer.sign({ iss: issuer, aud: 'client-1', sub: 'alice', iat: NOW_S, exp: NOW_S + 86_400, ...extra });
const keyRequests = (server: IssuerServer) => server.requests.filter((p) => p === '/oauth2/v3/certs').length;

describe('§3.2 JWKS discovery and fetching', () => {
  it('discovery reads jwks_uri from ISSUER/.well-known/openid-configuration and never guesses the path', async () => {
    const server = await issuerWith(k1);
    const gw = authorizer({ issuer: server.issuer }, { baseDir: await projectDir(), now: () => NOW });
    await expect(gw.authorize(bearer(await tokenFor(k1, server.issuer)), undefined)).resolves.toMatchObject({ kind: 'allow' });
    expect(server.requests).toEqual(['/tenant-a/.well-known/openid-configuration', '/oauth2/v3/certs']);
  });

  it('an issuer with a trailing slash does not double it in the discovery URL', async () => {
    const server = await issuerWith(k1);
    const issuer = `${server.issuer}/`;
    const gw = authorizer({ issuer }, { baseDir: await projectDir(), now: () => NOW });
    await expect(gw.authorize(bearer(await tokenFor(k1, issuer)), undefined)).resolves.toMatchObject({ kind: 'allow' });
    expect(server.requests[0]).toBe('/tenant-a/.well-known/openid-configuration');
  });

  it('a jwks URL is fetched directly, once, for many requests', async () => {
    const server = await issuerWith(k1);
    const gw = authorizer({ issuer: server.issuer, jwks: server.jwksUri }, { baseDir: await projectDir(), now: () => NOW });
    const tokens = await Promise.all([1, 2, 3].map((n) => tokenFor(k1, server.issuer, { n })));
    const results = await Promise.all(tokens.map((t) => gw.authorize(bearer(t), undefined)));
    expect(results.map((r) => r.kind)).toEqual(['allow', 'allow', 'allow']);
    expect(server.requests).toEqual(['/oauth2/v3/certs']);
  });

  it('a discovery document without jwks_uri denies with the URL in the reason', async () => {
    const server = await issuerWith(k1);
    server.route('/tenant-a/.well-known/openid-configuration', (_req, res) => json(res, { issuer: server.issuer }));
    const result = await authorizer({ issuer: server.issuer }, { baseDir: await projectDir(), now: () => NOW }).authorize(bearer(await tokenFor(k1, server.issuer)), undefined);
    expect(result).toMatchObject({ kind: 'deny', statusCode: 401, code: 'ERR_JWKS_UNAVAILABLE', reason: expect.stringContaining('has no http(s) "jwks_uri"') });
  });

  it('an HTTP error from the JWKS endpoint denies, naming status and URL', async () => {
    const server = await issuerWith(k1);
    server.route('/oauth2/v3/certs', (_req, res) => res.writeHead(500).end('boom'));
    const result = await authorizer({ issuer: server.issuer }, { baseDir: await projectDir(), now: () => NOW }).authorize(bearer(await tokenFor(k1, server.issuer)), undefined);
    expect(result).toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE', reason: expect.stringContaining(`GET ${server.jwksUri} answered HTTP 500`) });
  });

  it('network failure with no cache: 401 naming the URL and the error', async () => {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}/tenant-x`;
    const result = await authorizer({ issuer }, { baseDir: await projectDir(), now: () => NOW }).authorize(bearer(await tokenFor(k1, issuer)), undefined);
    expect(result).toMatchObject({
      kind: 'deny',
      statusCode: 401,
      code: 'ERR_JWKS_UNAVAILABLE',
      reason: expect.stringMatching(new RegExp(`${issuer}/\\.well-known/openid-configuration failed: .*ECONNREFUSED`)),
      wwwAuthenticate: 'Bearer scope="" error="invalid_token" error_description="the signing keys could not be retrieved"',
    });
  });
});

describe('close()', () => {
  it('stops network work: a closed authorizer denies instead of fetching', async () => {
    const server = await issuerWith(k1);
    const gw = authorizer({ issuer: server.issuer }, { baseDir: await projectDir(), now: () => NOW });
    gw.close();
    await expect(gw.authorize(bearer(await tokenFor(k1, server.issuer)), undefined)).resolves.toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE', reason: expect.stringContaining('closed') });
    expect(server.requests).toEqual([]);
  });
});

describe('§3.2 limits: 150 000 bytes and 1500 ms', () => {
  const bigJwks = (signer: TestSigner) => JSON.stringify({ keys: [signer.publicJwk], padding: 'x'.repeat(MAX_RESPONSE_BYTES) });

  it('a JWKS over 150 000 bytes is rejected (declared length)', async () => {
    const server = await issuerWith(k1);
    server.route('/oauth2/v3/certs', (_req, res) => res.writeHead(200, { 'content-length': Buffer.byteLength(bigJwks(k1)) }).end(bigJwks(k1)));
    const result = await authorizer({ issuer: server.issuer }, { baseDir: await projectDir(), now: () => NOW }).authorize(bearer(await tokenFor(k1, server.issuer)), undefined);
    expect(result).toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE', reason: expect.stringMatching(/too much data.*150000 bytes/) });
  });

  it('a JWKS over 150 000 bytes is rejected (chunked, no length)', async () => {
    const server = await issuerWith(k1);
    server.route('/oauth2/v3/certs', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const text = bigJwks(k1);
      for (let i = 0; i < text.length; i += 16_384) res.write(text.slice(i, i + 16_384));
      res.end();
    });
    const result = await authorizer({ issuer: server.issuer }, { baseDir: await projectDir(), now: () => NOW }).authorize(bearer(await tokenFor(k1, server.issuer)), undefined);
    expect(result).toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE', reason: expect.stringMatching(/more than 150000 bytes received/) });
  });

  it('a JWKS just under the limit is fine', async () => {
    const server = await issuerWith(k1);
    const text = JSON.stringify({ keys: [k1.publicJwk], padding: '' });
    const padded = JSON.stringify({ keys: [k1.publicJwk], padding: 'x'.repeat(MAX_RESPONSE_BYTES - Buffer.byteLength(text)) });
    expect(Buffer.byteLength(padded)).toBe(MAX_RESPONSE_BYTES);
    server.route('/oauth2/v3/certs', (_req, res) => res.writeHead(200).end(padded));
    const result = await authorizer({ issuer: server.issuer }, { baseDir: await projectDir(), now: () => NOW }).authorize(bearer(await tokenFor(k1, server.issuer)), undefined);
    expect(result).toMatchObject({ kind: 'allow' });
  });

  it('a JWKS endpoint slower than 1500 ms (the default) denies with a timeout', async () => {
    const server = await issuerWith(k1);
    server.route('/oauth2/v3/certs', (_req, res) => {
      const timer = setTimeout(() => json(res, server.jwks), 2_500);
      res.on('close', () => clearTimeout(timer));
    });
    const result = await authorizer({ issuer: server.issuer }, { baseDir: await projectDir(), now: () => NOW }).authorize(bearer(await tokenFor(k1, server.issuer)), undefined);
    expect(result).toMatchObject({ kind: 'deny', code: 'ERR_JWKS_UNAVAILABLE', reason: expect.stringContaining(`GET ${server.jwksUri} timed out after 1500 ms`) });
  });
});

describe('key rotation: unknown kid refetches once, rate-limited', () => {
  it('new kid → one refetch (after the cooldown) → accepted; a second unknown kid inside the cooldown does not fetch', async () => {
    const server = await issuerWith(k1);
    let now = NOW;
    const gw = authorizer({ issuer: server.issuer, jwks: server.jwksUri }, { baseDir: await projectDir(), now: () => now });
    await expect(gw.authorize(bearer(await tokenFor(k1, server.issuer)), undefined)).resolves.toMatchObject({ kind: 'allow' });
    server.jwks.keys = [k1.publicJwk, k2.publicJwk];

    // Right after a fetch, the cooldown holds: denied, and the reason says why nothing was fetched.
    const rotated = await tokenFor(k2, server.issuer);
    await expect(gw.authorize(bearer(rotated), undefined)).resolves.toMatchObject({ code: 'ERR_KID_UNKNOWN', reason: expect.stringMatching(/not refetched/) });
    expect(keyRequests(server)).toBe(1);

    now += REFETCH_COOLDOWN_MS;
    await expect(gw.authorize(bearer(rotated), undefined)).resolves.toMatchObject({ kind: 'allow' });
    expect(keyRequests(server)).toBe(2);

    const unknown = await tokenFor(k3, server.issuer);
    await expect(gw.authorize(bearer(unknown), undefined)).resolves.toMatchObject({
      code: 'ERR_KID_UNKNOWN',
      reason: expect.stringContaining(`no key with kid "k3" in JWKS from ${server.jwksUri}`),
    });
    expect(keyRequests(server)).toBe(2);

    now += REFETCH_COOLDOWN_MS;
    await expect(gw.authorize(bearer(unknown), undefined)).resolves.toMatchObject({ code: 'ERR_KID_UNKNOWN', reason: expect.stringContaining('refetched just now') });
    expect(keyRequests(server)).toBe(3);
  });
});

describe('issue 13 item 24: the cooldown holds for failures too', () => {
  const discoveryRequests = (server: IssuerServer) => server.requests.filter((p) => p === '/tenant-a/.well-known/openid-configuration').length;

  it('an issuer answering 500 is asked once per cooldown, however many requests come', async () => {
    const server = await issuerWith(k1);
    server.route('/tenant-a/.well-known/openid-configuration', (_req, res) => res.writeHead(500).end('down'));
    let now = NOW;
    const gw = authorizer({ issuer: server.issuer }, { baseDir: await projectDir(), now: () => now });
    const token = await tokenFor(k1, server.issuer);
    await expect(gw.authorize(bearer(token), undefined)).resolves.toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE', reason: expect.stringContaining('answered HTTP 500') });
    // 20 requests over 20 s, inside the 30 s cooldown.
    for (let n = 0; n < 20; n++) {
      now += 1_000;
      await expect(gw.authorize(bearer(token), undefined)).resolves.toMatchObject({
        code: 'ERR_JWKS_UNAVAILABLE',
        reason: expect.stringMatching(/answered HTTP 500 \(\d+ s ago; not retried until 30 s after the last attempt\)/),
      });
    }
    expect(discoveryRequests(server)).toBe(1);

    // After the cooldown the issuer is asked again, and once it answers, its keys are used.
    server.route('/tenant-a/.well-known/openid-configuration', (_req, res) => json(res, { issuer: server.issuer, jwks_uri: server.jwksUri }));
    now = NOW + REFETCH_COOLDOWN_MS;
    await expect(gw.authorize(bearer(token), undefined)).resolves.toMatchObject({ kind: 'allow' });
    expect(discoveryRequests(server)).toBe(2);
  });

  it('a hanging JWKS endpoint costs one timeout, not one per request', async () => {
    const server = await issuerWith(k1);
    server.route('/oauth2/v3/certs', () => {
      // Never answers; the server's close() ends the connection.
    });
    const gw = authorizer({ issuer: server.issuer, jwks: server.jwksUri }, { baseDir: await projectDir(), now: () => NOW, fetchTimeoutMs: 200 });
    const tokens = await Promise.all([1, 2, 3, 4, 5].map((n) => tokenFor(k1, server.issuer, { n })));
    // Concurrent first requests share the one attempt…
    const first = await Promise.all(tokens.map((t) => gw.authorize(bearer(t), undefined)));
    expect(first.map((r) => (r.kind === 'deny' ? r.code : r.kind))).toEqual(Array(5).fill('ERR_JWKS_UNAVAILABLE'));
    // …and later ones are answered from the remembered failure, without waiting on the network.
    for (const token of tokens) {
      await expect(gw.authorize(bearer(token), undefined)).resolves.toMatchObject({ reason: expect.stringContaining('timed out after 200 ms (0 s ago; not retried') });
    }
    expect(keyRequests(server)).toBe(1);
  });
});

describe('offline: memory and disk caches (§3.2 "cache the public key for two hours")', () => {
  it('keeps working from memory, then from disk in a fresh instance, after the issuer goes away', async () => {
    const server = await issuerWith(k1);
    const baseDir = await projectDir();
    const first = authorizer({ issuer: server.issuer }, { baseDir, now: () => NOW });
    await expect(first.authorize(bearer(await tokenFor(k1, server.issuer, { n: 1 })), undefined)).resolves.toMatchObject({ kind: 'allow' });

    const cacheFile = join(baseDir, '.localgw', 'jwks-cache', `${createHash('sha256').update(`${server.issuer}/.well-known/openid-configuration`).digest('hex')}.json`);
    expect(JSON.parse(await readFile(cacheFile, 'utf8'))).toMatchObject({ jwksUri: server.jwksUri, fetchedAt: NOW, jwks: { keys: [{ kid: 'k1' }] } });

    await server.close();
    // A different token string, so the verified-token cache cannot answer: the keys come from memory.
    await expect(first.authorize(bearer(await tokenFor(k1, server.issuer, { n: 2 })), undefined)).resolves.toMatchObject({ kind: 'allow' });

    const fresh = authorizer({ issuer: server.issuer }, { baseDir, now: () => NOW + 60_000 });
    await expect(fresh.authorize(bearer(await tokenFor(k1, server.issuer, { n: 3 })), undefined)).resolves.toMatchObject({ kind: 'allow' });

    // Older than 2 h: the network is tried, fails, and the stale disk copy still serves.
    const later = authorizer({ issuer: server.issuer }, { baseDir, now: () => NOW + JWKS_CACHE_TTL_MS + 60_000 });
    await expect(later.authorize(bearer(await tokenFor(k1, server.issuer, { n: 4 })), undefined)).resolves.toMatchObject({ kind: 'allow' });
  });

  it('a fresh disk copy is used without touching the network', async () => {
    const server = await issuerWith(k1);
    const baseDir = await projectDir();
    await authorizer({ issuer: server.issuer }, { baseDir, now: () => NOW }).authorize(bearer(await tokenFor(k1, server.issuer)), undefined);
    const before = server.requests.length;
    const again = authorizer({ issuer: server.issuer }, { baseDir, now: () => NOW + 1_000 });
    await expect(again.authorize(bearer(await tokenFor(k1, server.issuer, { n: 2 })), undefined)).resolves.toMatchObject({ kind: 'allow' });
    expect(server.requests.length).toBe(before);
  });

  it('a stale set in memory keeps serving at once while a background refresh picks up new keys', async () => {
    const server = await issuerWith(k1);
    let now = NOW;
    const gw = authorizer({ issuer: server.issuer, jwks: server.jwksUri }, { baseDir: await projectDir(), now: () => now });
    await gw.authorize(bearer(await tokenFor(k1, server.issuer)), undefined);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server.route('/oauth2/v3/certs', (_req, res) => void gate.then(() => json(res, { keys: [k1.publicJwk, k2.publicJwk] })));

    now += JWKS_CACHE_TTL_MS;
    // The refresh is held open by the server; the request still completes from the stale set.
    await expect(gw.authorize(bearer(await tokenFor(k1, server.issuer, { n: 2 })), undefined)).resolves.toMatchObject({ kind: 'allow' });
    await expect.poll(() => keyRequests(server)).toBe(2);
    release();
    // Once the background refresh lands, the rotated key works without another fetch.
    await expect.poll(async () => (await gw.authorize(bearer(await tokenFor(k2, server.issuer)), undefined)).kind).toBe('allow');
    expect(keyRequests(server)).toBe(2);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
