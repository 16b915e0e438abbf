import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** A real RSA signing key with a `kid`, as an identity provider holds it. */
export interface SigningKey {
  kid: string;
  publicJwk: JWK;
  privateKey: CryptoKey;
  /** Signs `payload` (RS256 unless `header.alg` says otherwise) with `kid` in the header. */
  sign(payload: JWTPayload, header?: Record<string, unknown>): Promise<string>;
}

export async function createSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    publicJwk,
    privateKey,
    sign: (payload, header = {}) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT', ...header } as { alg: string }).sign(privateKey),
  };
}

export interface OidcIssuer {
  /** `http://127.0.0.1:PORT/tenant-a`: the `iss` of its tokens; discovery lives below it. */
  issuer: string;
  /** Where discovery's `jwks_uri` points: deliberately not `/.well-known/jwks.json`. */
  jwksUri: string;
  /** Path of every request received, in order. */
  requests: string[];
  /** Replaces the published key set (rotation). */
  publish(keys: SigningKey[]): void;
  /** Stops answering: the issuer "goes away". */
  close(): Promise<void>;
}

export const DISCOVERY_PATH = '/tenant-a/.well-known/openid-configuration';
export const JWKS_PATH = '/oauth2/v1/keys-for-tenant-a';

/** A minimal OpenID provider on 127.0.0.1 (port 0): discovery plus a JWKS at a custom path. */
export async function startOidcIssuer(keys: SigningKey[]): Promise<OidcIssuer> {
  let published: JWK[] = keys.map((k) => k.publicJwk);
  const requests: string[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const body =
      path === DISCOVERY_PATH
        ? { issuer: `${origin}/tenant-a`, jwks_uri: `${origin}${JWKS_PATH}`, id_token_signing_alg_values_supported: ['RS256'] }
        : path === JWKS_PATH
          ? { keys: published }
          : undefined;
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed = false;
  return {
    issuer: `${origin}/tenant-a`,
    jwksUri: `${origin}${JWKS_PATH}`,
    requests,
    publish: (next) => {
      published = next.map((k) => k.publicJwk);
    },
    close: () =>
      closed
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            closed = true;
            server.closeAllConnections();
            server.close(() => resolve());
          }),
  };
}
