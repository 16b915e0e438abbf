import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtAuthorizer } from './create-jwt-authorizer.js';
import { loadOrCreateDevKey, type DevKey } from './dev-key.js';
import { expiresInSeconds, mintToken, type MintPreset } from './mint-token.js';
import { bearer } from './testing/issuer.js';

const issuer = 'https://issuer.example.com';
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
let root: string;
let devKey: DevKey;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'localgw-mint-'));
  devKey = await loadOrCreateDevKey(join(root, '.localgw'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('mintToken presets', () => {
  it('default: RS256 with the dev kid, aud, scope, iat, exp = 1 h', async () => {
    const token = await mintToken(devKey, { issuer, audience: 'client-1', scope: 'items/read', now: () => NOW });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: devKey.kid, typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: issuer, sub: 'dev-user', aud: 'client-1', scope: 'items/read', iat: NOW / 1000, exp: NOW / 1000 + 3600 });
    expect(typeof claims.jti).toBe('string');
  });

  it('cognito-access: client_id and token_use=access, and no aud', async () => {
    const claims = decodeJwt(await mintToken(devKey, { issuer, audience: 'client-1', sub: 'alice', preset: 'cognito-access', scope: 'a b' }));
    expect(claims).toMatchObject({ client_id: 'client-1', token_use: 'access', scope: 'a b', username: 'alice', sub: 'alice' });
    expect(claims).not.toHaveProperty('aud');
  });

  it('cognito-id: aud, token_use=id, email', async () => {
    const claims = decodeJwt(await mintToken(devKey, { issuer, audience: 'client-1', sub: 'alice', preset: 'cognito-id' }));
    expect(claims).toMatchObject({ aud: 'client-1', token_use: 'id', 'cognito:username': 'alice', email: 'alice@example.com', email_verified: true });
  });

  it('auth0: aud array with /userinfo, azp, scope', async () => {
    const claims = decodeJwt(await mintToken(devKey, { issuer: `${issuer}/`, audience: 'https://api', preset: 'auth0', scope: 'read:items' }));
    expect(claims).toMatchObject({ aud: ['https://api', `${issuer}/userinfo`], azp: expect.any(String), scope: 'read:items' });
  });

  it('claims override the preset; expiresIn takes seconds or durations', async () => {
    const claims = decodeJwt(await mintToken(devKey, { issuer, claims: { sub: 'x', custom: [1, 2] }, expiresIn: '15m', now: () => NOW }));
    expect(claims).toMatchObject({ sub: 'x', custom: [1, 2], exp: NOW / 1000 + 900 });
    expect(decodeJwt(await mintToken(devKey, { issuer, expiresIn: 90, now: () => NOW })).exp).toBe(NOW / 1000 + 90);
    expect(decodeJwt(await mintToken(devKey, { issuer, expiresIn: '2d', now: () => NOW })).exp).toBe(NOW / 1000 + 172800);
  });

  it('expiresInSeconds is the rule mintToken applies, for callers that check input first', async () => {
    for (const value of ['90', 90, '1.5h', '2 days', ' 15m ', '0.4s', '1w', '0', -5, 'soon', '']) {
      const seconds = expiresInSeconds(value);
      const minted = mintToken(devKey, { issuer, expiresIn: value, now: () => NOW });
      if (seconds === undefined) await expect(minted).rejects.toMatchObject({ code: 'ERR_MINT_OPTIONS' });
      else expect(decodeJwt(await minted).exp, String(value)).toBe(NOW / 1000 + seconds);
    }
    expect(expiresInSeconds('1.5h')).toBe(5400);
  });

  it('rejects unusable options with ERR_MINT_OPTIONS', async () => {
    await expect(mintToken(devKey, { issuer: '' })).rejects.toMatchObject({ code: 'ERR_MINT_OPTIONS' });
    await expect(mintToken(devKey, { issuer, expiresIn: 'soon' })).rejects.toMatchObject({ code: 'ERR_MINT_OPTIONS' });
    await expect(mintToken(devKey, { issuer, expiresIn: -5 })).rejects.toMatchObject({ code: 'ERR_MINT_OPTIONS' });
    await expect(mintToken(devKey, { issuer, preset: 'cognito-access' })).rejects.toMatchObject({ code: 'ERR_MINT_OPTIONS' });
  });

  it.each<MintPreset>(['default', 'cognito-access', 'cognito-id', 'auth0'])('a %s token is accepted by an authorizer trusting the dev key', async (preset) => {
    const audience = preset === 'auth0' ? 'https://api' : 'client-1';
    const authorizer = createJwtAuthorizer({ name: 'main', issuer, audience: [audience] }, { baseDir: root, devKey });
    try {
      const token = await mintToken(devKey, { issuer, audience, preset, scope: 'items/read' });
      const result = await authorizer.authorize(bearer(token), preset === 'cognito-id' ? undefined : ['items/read']);
      expect(result).toMatchObject({ kind: 'allow', claims: { iss: issuer } });
    } finally {
      authorizer.close();
    }
  });
});
