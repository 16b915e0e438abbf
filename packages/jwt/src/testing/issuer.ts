// Test-only helpers (excluded from the build): real RSA keys and a real issuer on 127.0.0.1.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface TestSigner {
  kid: string;
  alg: string;
  publicJwk: JWK;
  privateKey: CryptoKey;
  /** Signs `payload` with this key; `header` overrides the protected header (kid, alg, …). */
  sign(payload: JWTPayload, header?: Record<string, unknown>): Promise<string>;
}

export async function createSigner(kid: string, alg = 'RS256'): Promise<TestSigner> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return {
    kid,
    alg,
    publicJwk,
    privateKey,
    sign: (payload, header = {}) =>
      new SignJWT(payload).setProtectedHeader({ alg, kid, typ: 'JWT', ...header } as { alg: string }).sign(privateKey),
  };
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface IssuerServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** `http://127.0.0.1:PORT/tenant-a`: discovery lives below it. */
  issuer: string;
  /** The JWKS URL the discovery document points to: deliberately not `/.well-known/jwks.json`. */
  jwksUri: string;
  /** Served at `jwksUri`; replace `keys` to rotate. */
  jwks: { keys: JWK[] };
  /** Every request path, in order. */
  requests: string[];
  /** Overrides or adds a route (by path). */
  route(path: string, handler: RouteHandler): void;
  close(): Promise<void>;
}

export async function startIssuer(keys: JWK[] = []): Promise<IssuerServer> {
  const routes = new Map<string, RouteHandler>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const handler = routes.get(path);
    if (handler) return handler(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const self: IssuerServer = {
    origin,
    issuer: `${origin}/tenant-a`,
    jwksUri: `${origin}/oauth2/v3/certs`,
    jwks: { keys },
    requests,
    route: (path, handler) => void routes.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  routes.set('/tenant-a/.well-known/openid-configuration', (_req, res) => json(res, { issuer: self.issuer, jwks_uri: self.jwksUri }));
  routes.set('/oauth2/v3/certs', (_req, res) => json(res, self.jwks));
  return self;
}

export function json(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

/** A request as the gateway hands it over. */
export function bearer(token: string, header = 'Authorization'): { rawHeaders: string[]; rawQueryString: string } {
  return { rawHeaders: [header, `Bearer ${token}`], rawQueryString: '' };
}
